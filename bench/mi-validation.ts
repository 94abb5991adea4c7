// Estimators on tasks with known MI (src/mi/known-mi.ts): mean, bias and
// spread over seeds at N = 1 000 and 10 000, printed as README's Markdown table.
//   npx tsx bench/mi-validation.ts [seeds (default 10)]
import { KNOWN_MI_TASKS } from '../src/mi/known-mi.ts';
import { validateEstimators, validationTable } from '../src/mi/validation.ts';

const seeds = Number(process.argv[2] ?? 10);
const started = performance.now();
const rows = validateEstimators(KNOWN_MI_TASKS, [1000, 10000], seeds);
console.log(validationTable(rows));
console.log(`\n${seeds} seeds per cell; ${((performance.now() - started) / 1000).toFixed(1)} s`);
