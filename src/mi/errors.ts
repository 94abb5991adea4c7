// The one error type of src/mi. Every message starts with the field at fault
// (`binning`, `layers[2].activations`, ...) and quotes the offending value, so
// a CLI can print it as-is (DESIGN.md, "Contracts").

export class MiError extends Error {
  /** The option or argument the problem is in, e.g. `binning` or `labels[7]`. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'MiError';
    this.field = field;
  }
}
