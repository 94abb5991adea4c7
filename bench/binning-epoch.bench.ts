// One measured epoch's binning in the seed experiment: informationPlane() on
// N = 10 000 rows of the default net's layers (784-1024-20-20-20-2, tanh,
// softmax output), fixed:30 over [−1, 1] ([0, 1] for the softmax), 1 thread,
// native engine. With a second addon (an older build) the two are timed
// alternately in this process, A B B A ..., and must agree exactly.
//
//   npx tsx bench/binning-epoch.bench.ts [baseline.node]
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { Bench } from 'tinybench';
import type { MiEngine, RawLayerMi } from '../src/backend/mi-kernels.ts';
import { loadNativeMi, nativeMiEngine, type NativeMiAddon } from '../src/backend/native/mi.ts';
import { countOutside } from '../src/backend/reference/mi.ts';
import { Rng } from '../src/core/rng.ts';
import { softmaxRowsInPlace } from '../src/experiment/mi-measure.ts';
import { informationPlane } from '../src/mi/information-plane.ts';
import { median, table } from './common.ts';

const N = 10_000;
const WIDTHS = [1024, 20, 20, 20, 2];
const ROUNDS = 20;

const current = nativeMiEngine();
if (!current) {
  console.error(`native MI engine unavailable: ${loadNativeMi().error}`);
  process.exit(1);
}

/** An addon built before RawLayerMi.outside: the out-of-range count in JavaScript, as informationPlane did then. */
function baselineEngine(path: string): MiEngine {
  const addon = createRequire(import.meta.url)(path) as NativeMiAddon;
  return {
    name: 'native',
    binCodes: (codes, t, n, width, p) => addon.miBinCodes(codes, t, n, width, p.scheme, p.bins, p.lo, p.hi, p.binWidth),
    rowSymbols: (ids, t, n, width, p, mode = 'normal') => addon.miRowSymbols(ids, t, n, width, p.scheme, p.bins, p.lo, p.hi, p.binWidth, mode),
    informationPlane: (layers, labels, n, classes, p, x, mode = 'normal') =>
      addon
        .miInformationPlane(layers, labels, n, classes, p.scheme, p.bins, p.lo, p.hi, p.binWidth, x, mode)
        .map((r: Omit<RawLayerMi, 'outside'>, i) => ({ ...r, outside: countOutside(layers[i].activations, r.lo, r.hi) })),
  };
}

const rng = new Rng(1);
const labels = Int32Array.from({ length: N }, () => rng.nextInt(2));
const acts = WIDTHS.map((w) => Float32Array.from({ length: N * w }, () => Math.tanh(2 * rng.nextNormal())));
softmaxRowsInPlace(acts[acts.length - 1], N, 2);
const layers = acts.map((a, l) => ({ activations: a, width: WIDTHS[l], activation: l === WIDTHS.length - 1 ? ('softmax' as const) : ('tanh' as const) }));

const sides: [string, MiEngine][] = [['current', current]];
if (process.argv[2]) sides.unshift(['baseline', baselineEngine(process.argv[2])]);
const epoch = (engine: MiEngine) => informationPlane(layers, labels, { binning: 'fixed:30', classes: 2, engine });

const reference = JSON.stringify(epoch(sides[0][1]));
for (const [name, engine] of sides) {
  if (JSON.stringify(epoch(engine)) !== reference) throw new Error(`${name} disagrees with ${sides[0][0]}`);
}

const samples = new Map<string, { wall: number[]; cpu: number[] }>(sides.map(([name]) => [name, { wall: [], cpu: [] }]));
const loadBefore = loadavg()
  .map((v) => v.toFixed(2))
  .join(' ');
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ iterations: 3, time: 0, warmup: round === 0 });
  const order = round % 2 === 0 ? sides : [...sides].reverse();
  for (const [name, engine] of order) {
    bench.add(name, () => {
      const cpu0 = process.cpuUsage();
      const wall0 = performance.now();
      epoch(engine);
      const wall = performance.now() - wall0;
      const cpu = process.cpuUsage(cpu0);
      samples.get(name)!.wall.push(wall);
      samples.get(name)!.cpu.push((cpu.user + cpu.system) / 1000);
    });
  }
  await bench.run();
}
const loadAfter = loadavg()
  .map((v) => v.toFixed(2))
  .join(' ');

console.log(`binning of one epoch: informationPlane(), N = ${N}, widths ${WIDTHS.join(', ')}, fixed:30, 1 thread (node ${process.version})`);
console.log(`load average ${loadBefore} → ${loadAfter}; ${ROUNDS} rounds, sides alternating`);
const rows = sides.map(([name]) => {
  const s = samples.get(name)!;
  return [name, median(s.wall).toFixed(2), Math.min(...s.wall).toFixed(2), median(s.cpu).toFixed(2), String(s.wall.length)];
});
if (sides.length === 2) {
  const [a, b] = sides.map(([name]) => samples.get(name)!);
  rows.push(['baseline / current', (median(a.wall) / median(b.wall)).toFixed(2) + '×', '', (median(a.cpu) / median(b.cpu)).toFixed(2) + '×', '']);
}
console.log(table(['side', 'wall ms (median)', 'min', 'CPU ms (median)', 'samples'], rows));
