// Errors of trials, sweeps and merges that are the user's to fix (a seed list
// that does not parse, an output directory holding another spec): the CLI
// reports them as usage errors, exit code 2. Anything else (a corrupt journal
// line, a failing disk) is a plain Error, exit code 1.
export class TrialsError extends Error {
  override name = 'TrialsError';
}
