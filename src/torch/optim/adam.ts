// torch.optim.Adam and AdamW: bias-corrected moments, optional AMSGrad; Adam adds weight decay to the
// gradient (L2), AdamW shrinks the weights directly (decoupled), update for update as PyTorch.
import { Tensor } from '../tensor.js';
import { zerosLike } from '../creation.js';
import { Optimizer, type BaseOptions, type ParamGroup, type ParamState, type ParamsArg } from './optimizer.js';

export interface AdamOptions extends BaseOptions {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
}

type AdamArgs = Partial<AdamOptions>;

abstract class AdamBase extends Optimizer<AdamOptions> {
  /** Whether weight decay shrinks the weights (AdamW) instead of adding to the gradient (Adam). */
  protected abstract readonly decoupled: boolean;

  protected override validate(g: ParamGroup<AdamOptions>): void {
    super.validate(g);
    const name = this.constructor.name;
    if (!(g.eps >= 0)) throw new RangeError(`${name}: invalid eps ${g.eps}`);
    g.betas.forEach((b, i) => {
      if (!(b >= 0 && b < 1)) throw new RangeError(`${name}: invalid beta at index ${i}: ${b}`);
    });
    if (!(g.weightDecay >= 0)) throw new RangeError(`${name}: invalid weightDecay ${g.weightDecay}`);
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup<AdamOptions>, st: ParamState): void {
    const [beta1, beta2] = g.betas;
    if (st.step === undefined) {
      st.step = 0;
      st.exp_avg = zerosLike(p);
      st.exp_avg_sq = zerosLike(p);
      if (g.amsgrad) st.max_exp_avg_sq = zerosLike(p);
    }
    const step = (st.step as number) + 1;
    st.step = step;
    if (g.weightDecay !== 0) {
      if (this.decoupled) p.mul_(1 - g.lr * g.weightDecay);
      else grad = grad.add(p, g.weightDecay);
    }
    const expAvg = st.exp_avg as Tensor;
    const expAvgSq = st.exp_avg_sq as Tensor;
    expAvg.mul_(beta1).add_(grad, 1 - beta1);
    expAvgSq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
    const stepSize = g.lr / (1 - beta1 ** step);
    const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
    let second = expAvgSq;
    if (g.amsgrad) {
      const max = st.max_exp_avg_sq as Tensor;
      max.copy_(max.maximum(expAvgSq));
      second = max;
    }
    p.addcdiv_(expAvg, second.sqrt().div(bias2Sqrt).add_(g.eps), -stepSize);
  }
}

const adamDefaults = (opts: AdamArgs, weightDecay: number): AdamOptions => ({
  lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay, amsgrad: false, ...opts,
});

/** torch.optim.Adam (weight decay as L2 on the gradient; default 0). */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  constructor(params: ParamsArg<AdamOptions>, opts: AdamArgs = {}) { super(params, adamDefaults(opts, 0)); }
}

/** torch.optim.AdamW (decoupled weight decay; default 1e-2). */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  constructor(params: ParamsArg<AdamOptions>, opts: AdamArgs = {}) { super(params, adamDefaults(opts, 1e-2)); }
}
