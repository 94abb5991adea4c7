// The one error type of src/io: a problem with an array file or an array a
// caller passed in. The message starts with where the problem is (a file
// path, `h1.npy`, `weights.npz:0.weight`, `labels`) and says what is wrong
// with the value found, so a CLI prints it as-is and exits 2 (DESIGN.md,
// "Contracts": bad input names the field and the value).

export class IoError extends Error {
  /** The file (or `file.npz:member`, or argument) the problem is in. */
  readonly source: string;

  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'IoError';
    this.source = source;
  }
}
