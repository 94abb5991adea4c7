// How a value the user gave appears in an error message: as JSON, cut to about
// 200 characters, so that a 100 MB field cannot flood the terminal or a log.
const QUOTE_LIMIT = 200;

export function quote(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}… (${text.length} characters)` : text;
}
