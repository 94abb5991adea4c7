import { runExperiment } from './src/experiment/run.ts';
import { parseSpec } from './src/experiment/spec.ts';
const mi = process.argv[2] !== 'nomi';
const r = runExperiment(parseSpec({ train: { epochs: Number(process.argv[3] ?? 4) }, prune: { steps: [{ mode: 'global-weight', amount: 0.65 }] }, mi: { epochs: mi ? 'every' : 'none' }, threads: 1 }));
console.log(JSON.stringify(r.epochSeconds.map((s) => +s.toFixed(3))));
