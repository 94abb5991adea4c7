// RFC 4180 CSV text: one header line, a field quoted only when it holds a
// comma, quote or line break, non-finite numbers and null as empty fields
// (pandas reads those as NaN), arrays joined with ';' inside one field.
export type CsvValue = string | number | boolean | null | undefined | readonly (number | null)[];

function field(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = Array.isArray(value) ? value.map((v) => (v === null ? '' : String(v))).join(';') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(columns: readonly string[], rows: readonly Readonly<Record<string, CsvValue>>[]): string {
  const lines = rows.map((row) => columns.map((c) => field(row[c])).join(','));
  return [columns.map((c) => field(c)).join(','), ...lines].join('\n') + '\n';
}
