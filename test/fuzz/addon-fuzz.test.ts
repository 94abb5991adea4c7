// The fuzz of every N-API export (addon-fuzz.ts), in a child process: a crash
// shows up as a signal or a non-zero status here instead of taking the test
// runner down. CI runs this file once more against the AddressSanitizer/UBSan
// build ($INFOPLANE_ADDON, .ci/run).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { addonCandidates } from '../../src/backend/native/addon.ts';
import { ALL_CALLS } from '../helpers/native-calls.ts';
import type { FuzzReport } from './addon-fuzz.ts';

const CALLS = 6000;

function fuzz(seed: number): FuzzReport {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/fuzz/addon-fuzz.ts', addonCandidates()[0]!, String(seed), String(CALLS)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  expect(child.signal, `the fuzz was killed: ${child.stderr.slice(-2000)}`).toBeNull();
  expect(child.status, child.stderr.slice(-2000)).toBe(0);
  return JSON.parse(child.stdout) as FuzzReport;
}

describe('fuzz of every native export (child process)', () => {
  const report = fuzz(20);

  it(`makes ${CALLS} calls without a crash, every rejection a TypeError/RangeError naming an argument`, () => {
    expect(report.calls).toBe(CALLS);
    expect(report.bad).toEqual([]);
    expect(report.accepted + report.rejected.TypeError + report.rejected.RangeError).toBe(CALLS);
  });

  it('reaches every export, and the kernels behind its checks', () => {
    for (const { fn } of ALL_CALLS) {
      expect(report.perExport[fn]?.calls, fn).toBeGreaterThan(50);
      expect(report.perExport[fn]?.accepted, fn).toBeGreaterThan(0);
    }
  });

  it.each([
    ['width getter fills labels', /^RangeError: miInformationPlane: labels\[0\] = 1073741823 is outside \[0, 2\)$/],
    ['width getter detaches labels', /^RangeError: miInformationPlane: labels has 0 elements, expected 4$/],
    ['activations getter detaches its array', /^RangeError: miInformationPlane: layers\[0\]\.activations has 0 elements, expected 8$/],
    ['csrMatmul idx in a SharedArrayBuffer', /^TypeError: csrMatmul: idx must not be backed by a SharedArrayBuffer$/],
    ['csrMatmul outT over idx', /^RangeError: csrMatmul: outT and idx must not share memory$/],
    ['miInformationPlane labels in a SharedArrayBuffer', /^TypeError: miInformationPlane: labels must not be backed by a SharedArrayBuffer$/],
    ['byteOffsetMod64 of a SharedArrayBuffer view', /^TypeError: byteOffsetMod64: array must not be backed by a SharedArrayBuffer$/],
    ['linearForward(x, x, …)', /^RangeError: linearForward: outT and xT must not share memory$/],
    ['adamStep(m, m, m, m, …)', /^RangeError: adamStep: w and m must not share memory$/],
    ['setVariant with a 100 000-character name', /^RangeError: setVariant: variant "v{200}"… \(100000 bytes\) is unknown/],
  ])('%s: a clean rejection', (name, expected) => {
    expect(report.holes[name]).toMatch(expected);
  });
});
