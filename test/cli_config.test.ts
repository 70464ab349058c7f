// Config files, --set overrides and validation messages (src/cli/config.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { applySettings, resolveConfig } from '../src/cli/config.js';
import { UsageError } from '../src/cli/errors.js';

const schema = z.object({
  steps: z.number().int().positive().default(100),
  model: z.object({
    backbone: z.enum(['resnet18', 'resnet50']).default('resnet18'),
    outputStride: z.union([z.literal(8), z.literal(16)]).default(16),
  }).strict().default({}),
  optim: z.object({ lr: z.number().positive().default(0.01), milestones: z.array(z.number()).default([]) }).strict().default({}),
}).strict();

function tmpFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftkit-config-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof UsageError, `expected a UsageError, got ${String(err)}`);
    return err.message;
  }
  assert.fail('expected an error');
}

test('defaults fill every field when nothing is given', () => {
  assert.deepEqual(resolveConfig(schema, {}), { steps: 100, model: { backbone: 'resnet18', outputStride: 16 }, optim: { lr: 0.01, milestones: [] } });
});

test('a YAML file, then --set overrides, win over defaults', () => {
  const file = tmpFile('seg.yaml', 'steps: 20\nmodel:\n  backbone: resnet50\n');
  const config = resolveConfig(schema, { file, set: ['optim.lr=0.5', 'model.outputStride=8', 'optim.milestones=[10, 15]', 'steps=30'] });
  assert.deepEqual(config, { steps: 30, model: { backbone: 'resnet50', outputStride: 8 }, optim: { lr: 0.5, milestones: [10, 15] } });
});

test('a JSON file reads the same', () => {
  const file = tmpFile('seg.json', JSON.stringify({ optim: { lr: 0.2 } }));
  assert.equal(resolveConfig(schema, { file }).optim.lr, 0.2);
});

test('--set values are typed as YAML scalars and leave the input untouched', () => {
  const base = { a: { b: 1 } };
  const out = applySettings(base, ['a.b=2.5', 'a.c=true', 'a.d=resnet18', 'e.f=null']);
  assert.deepEqual(out, { a: { b: 2.5, c: true, d: 'resnet18' }, e: { f: null } });
  assert.deepEqual(base, { a: { b: 1 } });
});

test('a bad enum value names the field and the allowed values', () => {
  const msg = usageMessage(() => resolveConfig(schema, { set: ['model.backbone=resnet99'] }));
  assert.match(msg, /model\.backbone: 'resnet99' is not allowed \(allowed: resnet18, resnet50\)/);
});

test('an unknown field (a typo) is an error that lists the fields allowed there', () => {
  const msg = usageMessage(() => resolveConfig(schema, { set: ['optim.lrr=0.1'] }));
  assert.match(msg, /optim\.lrr: unknown field \(allowed here: lr, milestones\)/);
});

test('wrong types and ranges name the field; all problems are listed at once', () => {
  const msg = usageMessage(() => resolveConfig(schema, { set: ['steps=-3', 'optim.lr=fast'] }));
  assert.match(msg, /steps: Number must be greater than 0/);
  assert.match(msg, /optim\.lr: expected number, got string/);
});

test('malformed --set, missing and unparsable files are usage errors naming the culprit', () => {
  assert.match(usageMessage(() => applySettings({}, ['lr'])), /--set expects field=value.*'lr'/);
  assert.match(usageMessage(() => applySettings({ steps: 3 }, ['steps.x=1'])), /'steps' is not a group of fields/);
  assert.match(usageMessage(() => resolveConfig(schema, { file: '/nonexistent/seg.yaml' })), /Config file not found: \/nonexistent\/seg\.yaml/);
  const bad = tmpFile('bad.yaml', 'steps: [1, 2\n');
  assert.match(usageMessage(() => resolveConfig(schema, { file: bad })), new RegExp(`Cannot parse config file ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
});
