import { formatMessage } from "../errors/codes.js";
import { LispError } from "../errors/errors.js";

/** The error for a model-layer option out of range (code `model_error`). */
export function optionError(option: string, expected: string, value: unknown): LispError {
  return new LispError(
    "model_error",
    "llm",
    formatMessage("model_option_invalid", { option, expected, value: describe(value) }),
  );
}

/** Throws unless `value` is an integer ≥ `min`. */
export function checkInteger(option: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw optionError(option, `an integer >= ${min}`, value);
}

/** Throws unless `value` is a finite number ≥ 0. */
export function checkNonNegative(option: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw optionError(option, "a finite number >= 0", value);
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value);
  }
  return typeof value;
}
