// The banner atop a page made by a merge with --allow-incomplete: its figures
// come from fewer runs than the inputs' seed lists name, and the reader must
// see that before any interval (summary.json / reproduction.json say it as
// "incomplete").
import type { Incompleteness } from '../experiment/trials/shard-record.ts';
import { escapeHtml } from './text.ts';

export const INCOMPLETE_STYLE = '.incomplete{border:2px solid #b00;background:#fdecec;padding:.5em 1em;margin:1em 0}';

/** The banner's HTML, or '' for a complete directory. */
export function incompleteBanner(incomplete: Incompleteness | undefined): string {
  if (!incomplete) return '';
  const { missingRuns, expectedRuns, problems } = incomplete;
  return `<div class="incomplete"><p><b>Incomplete merge.</b> Made with <code>--allow-incomplete</code>: ${missingRuns} of ${expectedRuns} expected runs are missing, so every figure below covers only the runs present.</p>
<ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul></div>`;
}
