// Claim 2's partials: the explicit render Jacobian (first) times the pixel gradient of the loss (second), summed
// over pixels, equals autograd's gradient of the loss with respect to θ (third), in float64. The Jacobian's
// columns are also checked against central finite differences of the renderer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import { render } from '../src/render/render.js';
import { RenderParams } from '../src/render/params.js';
import { streetScene } from '../src/render/scenes/street.js';
import { chainRule, pixelGradient, renderJacobian } from '../src/methods/render/jacobian.js';
import { thetaLoss } from '../src/methods/render/losses.js';
import { Classifier } from '../src/methods/render/networks.js';

const values = (t: torch.Tensor) => Array.from(t.double().contiguous().toTypedArray() as Float64Array);
const NAMES = ['ambient.intensity', 'light0.color', 'material.road.albedo', 'fog.density', 'camera.exposure'];

function setup() {
  torch.manualSeed(3);
  const params = RenderParams.defaults('street').to('float64');
  const scenes = [streetScene(1, { width: 16, height: 8 }), streetScene(2, { width: 16, height: 8 })];
  const classifier = new Classifier({ kind: 'patchgan', width: 4, layers: 2, norm: 'none' }).to('float64');
  return { params, scenes, classifier };
}

test('sum over pixels of dLoss/dpixel x dpixel/dθ equals autograd dLoss/dθ (float64)', () => torch.scope(() => {
  const { params, scenes, classifier } = setup();
  const rgb = render(scenes, params).rgb;
  const real = torch.rand([3, 3, 8, 16], { dtype: 'float64' });
  const jac = renderJacobian(rgb, params, NAMES);
  assert.equal(jac.matrix.shape.join(), [2 * 3 * 8 * 16, 1 + 3 + 3 + 1 + 1].join());
  assert.deepEqual(jac.entries.slice(0, 4), ['ambient.intensity', 'light0.color[0]', 'light0.color[1]', 'light0.color[2]']);
  for (const [reduction, kind] of [['mean', 'nonsaturating'], ['sum', 'minimax']] as const) {
    torch.scope(() => {
      const third = values(chainRule(jac, pixelGradient(classifier, rgb, real, reduction, kind)));
      const leaves = NAMES.map((n) => params.parameters()[params.names().indexOf(n)]);
      const grads = torch.autograd.grad(thetaLoss(classifier.forward(torch.cat([rgb, real])).narrow(0, 0, 2), 3, reduction, kind), leaves, { retainGraph: true });
      const expected = grads.flatMap((g) => values(g!));
      assert.ok(expected.some((g) => Math.abs(g) > 1e-6), 'the loss depends on θ');
      expected.forEach((g, i) => assert.ok(Math.abs(third[i] - g) <= 1e-10 * Math.max(1, Math.abs(g)), `${jac.entries[i]}: ${third[i]} vs ${g}`));
    });
  }
}));

test('Jacobian columns match central finite differences of the renderer', () => torch.scope(() => {
  const { params } = setup();
  const scenes = [streetScene(4, { width: 16, height: 8 })];
  const name = 'material.road.albedo';
  const jac = renderJacobian(render(scenes, params).rgb, params, [name]);
  const leaf = params.parameters()[params.names().indexOf(name)];
  const h = 1e-6;
  const at = (d: number) => torch.noGrad(() => {
    const raw = params.parameters().map((t) => (t === leaf ? t.detach().add(torch.tensor([0, d, 0], { dtype: 'float64' })) : t.detach()));
    return values(render(scenes, params.withRaw(raw)).rgb);
  });
  // Column 1: the green albedo entry.
  const plus = at(h), minus = at(-h);
  const col = values(jac.matrix.select(1, 1));
  let max = 0;
  col.forEach((c, i) => { max = Math.max(max, Math.abs(c - (plus[i] - minus[i]) / (2 * h))); });
  assert.ok(col.some((c) => Math.abs(c) > 1e-3), 'road albedo changes pixels');
  assert.ok(max < 1e-6, `max |analytic - finite difference| = ${max}`);
}));
