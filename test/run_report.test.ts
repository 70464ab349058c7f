// report.html: self-contained (no scripts or network), its table against hand-picked best/final values,
// and, in headless Chromium, a rendered page with the curves, rows and sample images.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import sharp from 'sharp';
import { RunDir } from '../src/run/run_dir.js';
import { writeReport } from '../src/run/report.js';
import { lineChart, niceTicks } from '../src/run/svg_chart.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftkit-report-'));
test.after(() => fs.rmSync(root, { recursive: true, force: true }));

// 60 train steps, 6 evaluations (acc best 0.8 at step 40, final 0.79), samples at steps 30 and 60.
let example: Promise<RunDir> | undefined;
const exampleRun = (): Promise<RunDir> => (example ??= makeExampleRun());
async function makeExampleRun(): Promise<RunDir> {
  const run = RunDir.create(path.join(root, 'run'), { method: 'fixmatch', optim: { lr: 0.03 }, note: '<b>not markup</b>' });
  for (let s = 1; s <= 60; s++) run.log(s, 'train', { loss: 2 / (1 + s / 10), lr: 0.03 * (1 - s / 60) });
  [0.5, 0.7, 0.65, 0.8, 0.78, 0.79].forEach((acc, i) => run.log((i + 1) * 10, 'eval', { acc, loss: [1, 0.8, 0.9, 0.6, 0.65, 0.7][i] }));
  for (const step of [30, 60]) {
    for (const [name, color] of [['input', '#3366cc'], ['pred', '#cc3333']]) {
      run.writeSample(step, name, await sharp({ create: { width: 64, height: 48, channels: 3, background: color } }).png().toBuffer());
    }
  }
  run.close();
  return run;
}

test('niceTicks and lineChart coordinates, by hand', () => {
  assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0.13, 0.87), [0.2, 0.4, 0.6, 0.8]); // raw step 0.148 -> 0.2
  assert.deepEqual(niceTicks(0, 60, 6), [0, 10, 20, 30, 40, 50, 60]);
  // Plot area: x from 58 to 520-16 = 504, y from 34 to 260-36 = 224; y range [0, 10] padded 5% each side.
  // (0, 0) -> (58, 224 - 190 * 0.5 / 11); (10, 10) -> (504, 34 + 190 * 0.5 / 11).
  const svg = lineChart('t', [{ name: 'a', color: '#000', points: [[0, 0], [5, null], [10, 10]] }]);
  const d = /<path class="series" d="([^"]*)"/.exec(svg)![1];
  assert.equal(d, 'M58.0 215.4M504.0 42.6'); // the null breaks the line
});

test('the report is self-contained and its table holds the final and best values', async () => {
  const run = await exampleRun();
  const html = fs.readFileSync(writeReport(run), 'utf8');
  assert.doesNotMatch(html, /<script|<link|@import|url\(|src="(?!data:)/i);
  assert.match(html, /&lt;b&gt;not markup&lt;\/b&gt;/);
  const row = (split: string, name: string) => new RegExp(`${split}</td><td>${name}</td><td class="n">([^<]*)</td><td class="n">([^<]*)</td><td class="n">([^<]*)</td>`).exec(html)!.slice(1);
  assert.deepEqual(row('eval', 'acc'), ['0.79', '0.8', '40']);
  assert.deepEqual(row('eval', 'loss'), ['0.7', '0.6', '40']); // lower is better for a loss
  assert.deepEqual(row('train', 'loss'), ['0.28571', '0.28571', '60']); // 2 / 7, falling all along
  assert.doesNotMatch(html, /<td>lr<\/td>/);
});

const chromium = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).stdout.trim();

test('report.html renders in headless Chromium: curves, table rows and images, a non-blank coloured page', async (t) => {
  if (!chromium) {
    t.skip('chromium is not installed (apt-get install chromium); the rendering check is skipped');
    return;
  }
  const run = await exampleRun();
  const report = writeReport(run);
  const profile = fs.mkdtempSync(path.join(root, 'profile-'));
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${profile}`, '--window-size=1280,1600'];
  const dom = spawnSync(chromium, [...flags, '--dump-dom', `file://${report}`], { encoding: 'utf8', timeout: 60_000, maxBuffer: 32 << 20 });
  assert.equal(dom.status, 0, dom.stderr);
  assert.equal(dom.stdout.match(/<svg class="chart"/g)?.length, 3); // loss (train + eval), acc, lr
  const paths = [...dom.stdout.matchAll(/<path class="series" d="([^"]*)" stroke="([^"]*)"/g)].map((m) => [m[2], (m[1].match(/[ML]/g) ?? []).length]);
  assert.deepEqual(paths, [['#2563eb', 60], ['#ea580c', 6], ['#ea580c', 6], ['#2563eb', 60]]);
  assert.equal(dom.stdout.match(/<tbody><tr>/g)?.length, 2); // metrics and samples tables
  assert.equal(dom.stdout.match(/<img [^>]*src="data:image\/png;base64,/g)?.length, 4);

  const shot = path.join(root, 'shot.png');
  const r = spawnSync(chromium, [...flags, `--screenshot=${shot}`, `file://${report}`], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const { data, info } = await sharp(shot).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [1280, 1600]);
  let sum = 0;
  let sq = 0;
  let blue = 0;
  let orange = 0;
  for (let i = 0; i < data.length; i += 3) {
    const [red, g, b] = [data[i], data[i + 1], data[i + 2]];
    const y = 0.299 * red + 0.587 * g + 0.114 * b;
    sum += y;
    sq += y * y;
    if (b > 180 && red < 90 && g < 140) blue++; // the train curve, #2563eb
    if (red > 200 && g > 60 && g < 120 && b < 60) orange++; // the eval curves, #ea580c
  }
  const pixels = data.length / 3;
  const variance = sq / pixels - (sum / pixels) ** 2;
  console.log(`luminance variance ${variance.toFixed(1)}, ${blue} blue and ${orange} orange pixels`);
  assert.ok(variance > 100, `page looks blank (luminance variance ${variance.toFixed(1)})`);
  assert.ok(blue > 300 && orange > 300, `curve pixels: ${blue} blue, ${orange} orange`);
});

test('a legend too wide to sit beside the title gets its own row, its entries side by side inside the chart', () => {
  const names = ['source-only, initial θ', 'source-only, tuned θ', 'adapted, tuned θ'];
  const svg = lineChart('target mIoU (val)', names.map((name) => ({ name, color: '#000', points: [[0, 1], [1, 2]] })));
  const rects = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.equal(rects.length, 3);
  assert.ok(rects.every(([, y]) => y > 20), 'below the title (baseline 20)');
  const labels = [...svg.matchAll(/<text class="legend" x="([\d.]+)"[^>]*>([^<]+)</g)].map((m) => [Number(m[1]), m[2]] as const);
  for (let i = 0; i + 1 < labels.length; i++) {
    assert.ok(labels[i][0] + 6 * labels[i][1].length < rects[i + 1][0], `'${labels[i][1]}' ends before the next entry`);
  }
  assert.ok(rects[0][0] >= 0 && labels[2][0] + 6 * labels[2][1].length <= 520, 'inside the chart');
  const one = lineChart('loss', [{ name: 'a', color: '#000', points: [[0, 1]] }, { name: 'b', color: '#111', points: [[0, 2]] }]);
  assert.ok([...one.matchAll(/<rect x="[\d.]+" y="([\d.]+)"/g)].every((m) => Number(m[1]) < 20), 'short legends stay beside the title');
});
