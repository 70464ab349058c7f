// report.html: one self-contained page per run (no scripts, fonts or network): metric curves as inline SVG
// from metrics.jsonl, a final/best table, sample images as data: URIs, and the config.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import { listCheckpoints } from './checkpoint.js';
import { RunDir, type MetricRecord, type Split } from './run_dir.js';
import { escapeHtml, lineChart, type Series } from './svg_chart.js';

const colors: Record<Split, string> = { train: '#2563eb', eval: '#ea580c' };
// Lower is better for these names; higher for everything else (accuracy, mIoU, ...).
const lowerIsBetter = /loss|err|error|dist|mae|mse|rmse|nll|perplexity/i;
// Sample images of this many of the latest steps are embedded.
const sampleSteps = 4;

const num = (v: number | null): string => (v === null ? '—' : String(Number(v.toPrecision(5))));

interface Metric { split: Split; name: string; points: [number, number | null][] }

function collect(records: MetricRecord[]): Metric[] {
  const byKey = new Map<string, Metric>();
  for (const r of records) {
    for (const [name, v] of Object.entries(r)) {
      if (name === 'step' || name === 'time' || name === 'split') continue;
      const key = `${r.split}/${name}`;
      if (!byKey.has(key)) byKey.set(key, { split: r.split, name, points: [] });
      byKey.get(key)!.points.push([r.step, typeof v === 'number' ? v : null]);
    }
  }
  return [...byKey.values()];
}

function charts(metrics: Metric[]): string {
  // One chart per scalar name, train and eval together when both have it; loss first, learning rates last.
  const names = [...new Set(metrics.map((m) => m.name))];
  const rank = (n: string): number => (n === 'loss' ? 0 : n.startsWith('lr') ? 2 : 1);
  names.sort((a, b) => rank(a) - rank(b));
  return names.map((name) => {
    const series: Series[] = metrics.filter((m) => m.name === name).map((m) => ({ name: m.split, color: colors[m.split], points: m.points }));
    return `<figure>${lineChart(name, series)}</figure>`;
  }).join('\n');
}

function table(metrics: Metric[]): string {
  const rows = metrics.filter((m) => !m.name.startsWith('lr')).map((m) => {
    const finite = m.points.filter((p): p is [number, number] => p[1] !== null);
    const lower = lowerIsBetter.test(m.name);
    const best = finite.reduce<[number, number] | null>((b, p) => (b === null || (lower ? p[1] < b[1] : p[1] > b[1]) ? p : b), null);
    const final = m.points[m.points.length - 1];
    return `<tr><td><span class="dot" style="background:${colors[m.split]}"></span>${m.split}</td><td>${escapeHtml(m.name)}</td>`
      + `<td class="n">${num(final[1])}</td><td class="n">${best ? num(best[1]) : '—'}</td><td class="n">${best ? best[0] : '—'}</td>`
      + `<td class="dim">${lower ? 'lower' : 'higher'}</td></tr>`;
  });
  return `<table><thead><tr><th>split</th><th>metric</th><th class="n">final</th><th class="n">best</th><th class="n">best step</th><th>better</th></tr></thead>`
    + `<tbody>${rows.join('')}</tbody></table>`;
}

function samples(run: RunDir): string {
  const all = run.listSamples();
  const steps = [...new Set(all.map((s) => s.step))].slice(-sampleSteps);
  if (steps.length === 0) return '<p class="dim">No samples.</p>';
  const names = [...new Set(all.map((s) => s.name))];
  const head = `<tr><th></th>${steps.map((s) => `<th>step ${s}</th>`).join('')}</tr>`;
  const rows = names.map((name) => `<tr><th>${escapeHtml(name)}</th>${steps.map((step) => {
    const s = all.find((x) => x.step === step && x.name === name);
    return s ? `<td><img alt="${escapeHtml(`${name} at step ${step}`)}" src="data:image/png;base64,${fs.readFileSync(s.file).toString('base64')}"></td>` : '<td></td>';
  }).join('')}</tr>`);
  return `<table class="samples"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

const css = `
:root{--fg:#1f2937;--dim:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--card:#fff}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 24px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:32px 0 12px;color:#111827}
.sub{color:var(--dim);margin:0 0 20px}.dim{color:var(--dim)}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px;min-width:150px}
.card b{display:block;font-size:20px}.card span{color:var(--dim);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:16px}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:8px}
svg.chart{width:100%;height:auto;display:block}
svg .title{font-size:13px;font-weight:600;fill:#111827}svg .tick,svg .legend{font-size:11px;fill:var(--dim)}
svg .grid{stroke:var(--line)}svg .axis{stroke:#9ca3af}svg .series{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
table{border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden}
th,td{padding:7px 14px;border-bottom:1px solid var(--line);text-align:left}th{font-weight:600;background:#f1f5f9}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:7px}
.samples img{max-width:240px;max-height:240px;display:block;image-rendering:pixelated;border-radius:4px}
img.wide{width:100%;display:block;image-rendering:pixelated;border-radius:4px}
pre{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;overflow:auto;font:12px/1.5 ui-monospace,"DejaVu Sans Mono",monospace}
`;

/** The report's HTML. */
export function renderReport(run: RunDir): string {
  const records = run.readMetrics();
  const metrics = collect(records);
  const lastStep = records.length ? Math.max(...records.map((r) => r.step)) : 0;
  const checkpoints = listCheckpoints(run.checkpointsDir);
  const lastLoss = metrics.find((m) => m.split === 'train' && m.name === 'loss')?.points.at(-1)?.[1] ?? null;
  const config = fs.existsSync(run.configFile) ? fs.readFileSync(run.configFile, 'utf8') : '';
  const name = path.basename(run.dir);
  const cards = [['steps logged', String(lastStep)], ['final train loss', num(lastLoss)],
    ['checkpoints', checkpoints.length ? `${checkpoints.length} (last ${checkpoints.at(-1)})` : 'none']];
  return htmlPage(`${name} — ShiftKit run report`, name, `ShiftKit run report · ${run.dir}`, `
<div class="cards">${cards.map(([k, v]) => `<div class="card"><span>${k}</span><b>${escapeHtml(v)}</b></div>`).join('')}</div>
<h2>Metrics</h2>
${metrics.length ? table(metrics) : '<p class="dim">No metrics logged yet.</p>'}
<h2>Curves</h2>
<div class="charts">
${charts(metrics)}
</div>
<h2>Samples</h2>
${samples(run)}
<h2>Config</h2>
<pre>${escapeHtml(config)}</pre>`);
}

/** A self-contained page in the reports' style: `title` for the tab, a heading, a subtitle (escaped here) and the body (HTML). */
export function htmlPage(title: string, heading: string, sub: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${css}</style></head>
<body><main>
<h1>${escapeHtml(heading)}</h1>
<p class="sub">${escapeHtml(sub)} · generated ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC</p>
${body.trim()}
</main></body></html>
`;
}

/** Writes report.html into the run folder (atomically) and returns its path. */
export function writeReport(run: RunDir | string): string {
  const r = typeof run === 'string' ? RunDir.open(run) : run;
  writeFileAtomic(r.reportFile, renderReport(r));
  return r.reportFile;
}
