// Whole training steps and evaluations on the gpu backend (gpu.js products in
// its CPU and WebAssembly modes, native for the rest) against the reference
// backend, on the native engine tests' set-up: torch init from the seeded
// `init` stream, real MNIST digits, 784-32-16-10, batch 32 with partial
// batches. Same tolerances as native vs reference (test/backend/engine.test.ts):
// weights after 12 steps within 1e-5 (Adam) / 1e-6 (SGD + momentum) while each
// step moves some weight by more than 20× that; summed losses within 1e-5
// relative; correct counts equal; activations within 1e-5·(1 + |a|).
import { createEngine } from '../../src/train/engine.ts';
import { afterAll, describe, expect, it } from 'vitest';
import type { ActivationName } from '../../src/backend/kernels.ts';
import { type GpuBackend, gpuBackend } from '../../src/backend/gpu/gpu-backend.ts';
import { referenceBackend } from '../../src/backend/registry.ts';
import { informationPlane } from '../../src/mi/information-plane.ts';
import { bitDifference, boundViolation, maxAbsDiff } from '../helpers/floats.ts';
import { restoreNativeSettingsAfterEach } from '../helpers/native.ts';
import { ADAM, cloneNetwork, engineWorkload, flatParameters, seededNetwork } from '../helpers/nets.ts';
import { CPU_MODES } from './modes.ts';

restoreNativeSettingsAfterEach();

const { SIZES, FEATURES, BATCH, STEPS, data, batchAt, OPTIMIZERS } = engineWorkload();

const backends: GpuBackend[] = [];
afterAll(() => backends.forEach((b) => b.destroy()));

describe.each(CPU_MODES)('gpu backend (gpu.js %s) vs reference', (mode) => {
  const gpu = gpuBackend({ mode });
  backends.push(gpu);

  describe.each(['tanh', 'relu'] as ActivationName[])('%s', (act) => {
    it.each(OPTIMIZERS)(`trainBatch×${STEPS}(784-32-16-10,${act},%s,B=${BATCH},gpu.js ${mode})`, (_name, optimizer, tolerance) => {
      const start = seededNetwork(SIZES, act, 5);
      const [gNet, rNet] = [cloneNetwork(start), cloneNetwork(start)];
      const g = createEngine(gpu, gNet, optimizer, BATCH);
      const r = createEngine(referenceBackend, rNet, optimizer, BATCH);
      let previous = flatParameters(gNet);
      for (let step = 0; step < STEPS; step++) {
        const { x, labels, rows } = batchAt(step);
        const gs = g.trainBatch(x, labels, rows);
        const rs = r.trainBatch(x, labels, rows);
        expect(gs.correct, `correct at step ${step}`).toBe(rs.correct);
        expect(Math.abs(gs.lossSum - rs.lossSum), `loss at step ${step}`).toBeLessThanOrEqual(1e-5 * rs.lossSum);
        const now = flatParameters(gNet);
        expect(maxAbsDiff(now, previous), `step ${step} moves the weights`).toBeGreaterThan(20 * tolerance);
        previous = now;
      }
      expect(maxAbsDiff(flatParameters(gNet), flatParameters(rNet))).toBeLessThanOrEqual(tolerance);
    });

    it(`evaluate(784-32-16-10,${act},rows=1500,gpu.js ${mode}): activations equal the reference's`, () => {
      const net = seededNetwork(SIZES, act, 6);
      const [gE, rE] = [gpu, referenceBackend].map((b) => createEngine(b, net, ADAM, BATCH).evaluate(data.x, data.labels, 1500, { activations: true }));
      expect(gE.correct).toBe(rE.correct);
      expect(Math.abs(gE.lossSum - rE.lossSum)).toBeLessThanOrEqual(1e-5 * rE.lossSum);
      gE.activations!.forEach((a, l) => {
        const e = rE.activations![l];
        expect(
          boundViolation(a, e, a.length, (i) => 1e-5 * (1 + Math.abs(e[i]))),
          `layer ${l + 1}`,
        ).toBeUndefined();
      });
    });
  });

  it(`same seed, same backend: bitwise-identical weights, and evaluation does not depend on the chunking (gpu.js ${mode})`, () => {
    const nets = [seededNetwork(SIZES, 'tanh', 9), seededNetwork(SIZES, 'tanh', 9)];
    const engines = nets.map((n) => createEngine(gpu, n, ADAM, BATCH));
    for (let step = 0; step < 4; step++) {
      const { x, labels, rows } = batchAt(step);
      engines.forEach((e) => e.trainBatch(x, labels, rows));
    }
    expect(bitDifference(flatParameters(nets[0]), flatParameters(nets[1]))).toBeUndefined();
    const whole = engines[0].evaluate(data.x, data.labels, 1500, { activations: true }).activations!.map((a) => a.slice());
    const part = engines[0].evaluate(data.x.subarray(1000 * FEATURES), data.labels.subarray(1000), 100, { activations: true });
    part.activations!.forEach((a, l) => {
      const width = SIZES[l + 1];
      expect(bitDifference(a, whole[l].subarray(1000 * width, 1100 * width)), `layer ${l + 1}`).toBeUndefined();
    });
  });

  it(`the binning MI engine of the backend gives the native engine's information plane (gpu.js ${mode})`, () => {
    const net = seededNetwork(SIZES, 'tanh', 4);
    const ev = createEngine(gpu, net, ADAM, BATCH).evaluate(data.x, data.labels, 1500, { activations: true });
    const layers = ev.activations!.slice(0, -1).map((a, l) => ({ activations: a, width: SIZES[l + 1] }));
    for (const binning of ['fixed:30', 'idnns:30', 'adaptive:30', 'width:0.5']) {
      const viaGpu = informationPlane(layers, data.labels, { binning, engine: gpu.miKernels() });
      const viaNative = informationPlane(layers, data.labels, { binning, engine: 'native' });
      expect(viaGpu, binning).toEqual(viaNative);
    }
  });
});
