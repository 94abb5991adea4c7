// A seeded fuzz of every N-API export, run as a process of its own so that a
// crash (segfault, sanitizer report) fails the test that started it instead of
// killing the test runner. Each call starts from a valid call of one export
// (test/helpers/native-calls.ts) and mutates it: wrong types and counts, bad
// dimensions, random index and label contents, short, detached and
// SharedArrayBuffer-backed arrays, views aliasing another argument, and objects
// whose getters or valueOf rewrite or detach the other arguments while the
// binding reads them. Every rejection must be a TypeError or RangeError that
// starts `<export>: ` and names one of its arguments.
//
// Usage: node --import tsx test/fuzz/addon-fuzz.ts [addon.node] [seed] [calls]
// Prints one JSON line (FuzzReport); exit status 0 unless the fuzz itself broke.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Rng } from '../../src/core/rng.ts';
import { ALL_CALLS, type NativeCall, type Param } from '../helpers/native-calls.ts';
import { holeCases } from './hole-cases.ts';

export interface FuzzReport {
  calls: number;
  accepted: number;
  rejected: { TypeError: number; RangeError: number };
  perExport: Record<string, { calls: number; accepted: number }>;
  /** Rejections that were not a TypeError/RangeError naming an argument (at most 20 kept). */
  bad: string[];
  /** The directed reproductions of known holes: name → what the call threw ('ok' if nothing). */
  holes: Record<string, string>;
}

type Fn = (...args: unknown[]) => unknown;
const [addonPath = resolve('build/Release/infoplane.node'), seedText = '1', callsText = '6000'] = process.argv.slice(2);
const addon = createRequire(import.meta.url)(resolve(addonPath)) as Record<string, Fn>;
const rng = new Rng(Number(seedText));
const pick = <T>(items: readonly T[]): T => items[rng.nextInt(items.length)]!;
const chance = (p: number) => rng.nextFloat() < p;

function detach(buffer: ArrayBufferLike): void {
  if (buffer instanceof ArrayBuffer && !isDetached(buffer)) structuredClone(buffer, { transfer: [buffer] });
}
const isDetached = (b: ArrayBuffer) => b.byteLength === 0 && (b as { detached?: boolean }).detached !== false;

/** The call's typed arrays that are still attached. */
const typedArrays = (args: unknown[]) =>
  args.filter((a): a is Float32Array | Int32Array => ArrayBuffer.isView(a) && a.buffer.byteLength > 0) as (Float32Array | Int32Array)[];

/** Something a getter or valueOf does to the call's other arguments while the binding reads them. */
function attack(args: unknown[]): void {
  const arrays = typedArrays(args);
  if (arrays.length === 0) return;
  const target = pick(arrays);
  switch (rng.nextInt(3)) {
    case 0:
      target.fill(pick([0x3fffffff, -1, 1e30, NaN]) as number);
      break;
    case 1:
      detach(target.buffer);
      break;
    default:
      for (const a of arrays) if (a.buffer.byteLength > 0) a.fill(0x7fffffff);
  }
}

/** An object that attacks the call when the binding reads `width`, `activations` or coerces it. */
function hostile(args: unknown[], value: unknown): unknown {
  return {
    get width() {
      attack(args);
      return typeof value === 'object' ? 2 : value;
    },
    get activations() {
      attack(args);
      return value;
    },
    valueOf() {
      attack(args);
      return 2;
    },
  };
}

const sameKind = (a: Float32Array | Int32Array, length: number, shared: boolean) => {
  const Ctor = a instanceof Int32Array ? Int32Array : Float32Array;
  const buffer: ArrayBufferLike = shared ? new SharedArrayBuffer(length * 4) : new ArrayBuffer(length * 4);
  return new Ctor(buffer as ArrayBuffer).fill(a[0] ?? 0);
};

/** A replacement for a typed-array argument. */
function mutateArray(a: Float32Array | Int32Array, args: unknown[]): unknown {
  switch (rng.nextInt(9)) {
    case 0: {
      // random contents: indices out of range, row pointers that decrease, non-finite floats
      const b = a.slice();
      for (let i = 0; i < b.length; i++) if (chance(0.3)) b[i] = a instanceof Int32Array ? rng.nextInt(40) - 8 : pick([NaN, Infinity, -1e38, rng.nextNormal()]);
      return b;
    }
    case 1:
      return a.subarray(0, rng.nextInt(a.length + 1));
    case 2: {
      const b = a.slice();
      detach(b.buffer);
      return b;
    }
    case 3: {
      const b = sameKind(a, a.length, true);
      b.set(a);
      return b;
    }
    case 4: {
      // a view over another argument's memory, or the very same array
      const other = pick(typedArrays(args));
      const words = Math.floor((other?.buffer.byteLength ?? 0) / 4);
      if (words === 0) return other;
      const Ctor = a instanceof Int32Array ? Int32Array : Float32Array;
      const start = rng.nextInt(words);
      return new Ctor(other.buffer as ArrayBuffer, start * 4, Math.min(a.length, words - start));
    }
    case 5:
      return pick([new Float64Array(a.length), new Uint8Array(a.length), new Uint32Array(a.length), Array.from(a)]);
    case 6:
      return sameKind(a, a.length + rng.nextInt(8), false);
    case 7:
      return hostile(args, a);
    default:
      return pick([null, undefined, 0, {}, 'x']);
  }
}

