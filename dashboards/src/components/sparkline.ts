// A tiny canvas sparkline for table rows: no chart library instance per row, so redrawing a table of 500 rows
// costs nothing to dispose. The element says what it shows (aria-label) and how many points it drew
// (data-points), for screen readers and for the browser tests, which read figures rather than pixels.
import { h } from './dom';

export interface SparkPoint {
  t: number;
  value: number;
}

/** Canvas coordinates of the points, scaled into width x height with `pad` pixels free at top and bottom. */
export function sparkPath(points: readonly SparkPoint[], width: number, height: number, pad = 2, floor = 0, ceiling = 1): Array<[number, number]> {
  if (points.length === 0) return [];
  const t0 = points[0]!.t;
  const t1 = points[points.length - 1]!.t;
  const lo = Math.min(floor, ...points.map((p) => p.value));
  const hi = Math.max(ceiling, ...points.map((p) => p.value));
  const span = hi - lo || 1;
  return points.map((p) => [
    t1 === t0 ? width / 2 : ((p.t - t0) / (t1 - t0)) * width,
    pad + (1 - (p.value - lo) / span) * (height - 2 * pad),
  ]);
}

export function sparkline(points: readonly SparkPoint[], label: string, width = 96, height = 22): HTMLCanvasElement {
  const canvas = h('canvas', { class: 'spark', width, height, role: 'img', 'aria-label': label, 'data-points': String(points.length) });
  const g = canvas.getContext('2d');
  if (!g || points.length === 0) return canvas;
  const scale = window.devicePixelRatio || 1;
  canvas.width = width * scale;
  canvas.height = height * scale;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  g.scale(scale, scale);
  const xy = sparkPath(points, width, height);
  const last = points[points.length - 1]!.value;
  g.strokeStyle = last <= 0 ? '#dc2626' : last < 0.25 ? '#d97706' : '#2563eb';
  g.lineWidth = 1.5;
  g.beginPath();
  xy.forEach(([x, y], i) => (i === 0 ? g.moveTo(x, y) : g.lineTo(x, y)));
  g.stroke();
  const [lx, ly] = xy[xy.length - 1]!;
  g.fillStyle = g.strokeStyle;
  g.fillRect(lx - 1.5, ly - 1.5, 3, 3);
  return canvas;
}
