// What a run will hold in memory, estimated from the spec and the loaded data
// before the network is built, so that a spec asking for more than the machine
// has fails at once, naming the sizes, instead of after minutes of allocation
// (or with V8's bare "Invalid typed array length").
import { totalmem } from 'node:os';
import type { SplitDataset } from '../data/dataset.ts';
import { InputError } from '../core/input-error.ts';
import type { Spec } from './spec.ts';

export const MEMORY_LIMIT_ENV = 'INFOPLANE_MAX_MEMORY';
const FLOAT = 4;
const GB = 1e9;

export interface MemoryEstimate {
  /** Weights, biases, their gradients and masks; an input-sparse first layer's Wᵀ and its tiles. */
  net: number;
  /** Adam's two moments, or SGD's velocity. */
  optimizer: number;
  /** The inputs and labels of both splits. */
  data: number;
  /** One batch's activations and their gradients, forward and backward. */
  batch: number;
  /** Activations of every layer on the MI samples, with their bin codes. */
  mi: number;
  total: number;
}

/** Bytes a run of `spec` on `data` needs, by part (float32 everywhere). */
export function estimateMemory(spec: Spec, data: SplitDataset): MemoryEstimate {
  const sizes = [data.train.features, ...spec.net.hidden, data.train.classes];
  let params = 0;
  let units = 0;
  for (let l = 1; l < sizes.length; l++) {
    params += sizes[l - 1]! * sizes[l]! + sizes[l]!;
    units += sizes[l]!;
  }
  const moments = spec.train.optimizer === 'adam' ? 2 : spec.train.momentum > 0 ? 1 : 0;
  const rows = data.train.rows + data.test.rows;
  const miRows = spec.mi.epochs === 'none' ? 0 : spec.mi.on === 'train' ? data.train.rows : spec.mi.on === 'test' ? data.test.rows : rows;
  const parts = {
    net: (3 * params + 2 * sizes[0]! * sizes[1]!) * FLOAT,
    optimizer: moments * params * FLOAT,
    data: rows * (data.train.features + 1) * FLOAT,
    batch: 4 * spec.train.batchSize * units * FLOAT,
    mi: 2 * miRows * units * FLOAT,
  };
  return { ...parts, total: Object.values(parts).reduce((a, b) => a + b, 0) };
}

/** The limit: $INFOPLANE_MAX_MEMORY in GB if set, else 80% of this machine's memory. */
export function memoryLimit(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[MEMORY_LIMIT_ENV];
  if (text === undefined || text === '') return 0.8 * totalmem();
  const gb = Number(text);
  if (!Number.isFinite(gb) || gb <= 0) throw new InputError(`${MEMORY_LIMIT_ENV}: expected a size in GB (> 0), got ${JSON.stringify(text.slice(0, 200))}`);
  return gb * GB;
}

const gb = (bytes: number) => `${(bytes / GB).toFixed(bytes < 10 * GB ? 2 : 1)} GB`;

/** Throws InputError (exit 2) when the estimate exceeds the limit, naming every part and how to raise it. */
export function checkMemory(spec: Spec, data: SplitDataset, limit = memoryLimit()): void {
  const e = estimateMemory(spec, data);
  if (e.total <= limit) return;
  throw new InputError(
    `spec.net.hidden ${JSON.stringify(spec.net.hidden).slice(0, 200)}: the run needs about ${gb(e.total)} ` +
      `(net ${gb(e.net)}, optimizer state ${gb(e.optimizer)}, data ${gb(e.data)}, batch ${gb(e.batch)}, MI buffers ${gb(e.mi)}), ` +
      `more than the limit of ${gb(limit)}; raise it with --max-memory GB or ${MEMORY_LIMIT_ENV}=GB`,
  );
}
