// Line charts as inline SVG, for report.html: axes with round-number ticks, one path per series, a legend.
export interface Series { name: string; color: string; points: [number, number | null][] }

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** About `count` round ticks (1, 2 or 5 times a power of ten apart) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (hi === lo) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const label = (v: number): string => (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3) ? v.toExponential(1) : String(Number(v.toPrecision(6))));

// Long runs: at most `max` points per series, each the mean of a run of consecutive ones.
function thin(points: [number, number | null][], max: number): [number, number | null][] {
  if (points.length <= max) return points;
  const out: [number, number | null][] = [];
  const per = points.length / max;
  for (let i = 0; i < max; i++) {
    const chunk = points.slice(Math.floor(i * per), Math.floor((i + 1) * per)).filter((p): p is [number, number] => p[1] !== null);
    if (chunk.length) out.push([chunk[chunk.length - 1][0], chunk.reduce((a, p) => a + p[1], 0) / chunk.length]);
  }
  return out;
}

// Estimated text widths (px) of the title (13 px, bold) and legend labels (11 px), for laying out the legend.
const titleWidth = (s: string): number => 7.5 * s.length;
const legendWidth = (s: string): number => 22 + 6.5 * s.length;

export function lineChart(title: string, series: Series[], width = 520, height = 260): string {
  // The legend (for two or more series) sits right-aligned beside the title when it fits there, else on a row
  // of its own under it.
  const legend = series.length > 1 ? series.map((s) => legendWidth(s.name)) : [];
  const besideTitle = legend.length === 0 || legend.reduce((a, b) => a + b, 0) <= width - 16 - (58 + titleWidth(title) + 24);
  const m = { left: 58, right: 16, top: besideTitle ? 34 : 50, bottom: 36 };
  const legendY = besideTitle ? 12 : 30;
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const all = series.map((s) => ({ ...s, points: thin(s.points, 800) }));
  const finite = all.flatMap((s) => s.points).filter((p): p is [number, number] => p[1] !== null && Number.isFinite(p[1]));
  const xs = finite.map((p) => p[0]);
  const ys = finite.map((p) => p[1]);
  let [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - Math.abs(y0 || 1) * 0.1, y1 + Math.abs(y1 || 1) * 0.1];
  const pad = (y1 - y0) * 0.05;
  [y0, y1] = [y0 - pad, y1 + pad];
  const X = (x: number): number => m.left + ((x - x0) / (x1 - x0)) * w;
  const Y = (y: number): number => m.top + (1 - (y - y0) / (y1 - y0)) * h;
  const r = (v: number): string => v.toFixed(1);

  const parts: string[] = [`<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">`,
    `<text class="title" x="${m.left}" y="20">${escapeHtml(title)}</text>`];
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line class="grid" x1="${m.left}" x2="${m.left + w}" y1="${r(Y(t))}" y2="${r(Y(t))}"/>`,
      `<text class="tick" x="${m.left - 6}" y="${r(Y(t) + 4)}" text-anchor="end">${label(t)}</text>`);
  }
  for (const t of niceTicks(x0, x1, 6).filter((t) => Number.isInteger(t))) {
    parts.push(`<text class="tick" x="${r(X(t))}" y="${m.top + h + 16}" text-anchor="middle">${label(t)}</text>`);
  }
  parts.push(`<line class="axis" x1="${m.left}" x2="${m.left + w}" y1="${m.top + h}" y2="${m.top + h}"/>`,
    `<text class="tick" x="${m.left + w}" y="${height - 4}" text-anchor="end">step</text>`);
  all.forEach((s, i) => {
    // Non-finite values break the line instead of dragging it off the chart.
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (y === null || !Number.isFinite(y)) { pen = false; continue; }
      d += `${pen ? 'L' : 'M'}${r(X(x))} ${r(Y(y))}`;
      pen = true;
    }
    parts.push(`<path class="series" d="${d}" stroke="${s.color}"/>`);
    if (s.points.length <= 30) {
      for (const [x, y] of s.points) if (y !== null && Number.isFinite(y)) parts.push(`<circle cx="${r(X(x))}" cy="${r(Y(y))}" r="2.5" fill="${s.color}"/>`);
    }
    if (legend.length > 0) {
      const lx = r(width - m.right - legend.slice(i).reduce((a, b) => a + b, 0));
      parts.push(`<rect x="${lx}" y="${legendY}" width="12" height="3" fill="${s.color}"/>`
        + `<text class="legend" x="${r(Number(lx) + 16)}" y="${legendY + 5}">${escapeHtml(s.name)}</text>`);
    }
  });
  parts.push('</svg>');
  return parts.join('');
}
