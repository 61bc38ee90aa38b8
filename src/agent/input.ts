/**
 * An agent's input, checked and leniently coerced against its signature's parameters: the one
 * check that \`run\`, \`jit\`, \`previewPrompt\` and \`CompiledAgent.execute\` share.
 */
import type { Diagnostic } from "../errors/diagnostic.js";
import { makeDiagnostic } from "../errors/errors.js";
import { coerce, summarizeErrors } from "../signature/check-value.js";
import { renderType } from "../signature/print-signature.js";
import { inputType, type Signature } from "../signature/types.js";

/** The input, checked and leniently coerced against the signature's parameters. */
export function checkInput(
  signature: Signature,
  input: unknown,
): { ok: true; input: Readonly<Record<string, unknown>>; warnings: string[] } | { ok: false; error: Diagnostic } {
  const record = inputType(signature);
  const given = input === undefined ? {} : input;
  if (given === null || typeof given !== "object" || Array.isArray(given)) {
    const error = makeDiagnostic("input_invalid", {
      signature: record === undefined ? "{...}" : renderType(record),
      errors: "the input must be an object of named inputs",
    });
    return { ok: false, error };
  }
  if (record === undefined) return { ok: true, input: given as Record<string, unknown>, warnings: [] };
  const coerced = coerce(record, given);
  if (coerced.errors.length > 0) {
    const error = makeDiagnostic("input_invalid", {
      signature: renderType(record),
      errors: summarizeErrors(coerced.errors),
    });
    return { ok: false, error: { ...error, details: { errors: coerced.errors } } };
  }
  return {
    ok: true,
    input: coerced.value as Record<string, unknown>,
    warnings: coerced.warnings.map((warning) => warning.message),
  };
}
