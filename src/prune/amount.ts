// How much to prune, with torch.nn.utils.prune's semantics (torch 1.13,
// `_validate_pruning_amount_init` and `_compute_nparams_toprune`):
//   - a Python float must lie in [0, 1] and is a fraction: the count is
//     `round(amount * n)`, Python's round, i.e. round half to even;
//   - a Python int must be >= 0 and is an absolute count, which must not
//     exceed n (`_validate_pruning_amount` raises otherwise);
//   - n is the number of *currently unpruned* entries (or channels): torch's
//     PruningContainer computes the new mask on the unpruned slice only, so
//     0.5 then 0.5 prunes 50% + 25% = 75%.
//
// JavaScript numbers do not remember int vs float, so the representation is
// explicit: `{ kind: 'fraction' | 'count', value }`. `parseAmount` reads
//   - strings like Python literals: "3" → count 3, "1" → count 1,
//     "0.5" / "1.0" / "1e-1" → fraction;
//   - numbers by value: [0, 1] → fraction (so the number 1 prunes everything,
//     like torch's float 1.0), an integer > 1 → count; anything else is an
//     error. To prune exactly one entry, write the string "1" or
//     `{ kind: 'count', value: 1 }`.
import { InputError } from '../core/input-error.ts';

export type Amount = { readonly kind: 'fraction'; readonly value: number } | { readonly kind: 'count'; readonly value: number };

/** What a spec or the CLI may give as an amount. */
export type AmountInput = number | string | Amount;

const INTEGER_LITERAL = /^[+-]?\d+$/;
const FLOAT_LITERAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses and validates an amount; errors name `field` and quote the value. */
export function parseAmount(input: AmountInput, field = 'amount'): Amount {
  if (typeof input === 'string') return parseAmountText(input, field);
  if (typeof input === 'number') return parseAmountNumber(input, field);
  if (input !== null && typeof input === 'object' && 'kind' in input) {
    if (input.kind === 'fraction') return fraction(input.value, field);
    if (input.kind === 'count') return count(input.value, field);
    throw new InputError(field, `kind must be 'fraction' or 'count', got ${JSON.stringify((input as { kind: unknown }).kind)}`);
  }
  throw new InputError(field, `must be a number, a numeric string or { kind, value }, got ${describe(input)}`);
}

function parseAmountText(text: string, field: string): Amount {
  const t = text.trim();
  if (INTEGER_LITERAL.test(t)) {
    const v = Number(t);
    if (v < 0) throw new InputError(field, `an integer amount is a count and must be >= 0, got "${text}"`);
    return count(v === 0 ? 0 : v, field, `"${text}"`); // "-0" is Python's int 0
  }
  if (FLOAT_LITERAL.test(t)) return fraction(Number(t), field, `"${text}"`);
  throw new InputError(field, `"${text}" is not a number (write a fraction like 0.5 or an integer count like 3)`);
}

function parseAmountNumber(x: number, field: string): Amount {
  if (Number.isFinite(x) && x >= 0 && x <= 1) return fraction(x, field);
  if (Number.isInteger(x) && x > 1) return count(x, field);
  throw new InputError(field, `${x} is neither a fraction in [0, 1] nor a non-negative integer count`);
}

function fraction(value: unknown, field: string, shown = String(value)): Amount {
  // torch: "amount={} should either be a float in the range [0, 1] or a non-negative integer"
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InputError(field, `a fraction must be a number in [0, 1], got ${shown}`);
  }
  return { kind: 'fraction', value };
}

function count(value: unknown, field: string, shown = String(value)): Amount {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InputError(field, `a count must be a non-negative integer, got ${shown}`);
  }
  return { kind: 'count', value };
}

function describe(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Python 3's round() on a double: nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f; // exact for any finite double
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Number of entries to prune out of `available` unpruned ones. torch:
 * `round(amount * tensor_size)` for a float, the int itself otherwise, and a
 * ValueError when an int exceeds the tensor size. `unit` names what is
 * counted in the error ("weights", "rows", ...).
 */
export function pruneCount(amount: Amount, available: number, field = 'amount', unit = 'entries'): number {
  const k = amount.kind === 'fraction' ? roundHalfEven(amount.value * available) : amount.value;
  if (k > available) {
    throw new InputError(field, `cannot prune ${k} ${unit}: only ${available} remain unpruned`);
  }
  return k;
}

/**
 * The one form a spec stores an amount in, so that one setting has one spec
 * hash however it was written (`--amount 0.65` and `"amount": 0.65`): a
 * number, except a count of 1, which only the string "1" can say (the number
 * 1 is the fraction 1.0). A count of 0 prunes nothing, like the fraction 0,
 * and is written 0. Input that does not parse is returned as given, for the
 * validation to name.
 */
export function canonicalAmount(input: number | string): number | string {
  let amount: Amount;
  try {
    amount = parseAmount(input);
  } catch {
    return input;
  }
  return amount.kind === 'count' && amount.value === 1 ? '1' : amount.value;
}

/** Human-readable amount for reports: `0.5` or `3 (count)`. */
export function formatAmount(amount: Amount): string {
  return amount.kind === 'fraction' ? String(amount.value) : `${amount.value} (count)`;
}
