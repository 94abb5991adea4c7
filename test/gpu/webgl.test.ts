// The gpu backend in gpu.js's WebGL mode (headless-gl; Mesa llvmpipe under
// Xvfb where there is no GPU): the same checks as the CPU modes, on fewer
// shapes (each new shape compiles a shader, ~0.3 s in llvmpipe).
//
// Enables itself: with a built `gl` and a display it runs here; with a built
// `gl`, no DISPLAY and xvfb-run installed it re-runs this file under
// `xvfb-run -a` and checks that every case passed there; otherwise it is
// skipped, and the skipped test's name says why and how to enable it (CI does
// not build `gl`: package.json sets allowScripts.gl = false; see
// TOOLCHAIN.md "gpu.js 2.24").
import { createEngine } from '../../src/train/engine.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GpuBinner, gpuMiEngine } from '../../src/backend/gpu/binning.ts';
import { GpuDenseProducts } from '../../src/backend/gpu/dense.ts';
import { gpuBackend } from '../../src/backend/gpu/gpu-backend.ts';
import { probeGpuJs } from '../../src/backend/gpu/loader.ts';
import { referenceBackend } from '../../src/backend/registry.ts';
import { binningParams, parseBinning } from '../../src/mi/binning.ts';
import { binCodesReference, referenceMiEngine } from '../../src/backend/reference/mi.ts';
import { Rng } from '../../src/core/rng.ts';
import { boundViolation, maxAbsDiff } from '../helpers/floats.ts';
import { ADAM, cloneNetwork, flatParameters, mnistSlice, seededNetwork } from '../helpers/nets.ts';
import { type LinearCase, checkProduct } from './linear-cases.ts';

const CHILD = process.env.INFOPLANE_WEBGL_CHILD === '1';
const gl = probeGpuJs({ mode: 'headlessgl' });
const repoRoot = resolve(import.meta.dirname, '../..');

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

const plan: 'here' | 'xvfb' | 'skip' = gl.available || CHILD ? 'here' : gl.gl.state === 'no-display' && onPath('xvfb-run') ? 'xvfb' : 'skip';
const skipReason =
  plan === 'skip'
    ? `${gl.reason ?? 'headless-gl unavailable'}${gl.gl.state === 'no-display' ? ' (and xvfb-run is not installed: apt-get install -y xvfb)' : ''}`
    : '';

if (plan === 'skip') {
  describe('gpu.js WebGL mode', () => {
    it.skip(`not tested here: ${skipReason}`, () => {});
    console.warn(`gpu.js WebGL mode not tested: ${skipReason}`);
  });
}

