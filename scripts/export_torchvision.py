"""Export a torchvision classification model's state dict to safetensors, for ShiftKit's Module.loadStateDict.

  /usr/bin/python3 scripts/export_torchvision.py resnet50 --weights IMAGENET1K_V2 -o resnet50.safetensors
  /usr/bin/python3 scripts/export_torchvision.py resnet18 --checkpoint mine.pth --num-classes 10 -o mine.safetensors

--weights names a torchvision weights enum member (DEFAULT, IMAGENET1K_V1, ...): torchvision loads it from its
cache (~/.cache/torch/hub/checkpoints), downloading it if it can. --checkpoint reads a local state dict instead
(a .pth of model.state_dict(), optionally under a 'state_dict' or 'model' key). The file is written here, in the
safetensors layout (8-byte little-endian header length, JSON header, raw little-endian bytes), so the
`safetensors` package is not needed. Keys are torchvision's, e.g. layer1.0.conv1.weight, bn1.running_mean.
"""
import argparse
import json
import struct
import sys

import torch
import torchvision

FORMATS = {torch.float32: 'F32', torch.float64: 'F64', torch.float16: 'F16', torch.bfloat16: 'BF16',
           torch.int64: 'I64', torch.int32: 'I32', torch.int16: 'I16', torch.int8: 'I8', torch.uint8: 'U8',
           torch.bool: 'BOOL'}


def write_safetensors(path, tensors, metadata):
    header = {'__metadata__': metadata}
    chunks, offset = [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        if t.dtype not in FORMATS:
            sys.exit(f'{name}: dtype {t.dtype} has no safetensors format')
        # bfloat16 has no numpy dtype: reinterpret its bits as int16 for the byte copy.
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {'dtype': FORMATS[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header, separators=(',', ':')).encode('utf-8')
    encoded += b' ' * (-len(encoded) % 8)  # the data starts 8-byte aligned
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(encoded)))
        f.write(encoded)
        for raw in chunks:
            f.write(raw)


def load_checkpoint(path):
    sd = torch.load(path, map_location='cpu')
    for key in ('state_dict', 'model'):
        if isinstance(sd, dict) and isinstance(sd.get(key), dict):
            sd = sd[key]
    # Checkpoints saved from DataParallel / DistributedDataParallel prefix every key with 'module.'.
    return {k[len('module.'):] if k.startswith('module.') else k: v for k, v in sd.items()}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('model', help='torchvision model name, e.g. resnet18, resnet50')
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument('--weights', help='torchvision weights name, e.g. DEFAULT or IMAGENET1K_V1')
    source.add_argument('--checkpoint', help='a local state-dict file (.pth)')
    p.add_argument('--num-classes', type=int, default=1000, help="the checkpoint's number of classes (with --checkpoint)")
    p.add_argument('-o', '--output', required=True, help='the .safetensors file to write')
    args = p.parse_args()

    if args.weights is not None:
        weights = torchvision.models.get_model_weights(args.model)[args.weights]
        model = torchvision.models.get_model(args.model, weights=weights)
        origin = f'torchvision {torchvision.__version__} {args.model} {weights}'
    else:
        model = torchvision.models.get_model(args.model, weights=None, num_classes=args.num_classes)
        # Strict load: the export must have exactly the keys and shapes the architecture expects.
        model.load_state_dict(load_checkpoint(args.checkpoint))
        origin = f'{args.checkpoint} as torchvision {args.model}'
    write_safetensors(args.output, model.state_dict(), {'format': 'pt', 'source': origin})
    print(f'wrote {len(model.state_dict())} tensors to {args.output}')


if __name__ == '__main__':
    main()
