// Shapes of the query API's answers (docs/architecture.md, "SLO API"); only the fields the pages read.

export interface SloSummary {
  name: string;
  team: string;
  service: string;
  displayName?: string;
  target: number;
  window: string;
  budgetingMethod: string;
  version: number;
}

export interface SloList {
  slos: SloSummary[];
  nextCursor?: string;
}

export interface Budget {
  total: number;
  consumed: number;
  remaining: number;
}

export type BurnRates = Record<string, number>;

export interface GroupStatus {
  group: string;
  sli: number | null;
  good: number;
  total: number;
  errorBudget: Budget;
  burnRates: BurnRates;
}

export interface SloStatus {
  name: string;
  team: string;
  service: string;
  target: number;
  window: string;
  budgetingMethod: string;
  periodStart?: string;
  periodEnd?: string;
  asOf: string;
  sli: number | null;
  good: number;
  total: number;
  errorBudget: Budget;
  burnRates: BurnRates;
  exhaustion: string | null;
  provisional: boolean;
  groups?: GroupStatus[];
  stale?: boolean;
}

export interface HistoryPoint {
  t: string;
  sli: number | null;
  good: number;
  total: number;
  budgetRemaining: number;
  burnRate: number;
}

export interface SloHistory {
  name: string;
  window: string;
  from: string;
  to: string;
  step: number;
  points: HistoryPoint[];
}

export interface Alert {
  alertId: string;
  slo: string;
  team: string;
  service: string;
  severity: string;
  state: string;
  sequence: number;
  incidentId: string;
  at: string;
  rule: string;
  burnRates: BurnRates;
  budgetConsumed: number;
  /** Only on transitions of latency rules: the quantile the rule observed. */
  latency?: LatencyObservation;
}

export interface LatencyObservation {
  quantile: number;
  lookbackMillis: number;
  thresholdMillis: number;
  observedMillis: number;
  spans: number;
}

export interface Notification {
  alertId: string;
  sequence: number;
  state: string;
  slo: string;
  team: string;
  severity: string;
  target: string;
  targetKind: string;
  attempt: number;
  at: string;
  outcome: string;
  statusCode: number;
  error: string | null;
  latencyMs: number;
}

export interface Silence {
  id: string;
  kind: string;
  state: string;
  team: string;
  match: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  excludeFromBudget: boolean;
  comment?: string;
  createdBy?: string;
  expiredAt?: string | null;
}

export interface LatencyPoint {
  t: string;
  count: number;
  errors: number;
  quantiles: Record<string, number>;
}

export interface LatencySeries {
  service: string;
  operation?: string;
  from: string;
  to: string;
  step: number;
  points: LatencyPoint[];
  stale?: boolean;
}

/** A latency band of the heatmap: spans that took more than lowerMs (the first band: at least) and at most upperMs. */
export interface LatencyBand {
  lowerMs: number;
  upperMs: number;
}

/** Spans of step `t` (index into steps) in band `band` (index into bands). */
export interface HeatmapCell {
  t: number;
  band: number;
  count: number;
}

export interface LatencyHeatmap {
  service: string;
  operation?: string;
  from: string;
  to: string;
  step: number;
  count: number;
  steps: string[];
  bands: LatencyBand[];
  cells: HeatmapCell[];
  stale?: boolean;
}

export interface Session {
  tokenId: string;
  name: string;
  team: string;
  role: string;
}
