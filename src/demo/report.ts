// The demo's report.html: the whole story on one self-contained page. The benchmark's two looks, the renderer
// tuning (distance curve, θ against the hidden θ*), the segmentation runs scored on the target (table, per-class
// IoU, curves) and sample predictions. Everything is read back from the folders the stages wrote.
import fs from 'node:fs';
import path from 'node:path';
import { HIDDEN_THETA } from '../methods/render/synth.js';
import { TUNE_FILES } from '../methods/render/tune.js';
import { htmlPage } from '../run/report.js';
import type { MetricRecord } from '../run/index.js';
import { escapeHtml, lineChart, type Series } from '../run/svg_chart.js';
import type { DemoSettings } from './settings.js';
import { readRunMetrics } from './stages.js';

export interface DemoRun { name: string; dir: string; scores: MetricRecord }

export interface DemoOutcome {
  dir: string;
  settings: DemoSettings;
  seconds: number;
  /** The benchmark (source/, target/) and the tuned source's root. */
  data: string;
  tunedSource: string;
  tuneRun: string;
  runs: DemoRun[];
  /** A PNG: image | ground truth | one prediction per run, per row. */
  predictions: string;
}

const COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#db2777', '#0891b2'];
const pct = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? (100 * v).toFixed(1) : '—');
const fmt = (v: number): string => String(Number(v.toPrecision(3)));
const png = (file: string): string => `data:image/png;base64,${fs.readFileSync(file).toString('base64')}`;

/** The first `n` training images of a dataset root in the Cityscapes layout. */
function firstImages(root: string, n: number): string[] {
  const dir = path.join(root, 'leftImg8bit', 'train');
  return fs.readdirSync(dir).flatMap((city) => fs.readdirSync(path.join(dir, city)).sort().map((f) => path.join(dir, city, f))).slice(0, n);
}

function looks(o: DemoOutcome): string {
  const rows: [string, string][] = [
    ['source, initial θ', path.join(o.data, 'source')], ['source, tuned θ', o.tunedSource], ['target ("real")', path.join(o.data, 'target')],
  ];
  return `<table class="samples"><tbody>${rows.map(([name, root]) => `<tr><th>${name}</th>${firstImages(root, 4)
    .map((f) => `<td><img alt="${escapeHtml(name)}" src="${png(f)}"></td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

type Values = Record<string, number | number[]>;
const thetaFile = (file: string): Values =>
  Object.fromEntries(Object.entries((JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: Record<string, { value: number | number[] }> }).entries)
    .map(([k, e]) => [k, e.value]));

function tuning(o: DemoOutcome): string {
  const trajectory = fs.readFileSync(path.join(o.tuneRun, TUNE_FILES.trajectory), 'utf8').trim().split('\n')
    .map((l) => JSON.parse(l) as { step: number; mmd: number });
  const chart = lineChart('real-vs-rendered MMD', [{ name: 'MMD', color: COLORS[0], points: trajectory.map((t) => [t.step, t.mmd]) }]);
  const initial = thetaFile(path.join(o.data, 'source', 'theta.json'));
  const hidden = thetaFile(path.join(o.data, 'target', 'theta.json'));
  const tuned = thetaFile(path.join(o.tuneRun, TUNE_FILES.best));
  const show = (v: number | number[] | undefined) => (v === undefined ? '—' : [v].flat().map(fmt).join(', '));
  const rows = Object.keys(HIDDEN_THETA).map((k) => `<tr><td>${escapeHtml(k)}</td><td class="n">${show(initial[k])}</td>`
    + `<td class="n">${show(tuned[k])}</td><td class="n">${show(hidden[k])}</td></tr>`).join('');
  return `<div class="charts"><figure>${chart}</figure></div>
<p>The entries θ* changes (the renderer tunes all of them; light direction, colour×intensity and an albedo–light gain are only
weakly identifiable from images, so the renders match better than the numbers do):</p>
<table><thead><tr><th>entry</th><th class="n">initial θ</th><th class="n">tuned θ</th><th class="n">hidden θ*</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function scoreTable(runs: DemoRun[]): string {
  const classes = Object.keys(runs[0].scores).filter((k) => k.startsWith('iou/') && runs.some((r) => Number.isFinite(r.scores[k])));
  const head = `<tr><th></th>${runs.map((r, i) => `<th class="n"><span class="dot" style="background:${COLORS[i % COLORS.length]}"></span>${escapeHtml(r.name)}</th>`).join('')}</tr>`;
  const row = (label: string, key: string) => `<tr><td>${escapeHtml(label)}</td>${runs.map((r) => `<td class="n">${pct(r.scores[key])}</td>`).join('')}</tr>`;
  return `<table><thead>${head}</thead><tbody>${row('mIoU (%)', 'mIoU')}${row('pixel accuracy (%)', 'pixelAccuracy')}
${classes.map((k) => row(`IoU ${k.slice(4)} (%)`, k)).join('')}</tbody></table>`;
}

function curves(runs: DemoRun[]): string {
  const records = runs.map((r) => readRunMetrics(r.dir));
  const series = (split: string, name: string): Series[] => runs.map((r, i) => ({
    name: r.name, color: COLORS[i % COLORS.length],
    points: records[i].filter((m) => m.split === split && typeof m[name] === 'number').map((m) => [m.step, m[name] as number]),
  }));
  return `<div class="charts"><figure>${lineChart('target mIoU (val)', series('eval', 'mIoU'))}</figure>`
    + `<figure>${lineChart('training loss', series('train', 'loss'))}</figure></div>`;
}

export function renderDemoReport(o: DemoOutcome): string {
  const cards: [string, string][] = [
    ...o.runs.map((r): [string, string] => [`${r.name} mIoU`, `${pct(r.scores.mIoU)}%`]),
    ['wall time', `${(o.seconds / 60).toFixed(1)} min`],
  ];
  const steps = o.runs.slice(1).map((r, i) => {
    const d = 100 * ((r.scores.mIoU as number) - (o.runs[i].scores.mIoU as number));
    return `${escapeHtml(r.name)} vs ${escapeHtml(o.runs[i].name)}: <b>${d >= 0 ? '+' : ''}${d.toFixed(1)}</b> points`;
  });
  return htmlPage('ShiftKit demo', 'ShiftKit demo: synthetic streets to a shifted target', `demo · ${o.dir}`, `
<div class="cards">${cards.map(([k, v]) => `<div class="card"><span>${escapeHtml(k)}</span><b>${escapeHtml(v)}</b></div>`).join('')}</div>
<h2>1. Two domains</h2>
<p>Street scenes with Cityscapes labels. The source is rendered with the renderer's built-in θ; the target ("real") with a
hidden θ* (late sun, haze, other albedos) and then through what the renderer does not model: lens distortion, defocus and
JPEG. The tuned source re-renders the source's scenes with the θ tuned below: same geometry and labels, new look.</p>
${looks(o)}
<h2>2. Tuning the renderer toward the target (render)</h2>
${tuning(o)}
<h2>3. Segmentation on the target (seg)</h2>
<p>Target mIoU, ${steps.join('; ')}.</p>
${scoreTable(o.runs)}
${curves(o.runs)}
<h2>Target predictions</h2>
<p class="dim">Columns: target image, ground truth, then ${o.runs.map((r) => escapeHtml(r.name)).join(', ')}.</p>
<img class="wide" alt="target predictions" src="${png(o.predictions)}">
<h2>Settings</h2>
<pre>${escapeHtml(JSON.stringify(o.settings, null, 2))}</pre>`);
}
