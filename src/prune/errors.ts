// The one error type of src/prune. Every message starts with the field at
// fault (`amount`, `steps[1].layers[0]`, ...) and quotes the offending value,
// so a CLI can print it as-is (DESIGN.md, "Contracts").

export class PruneError extends Error {
  /** The option or spec field the problem is in, e.g. `steps[0].amount`. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'PruneError';
    this.field = field;
  }
}