/** A replacement for a number, string or layer-list argument. */
function mutateOther(param: Param, value: unknown, args: unknown[]): unknown {
  if (param.kind === 'layers') {
    const layers = (value as { activations: Float32Array; width: number }[]).map((l) => ({ ...l }));
    switch (rng.nextInt(6)) {
      case 0:
        return [hostile(args, layers[0]!.activations)];
      case 1:
        return [
          {
            activations: layers[0]!.activations,
            get width() {
              attack(args);
              return 2;
            },
          },
        ];
      case 2:
        return [...layers, { activations: layers[0]!.activations, width: pick([1, 2, 3, 0, -1, 2 ** 30, NaN, '2']) }];
      case 3: {
        const holes: unknown[] = [];
        holes.length = pick([0, 3, 2 ** 20]);
        return holes;
      }
      case 4:
        return new Proxy(layers, {
          get: (t, k) => {
            attack(args);
            return Reflect.get(t, k);
          },
        });
      default:
        return layers.map((l) => ({ ...l, activations: mutateArray(l.activations, args) }));
    }
  }
  if (param.kind === 'string')
    return pick(['', 'tanh', 'relu', 'fixed', 'adaptive', 'width', 'idnns', 'collide-all', 'scalar', 'auto', 'x'.repeat(300), 7, null]);
  const n = typeof value === 'number' ? value : 2;
  return pick([0, 1, -1, n + 1, n - 1, n * 2, 0.5, 2 ** 31, 2 ** 53, 1e300, -0, NaN, Infinity, null, undefined, '2', hostile(args, n)]);
}

function mutate(call: NativeCall<string>): unknown[] {
  const args = call.valid();
  const edits = Math.min(args.length, 1 + rng.nextInt(3));
  const positions = rng.shuffle(args.map((_, k) => k)).slice(0, edits);
  for (const k of positions) {
    const param = call.params[k]!;
    const value = args[k];
    args[k] = ArrayBuffer.isView(value) ? mutateArray(value as Float32Array, args) : mutateOther(param, value, args);
  }
  if (chance(0.03)) return chance(0.5) ? args.slice(0, -1) : [...args, 0];
  return args;
}

/** Whether a thrown value is a proper rejection: a TypeError/RangeError starting `fn: ` that names an argument. */
function namesArgument(call: NativeCall<string>, err: unknown): boolean {
  if (!(err instanceof TypeError || err instanceof RangeError)) return false;
  const prefix = `${call.fn}: `;
  if (!err.message.startsWith(prefix) || err.message.length > 600) return false;
  const rest = err.message.slice(prefix.length);
  return /^expected \d+ arguments/.test(rest) || call.params.some((p) => new RegExp(`(^|[^\\w])${p.name}([^\\w]|$)`).test(rest));
}

const report: FuzzReport = { calls: 0, accepted: 0, rejected: { TypeError: 0, RangeError: 0 }, perExport: {}, bad: [], holes: {} };
for (const [name, run] of Object.entries(holeCases(addon))) {
  try {
    run();
    report.holes[name] = 'ok';
  } catch (err) {
    report.holes[name] = `${(err as Error).name}: ${(err as Error).message}`;
  }
}
const total = Number(callsText);
for (let i = 0; i < total; i++) {
  const call = pick(ALL_CALLS);
  // Some calls stay valid, so that the kernels behind each check run too.
  const args = chance(0.15) ? call.valid() : mutate(call);
  const tally = (report.perExport[call.fn] ??= { calls: 0, accepted: 0 });
  report.calls++;
  tally.calls++;
  try {
    addon[call.fn]!(...args);
    report.accepted++;
    tally.accepted++;
  } catch (err) {
    if (namesArgument(call, err)) report.rejected[(err as Error).name as 'TypeError' | 'RangeError']++;
    else if (report.bad.length < 20) report.bad.push(`${call.fn}: ${String(err).slice(0, 300)}`);
  }
}
process.stdout.write(`${JSON.stringify(report)}\n`);
