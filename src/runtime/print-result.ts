import { printValue } from "../lisp/printer/print-value.js";
import { measureResult } from "../lisp/values/result-size.js";
import type { Value } from "../lisp/values/value.js";

/**
 * A value as readable EDN (strings quoted), or undefined when its text would be longer than
 * `maxChars` characters. Never builds more than `maxChars + 1` characters, whatever the value
 * holds, so a host can print any result within a fixed size.
 */
export function printBounded(value: Value, maxChars: number): string | undefined {
  if (measureResult(value, { meter: null, maxChars }) > maxChars) return undefined;
  // The measure does not count escapes: the printer's own bound is the last word.
  const text = printValue(value, true, { maxChars: maxChars + 1 });
  return text.length > maxChars ? undefined : text;
}