describe.runIf(plan === 'xvfb')('gpu.js WebGL mode under xvfb-run -a', () => {
  it('every WebGL case of this file passes under Xvfb (Mesa llvmpipe)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infoplane-webgl-'));
    try {
      const report = join(dir, 'report.json');
      const r = spawnSync(
        'xvfb-run',
        [
          '-a',
          process.execPath,
          resolve(repoRoot, 'node_modules/vitest/vitest.mjs'),
          'run',
          'test/gpu/webgl.test.ts',
          '--reporter=json',
          `--outputFile=${report}`,
        ],
        {
          cwd: repoRoot,
          encoding: 'utf8',
          env: { ...process.env, INFOPLANE_WEBGL_CHILD: '1' },
          timeout: 110_000,
        },
      );
      const summary = JSON.parse(readFileSync(report, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
      };
      const failures = summary.testResults
        .flatMap((f) => f.assertionResults)
        .filter((a) => a.status === 'failed')
        .map((a) => `${a.fullName}: ${a.failureMessages[0]?.split('\n')[0]}`);
      expect(failures, `xvfb-run exit ${r.status}`).toEqual([]);
      expect(summary.numPassedTests).toBeGreaterThanOrEqual(20);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.runIf(plan === 'here')('gpu.js WebGL mode (headlessgl)', () => {
  it('headless-gl is really what runs', () => {
    expect(gl.reason).toBeUndefined();
    expect(gl.picked).toBe('headlessgl');
  });

  const backend = plan === 'here' && gl.available ? gpuBackend({ mode: 'headlessgl' }) : undefined;
  afterAll(() => backend?.destroy());
  const products = backend ? new GpuDenseProducts(backend.gpu) : undefined;
  const SHAPES: LinearCase[] = [
    { B: 1, IN: 1, OUT: 1 },
    { B: 7, IN: 33, OUT: 15 },
    { B: 17, IN: 100, OUT: 3 },
    { B: 130, IN: 15, OUT: 100 },
    { B: 64, IN: 3, OUT: 33 },
    { B: 128, IN: 784, OUT: 64 }, // the first layer at the training batch, 784-long chains
  ];
  const OPS = ['linearForward', 'linearBackwardInput', 'linearBackwardWeight'] as const;
  it.each(SHAPES.flatMap((s) => OPS.map((op) => ({ ...s, op, name: `${op}(B=${s.B},IN=${s.IN},OUT=${s.OUT},gpu.js headlessgl)` }))))('$name', (c) => {
    expect(checkProduct(products!, c.op, c, c.name)).toBeUndefined();
  });

  const data = mnistSlice(600);
  it('trainBatch×8(784-32-16-10,tanh,adam,B=32,gpu.js headlessgl) ≈ reference within 1e-5; evaluate activations within 1e-5·(1+|a|)', () => {
    const sizes = [784, 32, 16, 10];
    const start = seededNetwork(sizes, 'tanh', 5);
    const [gNet, rNet] = [cloneNetwork(start), cloneNetwork(start)];
    const g = createEngine(backend!, gNet, ADAM, 32);
    const r = createEngine(referenceBackend, rNet, ADAM, 32);
    for (let step = 0; step < 8; step++) {
      const at = (step * 32) % 100;
      const rows = Math.min(32, 100 - at);
      const [gs, rs] = [g, r].map((e) => e.trainBatch(data.x.subarray(at * 784), data.labels.subarray(at), rows));
      expect(gs.correct).toBe(rs.correct);
      expect(Math.abs(gs.lossSum - rs.lossSum)).toBeLessThanOrEqual(1e-5 * rs.lossSum);
    }
    expect(maxAbsDiff(flatParameters(gNet), flatParameters(rNet))).toBeLessThanOrEqual(1e-5);
    const [ge, re] = [g, r].map((e) => e.evaluate(data.x, data.labels, 600, { activations: true }));
    ge.activations!.forEach((a, l) => {
      const e = re.activations![l];
      expect(
        boundViolation(a, e, a.length, (i) => 1e-5 * (1 + Math.abs(e[i]))),
        `layer ${l + 1}`,
      ).toBeUndefined();
    });
  });

  it.each(['fixed:30', 'idnns:30', 'idnns:3', 'adaptive:30', 'width:0.5', 'width:0.1', 'fixed:4:-1e-40:1e-40'])(
    'binCodes(%s, gpu.js headlessgl) = reference bit for bit, subnormals included',
    (text) => {
      const p = binningParams(parseBinning(text), 'tanh');
      const rng = new Rng(2);
      const values: number[] = [0, -0, 1e-45, -1e-45, -2e-45, 1e-40, -1e-40, 2 ** -126, -(2 ** -126)];
      for (let k = -30; k <= 30; k++) for (let d = -2; d <= 2; d++) values.push(Math.fround(k / 15) + d * 2 ** -24, k * 0.1 * (1 + d * 6e-8));
      while (values.length % 5 !== 0 || values.length < 3000) values.push(Math.tanh(3 * rng.nextNormal()));
      const t = Float32Array.from(values);
      const n = t.length / 5;
      const binner = new GpuBinner(backend!.gpu);
      const [got, expected] = [new Int32Array(t.length), new Int32Array(t.length)];
      expect(binner.binCodes(got, t, n, 5, p)).toEqual(binCodesReference(expected, t, n, 5, p));
      let first = -1;
      for (let k = 0; k < t.length && first < 0; k++) if (got[k] !== expected[k]) first = k;
      expect(first < 0 ? 'equal' : `[${first}] h = ${t[first]}: ${got[first]} vs ${expected[first]}`).toBe('equal');
    },
  );

  it("informationPlane through the WebGL binning step = the counting engine's", () => {
    const rng = new Rng(5);
    const n = 800;
    const layers = [3, 20].map((w) => ({ activations: Float32Array.from({ length: n * w }, () => Math.tanh(2 * rng.nextNormal())), width: w }));
    const labels = Int32Array.from({ length: n }, () => rng.nextInt(2));
    const engine = gpuMiEngine(new GpuBinner(backend!.gpu), referenceMiEngine);
    const p = binningParams(parseBinning('fixed:30'), 'tanh');
    expect(engine.informationPlane(layers, labels, n, 2, p, null)).toEqual(referenceMiEngine.informationPlane(layers, labels, n, 2, p, null));
  });
});
