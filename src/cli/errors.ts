import { quote } from '../core/quote.ts';

// Errors the CLI reports as usage problems: exit code 2, one clear message.
export class UsageError extends Error {
  override name = 'UsageError';
}

export function numberFlag(flag: string, integer = false) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      throw new UsageError(`${flag}: expected ${integer ? 'an integer' : 'a number'}, got ${quote(text)}`);
    }
    return value;
  };
}

export function listFlag(flag: string) {
  return (text: string): number[] => text.split(',').map((part) => numberFlag(flag, true)(part));
}
