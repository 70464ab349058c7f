// The `shiftkit` program as a user runs it: exit codes and help text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shiftkit } from './helpers/cli.js';

test('--help lists the commands with examples and exits 0', () => {
  const r = shiftkit('--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Usage: shiftkit/);
  assert.match(r.stdout, /demo/);
  assert.match(r.stdout, /Examples:/);
});

test('a command\'s --help shows its examples', () => {
  const r = shiftkit('demo', '--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /npx shiftkit demo --quick/);
});

test('an unknown command or option exits 2 with a hint', () => {
  const cmd = shiftkit('frobnicate');
  assert.equal(cmd.code, 2);
  assert.match(cmd.stderr, /unknown command 'frobnicate'/);
  const opt = shiftkit('demo', '--fast');
  assert.equal(opt.code, 2);
  assert.match(opt.stderr, /unknown option '--fast'/);
  assert.match(opt.stderr, /--help/);
});

test('report on a folder that is not a run exits 2 naming it', () => {
  const r = shiftkit('report', '/nonexistent/run');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\/nonexistent\/run is not a run folder/);
});
