// Method configs: a YAML or JSON file, then `--set a.b=value` overrides, validated by the method's zod schema
// (which holds the default of every field). Errors name the field and what it accepts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { UsageError } from './errors.js';

type Json = Record<string, unknown>;

/** Reads a config file (.yaml, .yml or .json) into a plain object. */
export function readConfigFile(file: string): Json {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`Config file not found: ${file}`);
  }
  let value: unknown;
  try {
    value = path.extname(file).toLowerCase() === '.json' ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new UsageError(`Cannot parse config file ${file}: ${(err as Error).message}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`Config file ${file} must hold a mapping of fields`);
  return value as Json;
}

/** Applies `a.b=value` overrides in order; the value is read as YAML, so `3`, `true`, `[1, 2]` and `x` all work. */
export function applySettings(config: Json, settings: readonly string[]): Json {
  const out = structuredClone(config);
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    const key = eq > 0 ? setting.slice(0, eq).trim() : '';
    if (!key || key.split('.').some((k) => k === '')) throw new UsageError(`--set expects field=value (e.g. --set optim.lr=0.01), got '${setting}'`);
    const raw = setting.slice(eq + 1);
    let value: unknown;
    try {
      value = raw === '' ? '' : YAML.parse(raw);
    } catch {
      value = raw;
    }
    const keys = key.split('.');
    let node: Json = out;
    for (const k of keys.slice(0, -1)) {
      const next = node[k];
      if (next === undefined) node[k] = {};
      else if (typeof next !== 'object' || next === null || Array.isArray(next)) throw new UsageError(`--set ${key}: '${k}' is not a group of fields`);
      node = node[k] as Json;
    }
    node[keys[keys.length - 1]] = value;
  }
  return out;
}

/** The object schema inside defaults/optionals, or undefined for a leaf. */
function objectShape(schema: z.ZodTypeAny): Record<string, z.ZodTypeAny> | undefined {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodEffects) {
    s = s instanceof z.ZodEffects ? s.innerType() : s._def.innerType;
  }
  return s instanceof z.ZodObject ? (s.shape as Record<string, z.ZodTypeAny>) : undefined;
}

/** Fields the schema does not know, anywhere in the tree: a typo must not silently fall back to a default. */
function unknownFields(schema: z.ZodTypeAny, value: unknown, at: string[] = []): string[] {
  const shape = objectShape(schema);
  if (!shape || typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const problems: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const field = [...at, k].join('.');
    if (!(k in shape)) problems.push(`${field}: unknown field (allowed here: ${Object.keys(shape).join(', ')})`);
    else problems.push(...unknownFields(shape[k], v, [...at, k]));
  }
  return problems;
}

function describeIssue(issue: z.ZodIssue): string {
  const field = issue.path.join('.') || '(config)';
  switch (issue.code) {
    case 'invalid_enum_value':
      return `${field}: '${String(issue.received)}' is not allowed (allowed: ${issue.options.join(', ')})`;
    case 'invalid_literal':
      return `${field}: must be ${JSON.stringify(issue.expected)}`;
    case 'invalid_type':
      return `${field}: expected ${issue.expected}, got ${issue.received}`;
    default:
      return `${field}: ${issue.message}`;
  }
}

/** Validates a config object against a method's schema, filling defaults; throws a UsageError listing every problem. */
export function validateConfig<S extends z.ZodTypeAny>(schema: S, config: Json, source = 'config'): z.infer<S> {
  const problems = unknownFields(schema, config);
  const parsed = schema.safeParse(config);
  if (!parsed.success) problems.push(...parsed.error.issues.map(describeIssue));
  if (problems.length > 0) throw new UsageError(`Invalid ${source}:\n  ${problems.join('\n  ')}`);
  return parsed.data;
}

/** File (optional) + overrides + schema defaults -> the resolved config. */
export function resolveConfig<S extends z.ZodTypeAny>(schema: S, opts: { file?: string; set?: readonly string[] }): z.infer<S> {
  const base = opts.file ? readConfigFile(opts.file) : {};
  const source = opts.file ? `config (${opts.file}${opts.set?.length ? ' + --set' : ''})` : 'config';
  return validateConfig(schema, applySettings(base, opts.set ?? []), source);
}
