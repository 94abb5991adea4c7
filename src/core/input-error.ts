// The one error type for input the user can fix: a bad flag, spec field, data
// or array file, output directory. The message starts with where the problem
// is (`--lr`, `spec.train.lr`, a file path, `layers[2].activations`) and says
// what is wrong with the value found, so the CLI prints it as-is and exits 2
// (DESIGN.md, "Contracts": bad input names the field and the value).

export class InputError extends Error {
  /** The flag, spec field, file (or `file.npz:member`) or argument at fault. */
  readonly where: string;
  /** What is wrong, without the `where: ` prefix. */
  readonly problem: string;

  /** `new InputError(where, problem)`, or one message already of the form `where: problem`. */
  constructor(where: string, problem?: string) {
    if (problem === undefined) {
      const colon = where.indexOf(': ');
      problem = colon < 0 ? where : where.slice(colon + 2);
      where = colon < 0 ? '' : where.slice(0, colon);
    }
    super(where ? `${where}: ${problem}` : problem);
    this.name = 'InputError';
    this.where = where;
    this.problem = problem;
  }
}

const QUOTE_LIMIT = 200;

/** A value as JSON for an error message, cut to about 200 characters so a huge array cannot flood the terminal. */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}… (${text.length} characters)` : text;
}
