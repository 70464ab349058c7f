// Annotations for reports and `predict`: boxes with labels, gaze arrows (SVG drawn by sharp), image grids.
import sharp from 'sharp';
import type { Tensor } from '../torch/index.js';
import type { RawImage } from './image.js';
import type { Rgb } from './palette.js';
import { toRgb8 } from './pixels.js';

export interface Box { x1: number; y1: number; x2: number; y2: number; label?: string; score?: number; color?: Rgb }

// matplotlib's tab10, one colour per distinct label when a box has none of its own.
const TAB10: readonly Rgb[] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189], [140, 86, 75], [227, 119, 194],
  [127, 127, 127], [188, 189, 34], [23, 190, 207],
];

const rgb = (c: Rgb) => `rgb(${c[0]},${c[1]},${c[2]})`;
const escapeXml = (s: string) => s.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Draws an SVG fragment over an image (8-bit RGB out). */
async function drawSvg(image: RawImage | Tensor, body: (width: number, height: number) => string): Promise<RawImage> {
  const base = toRgb8(image);
  const { width, height } = base;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body(width, height)}</svg>`;
  const { data } = await sharp(base.data, { raw: { width, height, channels: 3 } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width, height, channels: 3 };
}

/**
 * Boxes in pixel coordinates, each with an optional "label score" tag in DejaVu Sans above its top-left corner
 * (inside the box when there is no room above).
 */
export async function drawBoxes(image: RawImage | Tensor, boxes: readonly Box[], opts: { lineWidth?: number; fontSize?: number } = {}): Promise<RawImage> {
  const labels = [...new Set(boxes.map((b) => b.label ?? ''))];
  return drawSvg(image, (width, height) => {
    const line = opts.lineWidth ?? Math.max(2, Math.round(Math.min(width, height) / 200));
    const font = opts.fontSize ?? Math.max(10, Math.round(Math.min(width, height) / 40));
    return boxes.map((b) => {
      const colour = rgb(b.color ?? TAB10[labels.indexOf(b.label ?? '') % TAB10.length]);
      let svg = `<rect x="${b.x1}" y="${b.y1}" width="${b.x2 - b.x1}" height="${b.y2 - b.y1}" fill="none" stroke="${colour}" stroke-width="${line}"/>`;
      const text = [b.label, b.score === undefined ? undefined : b.score.toFixed(2)].filter((s) => s !== undefined).join(' ');
      if (text) {
        const tagH = Math.round(font * 1.3);
        const tagW = Math.round(font * 0.62 * text.length) + 4; // DejaVu Sans averages about 0.62 em a character
        const top = b.y1 - line / 2 >= tagH ? b.y1 - line / 2 - tagH : b.y1 + line / 2;
        const left = b.x1 - line / 2;
        svg += `<rect x="${left}" y="${top}" width="${tagW}" height="${tagH}" fill="${colour}"/>`
          + `<text x="${left + 2}" y="${top + font}" font-family="DejaVu Sans" font-size="${font}" fill="white">${escapeXml(text)}</text>`;
      }
      return svg;
    }).join('');
  });
}

/**
 * The image-plane displacement of a gaze direction (radians), as MPIIGaze / ETH-XGaze draw it:
 * dx = -length cos(pitch) sin(yaw), dy = -length sin(pitch). Positive yaw points to the image's left and positive
 * pitch up (ETH-XGaze demo.py, draw_gaze: dx = -length * sin(yaw) * cos(pitch), dy = -length * sin(pitch)).
 */
export function gazeVector(pitch: number, yaw: number, length: number): { dx: number; dy: number } {
  return { dx: -length * Math.cos(pitch) * Math.sin(yaw), dy: -length * Math.sin(pitch) };
}

/** An arrow from (x, y) along a gaze direction; length defaults to half the smaller image side (as ETH-XGaze). */
export async function drawGazeArrow(image: RawImage | Tensor,
  g: { x: number; y: number; pitch: number; yaw: number; length?: number; color?: Rgb; thickness?: number }): Promise<RawImage> {
  return drawSvg(image, (width, height) => {
    const { dx, dy } = gazeVector(g.pitch, g.yaw, g.length ?? Math.min(width, height) / 2);
    const [tx, ty] = [g.x + dx, g.y + dy];
    const colour = rgb(g.color ?? [255, 0, 0]);
    const thick = g.thickness ?? 2;
    let svg = `<line x1="${g.x}" y1="${g.y}" x2="${tx}" y2="${ty}" stroke="${colour}" stroke-width="${thick}" stroke-linecap="round"/>`;
    const len = Math.hypot(dx, dy);
    if (len >= 1) {
      // A head 0.2 of the arrow long (OpenCV's arrowedLine default tipLength), +-30 degrees around the shaft.
      const head = 0.2 * len;
      const wing = (s: number) => {
        const a = Math.atan2(-dy, -dx) + s * Math.PI / 6;
        return `${tx + head * Math.cos(a)},${ty + head * Math.sin(a)}`;
      };
      svg += `<polygon points="${tx},${ty} ${wing(1)} ${wing(-1)}" fill="${colour}"/>`;
    }
    return svg;
  });
}

/**
 * Images in a grid of `cols` columns (default: about square), each centred in a cell the size of the largest
 * image, with `padding` pixels of `background` between and around the cells.
 */
export function makeGrid(images: readonly (RawImage | Tensor)[],
  opts: { cols?: number; padding?: number; background?: Rgb } = {}): RawImage {
  if (images.length === 0) throw new Error('makeGrid: no images');
  const rgbs = images.map(toRgb8);
  const cols = Math.min(opts.cols ?? Math.ceil(Math.sqrt(rgbs.length)), rgbs.length);
  const rows = Math.ceil(rgbs.length / cols);
  const pad = opts.padding ?? 2;
  const [bgR, bgG, bgB] = opts.background ?? [255, 255, 255];
  const cellW = Math.max(...rgbs.map((im) => im.width));
  const cellH = Math.max(...rgbs.map((im) => im.height));
  const width = cols * cellW + (cols + 1) * pad;
  const height = rows * cellH + (rows + 1) * pad;
  const out = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) out.set([bgR, bgG, bgB], 3 * p);
  rgbs.forEach((im, i) => {
    const left = pad + (i % cols) * (cellW + pad) + Math.floor((cellW - im.width) / 2);
    const top = pad + Math.floor(i / cols) * (cellH + pad) + Math.floor((cellH - im.height) / 2);
    for (let y = 0; y < im.height; y++) {
      out.set(im.data.subarray(y * im.width * 3, (y + 1) * im.width * 3), ((top + y) * width + left) * 3);
    }
  });
  return { data: out, width, height, channels: 3 };
}
