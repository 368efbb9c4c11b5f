// The teams the team filter offers: those that own SLOs. The list is cached briefly because every page's
// header asks for it.
import { allSlos } from '../api/nines';
import type { SloSummary } from '../api/types';

let cached: { at: number; slos: Promise<SloSummary[]> } | undefined;

export function sloList(maxAgeMs = 15_000): Promise<SloSummary[]> {
  const now = Date.now();
  if (!cached || now - cached.at > maxAgeMs) {
    const slos = allSlos();
    cached = { at: now, slos };
    slos.catch(() => { cached = undefined; });
  }
  return cached.slos;
}

export async function knownTeams(): Promise<string[]> {
  return [...new Set((await sloList()).map((s) => s.team))].sort();
}
