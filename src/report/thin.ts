// Long runs (the IDNNs preset trains 8 000 epochs) would put tens of
// thousands of marks on a page. Lines keep at most LINE_POINTS evenly spaced
// epochs and markers at most MARKERS, always with the first and last epoch,
// so a page stays under its size budget while its shape is unchanged to the
// eye (a 350-pixel-wide panel cannot show more than a few hundred x values).
export const LINE_POINTS = 300;
export const MARKERS = 25;

/** The sorted epochs to keep out of `epochs`: all of them when there are at most `max`. */
export function keptEpochs(epochs: Iterable<number>, max: number): Set<number> {
  const sorted = [...new Set(epochs)].sort((a, b) => a - b);
  if (sorted.length <= max) return new Set(sorted);
  const kept = new Set<number>();
  for (let i = 0; i < max; i++) kept.add(sorted[Math.round((i * (sorted.length - 1)) / (max - 1))]);
  return kept;
}
