// The reference backend: plain TypeScript, written to be read. It is the
// specification every other backend is tested against. Sums run in double and
// are rounded to float32 once, when stored.
import type { ActivationName, DenseKernels } from '../kernels.ts';

const f32 = Math.fround;

function activate(act: ActivationName, x: number): number {
  if (act === 'tanh') return Math.tanh(x);
  if (act === 'relu') return x > 0 ? x : 0;
  return x;
}

// Derivative expressed through the output y = act(x), as the backward pass has it.
function activationSlope(act: ActivationName, y: number): number {
  if (act === 'tanh') return 1 - y * y;
  if (act === 'relu') return y > 0 ? 1 : 0;
  return 1;
}

export const referenceKernels: DenseKernels = {
  linearForward(outT, xT, W, b, B, IN, OUT) {
    for (let o = 0; o < OUT; o++) {
      for (let s = 0; s < B; s++) {
        let sum = b[o];
        for (let i = 0; i < IN; i++) sum += W[o * IN + i] * xT[i * B + s];
        outT[o * B + s] = sum;
      }
    }
  },

  linearBackwardInput(dxT, dyT, W, B, IN, OUT) {
    for (let i = 0; i < IN; i++) {
      for (let s = 0; s < B; s++) {
        let sum = 0;
        for (let o = 0; o < OUT; o++) sum += W[o * IN + i] * dyT[o * B + s];
        dxT[i * B + s] = sum;
      }
    }
  },

  linearBackwardWeight(dW, db, dyT, x, B, IN, OUT) {
    for (let o = 0; o < OUT; o++) {
      let biasSum = 0;
      for (let s = 0; s < B; s++) biasSum += dyT[o * B + s];
      db[o] = biasSum;
      for (let i = 0; i < IN; i++) {
        let sum = 0;
        for (let s = 0; s < B; s++) sum += dyT[o * B + s] * x[s * IN + i];
        dW[o * IN + i] = sum;
      }
    }
  },

  activationForward(act, y, x, n) {
    for (let i = 0; i < n; i++) y[i] = activate(act, x[i]);
  },

  activationBackward(act, dx, dy, y, n) {
    for (let i = 0; i < n; i++) dx[i] = dy[i] * activationSlope(act, y[i]);
  },

  softmaxCrossEntropy(dlogitsT, logitsT, labels, B, C) {
    let lossSum = 0;
    let correct = 0;
    for (let s = 0; s < B; s++) {
      let max = -Infinity;
      let argmax = 0;
      for (let c = 0; c < C; c++) {
        if (logitsT[c * B + s] > max) {
          max = logitsT[c * B + s];
          argmax = c;
        }
      }
      let sum = 0;
      for (let c = 0; c < C; c++) sum += Math.exp(logitsT[c * B + s] - max);
      const y = labels[s];
      lossSum += Math.log(sum) - (logitsT[y * B + s] - max);
      if (argmax === y) correct++;
      for (let c = 0; c < C; c++) {
        const p = Math.exp(logitsT[c * B + s] - max) / sum;
        dlogitsT[c * B + s] = (p - (c === y ? 1 : 0)) / B;
      }
    }
    return [lossSum, correct];
  },

  transpose(out, input, rows, cols) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = input[r * cols + c];
  },

  // Each operation rounded to float32 in torch's order, so native matches exactly.
  adamStep(w, g, m, v, mask, n, lr, beta1, beta2, eps, step) {
    const stepSize = f32(lr / (1 - beta1 ** step));
    const bc2Sqrt = f32(Math.sqrt(1 - beta2 ** step));
    const [b1, b2, oneMinusB1, oneMinusB2] = [f32(beta1), f32(beta2), f32(1 - f32(beta1)), f32(1 - f32(beta2))];
    for (let i = 0; i < n; i++) {
      const grad = mask ? f32(g[i] * mask[i]) : g[i];
      m[i] = f32(f32(m[i] * b1) + f32(oneMinusB1 * grad));
      v[i] = f32(f32(v[i] * b2) + f32(f32(oneMinusB2 * grad) * grad));
      const denom = f32(f32(f32(Math.sqrt(v[i])) / bc2Sqrt) + f32(eps));
      w[i] = f32(w[i] - f32(stepSize * f32(m[i] / denom)));
    }
  },

  sgdStep(w, g, velocity, mask, n, lr, momentum) {
    for (let i = 0; i < n; i++) {
      let step = mask ? f32(g[i] * mask[i]) : g[i];
      if (velocity) {
        step = f32(f32(f32(momentum) * velocity[i]) + step);
        velocity[i] = step;
      }
      w[i] = f32(w[i] - f32(f32(lr) * step));
    }
  },
};
