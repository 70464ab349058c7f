// Label tables: Cityscapes labelIds -> the 19 trainIds (cityscapesScripts helpers/labels.py), SYNTHIA class ids
// -> the same trainIds (SYNTHIA-RAND-CITYSCAPES README, as AdaptSegNet/DACS/DAFormer), and the 16 classes Cityscapes
// shares with SYNTHIA. Everything else is 255 (ignore).
import { CITYSCAPES_CLASSES, CITYSCAPES_PALETTE, type Rgb } from '../../io/classes.js';
import { IGNORE } from '../image_ops/geometry.js';

export { CITYSCAPES_CLASSES };

/** labelId -> trainId of the labels that have one (labels.py; license plate, id -1, cannot occur in a PNG). */
const CITYSCAPES_TRAIN_IDS: Record<number, number> = {
  7: 0, 8: 1, 11: 2, 12: 3, 13: 4, 17: 5, 19: 6, 20: 7, 21: 8, 22: 9, 23: 10, 24: 11, 25: 12, 26: 13, 27: 14, 28: 15,
  31: 16, 32: 17, 33: 18,
};

/**
 * SYNTHIA-RAND-CITYSCAPES class id -> Cityscapes trainId. 16 terrain, 18 truck and 20 train are in the table
 * of the reference code though SYNTHIA never labels them.
 */
const SYNTHIA_TRAIN_IDS: Record<number, number> = {
  3: 0, 4: 1, 2: 2, 21: 3, 5: 4, 7: 5, 15: 6, 9: 7, 6: 8, 16: 9, 1: 10, 10: 11, 17: 12, 8: 13, 18: 14, 19: 15, 20: 16,
  12: 17, 11: 18,
};

/** The 16-class protocol: the 19 classes less terrain, truck and train, renumbered in order. */
const DROPPED_FOR_16 = new Set(['terrain', 'truck', 'train']);
export const SYNTHIA16_CLASSES = CITYSCAPES_CLASSES.filter((c) => !DROPPED_FOR_16.has(c));

export type ClassProtocol = 19 | 16;

/** The protocol a network with this many classes follows. */
export const protocolOf = (numClasses: number): ClassProtocol => (numClasses === 16 ? 16 : 19);

export function classNames(protocol: ClassProtocol): readonly string[] {
  return protocol === 19 ? CITYSCAPES_CLASSES : SYNTHIA16_CLASSES;
}

/** The protocol's colours: each class keeps its Cityscapes colour. */
export function classPalette(protocol: ClassProtocol): Rgb[] {
  return (protocol === 19 ? CITYSCAPES_CLASSES : SYNTHIA16_CLASSES).map((name) => CITYSCAPES_PALETTE[CITYSCAPES_CLASSES.indexOf(name)]);
}

/** trainId (19) -> id in the protocol. */
function protocolId(trainId: number, protocol: ClassProtocol): number {
  if (protocol === 19) return trainId;
  const k = SYNTHIA16_CLASSES.indexOf(CITYSCAPES_CLASSES[trainId] as (typeof SYNTHIA16_CLASSES)[number]);
  return k < 0 ? IGNORE : k;
}

/** A lookup table over all `size` source ids: the protocol's class id, or 255. */
function table(toTrainId: Record<number, number>, protocol: ClassProtocol, size: number): Uint8Array {
  const lut = new Uint8Array(size).fill(IGNORE);
  for (const [id, trainId] of Object.entries(toTrainId)) lut[Number(id)] = protocolId(trainId, protocol);
  return lut;
}

/** Cityscapes labelId (also GTA5's palette index) -> class id. */
export const cityscapesLut = (protocol: ClassProtocol) => table(CITYSCAPES_TRAIN_IDS, protocol, 256);
/** SYNTHIA class id (16-bit PNG values) -> class id. */
export const synthiaLut = (protocol: ClassProtocol) => table(SYNTHIA_TRAIN_IDS, protocol, 65536);

/** The first channel of interleaved label samples through `lut` (which covers their whole range) to bytes. */
export function mapLabels(data: Uint8Array | Uint16Array, channels: number, lut: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length / channels);
  for (let i = 0; i < out.length; i++) out[i] = lut[data[i * channels]];
  return out;
}
