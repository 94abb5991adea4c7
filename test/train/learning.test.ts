// A short-budget default run proves that the native backend learns: the
// default 784-1024-20-20-20-2 tanh net, torch init, parity on the embedded
// MNIST digits split 8000/2000 by the seeded stratified splitter, Adam 1e-3,
// batch 128, 3 epochs.
//
// Measured test accuracy after 3 epochs: seeds 1–5 give 0.951, 0.944, 0.942,
// 0.942, 0.939 (final train loss 0.15–0.19, test loss 0.156–0.169). Deliberately broken backward passes,
// same budget, seeds 1–2: without tanh's derivative 0.82–0.84, with the first
// layer frozen (a random-feature model) 0.875–0.889, without the input gradient
// 0.58–0.61, with dW's sign flipped 0.15–0.17 (train loss ≥ 0.26 in all of them).
// Threshold 0.93 sits between the two groups; the majority class is ~0.51.
import { describe, expect, it } from 'vitest';
import { nativeBackend } from '../../src/backend/registry.ts';
import { loadMnistPackage } from '../../src/data/mnist-package.ts';
import { stratifiedSplit } from '../../src/data/split.ts';
import { applyTask, parseTask } from '../../src/data/tasks.ts';
import { Rng } from '../../src/core/rng.ts';
import { train } from '../../src/train/trainer.ts';
import { restoreNativeSettingsAfterEach } from '../helpers/native.ts';
import { ADAM, seededNetwork } from '../helpers/nets.ts';

restoreNativeSettingsAfterEach();

const parity = applyTask(loadMnistPackage(), parseTask('parity'));

describe('the default net learns parity in 3 epochs (native)', () => {
  it.each([1, 2, 3])('train(784-1024-20-20-20-2,tanh,parity,8000/2000,adam 1e-3,B=128,epochs=3,seed=%i): test accuracy ≥ 0.93', (seed) => {
    const data = stratifiedSplit(parity, Rng.stream(seed, 'split'), { trainSize: 8000, testSize: 2000 });
    expect([data.train.rows, data.test.rows, data.train.classes]).toEqual([8000, 2000, 2]);
    const net = seededNetwork([784, 1024, 20, 20, 20, 2], 'tanh', seed);
    const history = train({ net, backend: nativeBackend(), data, epochs: 3, batchSize: 128, optimizer: ADAM, seed });
    expect(history.map((m) => m.epoch)).toEqual([1, 2, 3]);
    for (let e = 1; e < 3; e++) expect(history[e].trainLoss, `train loss falls in epoch ${e + 1}`).toBeLessThan(history[e - 1].trainLoss);
    const last = history[2];
    expect(last.trainLoss).toBeLessThan(0.25);
    expect(last.testAcc).toBeGreaterThanOrEqual(0.93);
    expect(last.testLoss).toBeLessThan(0.25);
  });
});
