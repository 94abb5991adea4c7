// Plug-in and Miller–Madow entropies of discrete symbols, and the mutual
// information of two symbol sequences, bits. Miller (1955) and Madow: the
// plug-in entropy of m occupied bins over N samples is biased low by about
// (m − 1)/(2N) nats; adding it back removes the first-order bias. It is
// recorded beside the plug-in value, never instead of it.

/** Plug-in H and its Miller–Madow correction of the symbols (any integers), bits. */
export function symbolEntropy(symbols: ArrayLike<number>): { plugin: number; millerMadow: number; occupied: number } {
  const n = symbols.length;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(symbols[i], (counts.get(symbols[i]) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) h -= (c / n) * Math.log2(c / n);
  return { plugin: h, millerMadow: h + millerMadowTerm(counts.size, n), occupied: counts.size };
}

/** (m − 1)/(2N ln 2): the Miller–Madow bias term, bits. */
export function millerMadowTerm(occupied: number, n: number): number {
  return (occupied - 1) / (2 * n * Math.LN2);
}

/** I(A;B) = H(A) + H(B) − H(A,B) of two symbol sequences of one length, plug-in and Miller–Madow, bits. */
export function symbolMutualInformation(a: Int32Array, b: Int32Array): { plugin: number; millerMadow: number } {
  if (a.length !== b.length) throw new RangeError(`symbol sequences differ in length: ${a.length} vs ${b.length}`);
  // A pair's symbol: b's symbols renumbered densely, then a·|B| + b (exact below 2^53).
  const dense = new Map<number, number>();
  for (const v of b) if (!dense.has(v)) dense.set(v, dense.size);
  const pairs = Float64Array.from(a, (v, i) => v * dense.size + dense.get(b[i])!);
  const [ha, hb, hab] = [symbolEntropy(a), symbolEntropy(b), symbolEntropy(pairs)];
  return { plugin: ha.plugin + hb.plugin - hab.plugin, millerMadow: ha.millerMadow + hb.millerMadow - hab.millerMadow };
}
