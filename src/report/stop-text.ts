// The stopping rule of a trials directory in words, for the page and the terminal.
import type { StopState } from '../experiment/trials/stop-rule.ts';

export function stopText(stop: StopState): string {
  const r = stop.rule;
  const rule = r.count !== undefined ? `until ${r.label} is seen ${r.count} times` : `until the Wilson 95% upper bound of ${r.label} is below ${r.belowRate}`;
  return `${rule}, at most ${r.maxSeeds} seeds (--until ${r.text} --max-seeds ${r.maxSeeds}): ${stop.met ? 'stopped' : 'running'}; ${stop.reason}`;
}
