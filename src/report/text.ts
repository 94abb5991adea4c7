// How pages and tables write text: HTML escaping, percentages, intervals.

export const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A fraction as a percentage with one decimal; null as a dash. */
export const pctText = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** A 95% interval of fractions, e.g. "[12.5%, 40.0%]". */
export const intervalText = (w: [number, number]) => `[${(w[0] * 100).toFixed(1)}%, ${(w[1] * 100).toFixed(1)}%]`;
