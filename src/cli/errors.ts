// Flag parsers: a bad flag is an InputError naming the flag (exit code 2).
import { InputError, quote } from '../core/input-error.ts';

export function numberFlag(flag: string, integer = false) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      throw new InputError(`${flag}: expected ${integer ? 'an integer' : 'a number'}, got ${quote(text)}`);
    }
    return value;
  };
}

export function listFlag(flag: string) {
  return (text: string): number[] => text.split(',').map((part) => numberFlag(flag, true)(part));
}
