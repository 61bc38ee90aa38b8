/**
 * Repair feedback: the one path from any fault of a turn to the message the model reads next.
 * Diagnostics are rendered with their source excerpt and hint (`formatDiagnostic`); printed
 * output and values are clipped; a return value that fails the output type is described by
 * path and expected type, never by echoing the value.
 */
import type { Diagnostic } from "../../errors/diagnostic.js";
import { formatDiagnostic } from "../../errors/format.js";
import type { ValidationError } from "../../signature/check-value.js";

/** Most diagnostics shown in one message; the rest are counted. */
const MAX_DIAGNOSTICS_SHOWN = 5;
/** Most characters of printed output fed back per turn. */
export const MAX_OUTPUT_CHARS = 2000;
/** Most characters of a value fed back. */
export const MAX_VALUE_CHARS = 1000;

function clipLines(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n... (${text.length - max} more characters not shown)`;
}

/** The errors that kept a program from running (parse, analysis, types), with excerpts. */
export function rejectedFeedback(diagnostics: readonly Diagnostic[], source: string): string {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity !== "warning");
  const shown = errors.slice(0, MAX_DIAGNOSTICS_SHOWN).map((diagnostic) => formatDiagnostic(diagnostic, source));
  const more = errors.length - shown.length;
  return ["Your program was not run: fix these errors.", ...shown, ...(more > 0 ? [`(and ${more} more)`] : [])].join(
    "\n\n",
  );
}

/** A run that failed: its error, and what it printed before. */
export function failedFeedback(error: Diagnostic, source: string, prints: readonly string[]): string {
  return [
    "Your program failed:",
    formatDiagnostic(error, source),
    ...(prints.length > 0 ? [`It printed:\n${clipLines(prints.join("\n"), MAX_OUTPUT_CHARS)}`] : []),
  ].join("\n\n");
}

/** A turn that ran without returning: what it printed and its value (now `*1`). */
export function continueFeedback(prints: readonly string[], value: string | undefined): string {
  const parts: string[] = [];
  parts.push(
    prints.length > 0 ? `Output:\n${clipLines(prints.join("\n"), MAX_OUTPUT_CHARS)}` : "Output: (nothing printed)",
  );
  parts.push(`Value (*1): ${value ?? "(too large to show)"}`);
  return parts.join("\n\n");
}

/** The answer does not have the expected type: each failing path with what was expected and what kind of value was there. */
export function returnFeedback(expected: string, errors: readonly ValidationError[]): string {
  const lines = errors.slice(0, MAX_DIAGNOSTICS_SHOWN).map((error) => {
    const where = error.path === "" ? "the answer" : error.path;
    return `- ${where}: expected ${error.expected}, got ${kindOf(error.actual)}`;
  });
  if (errors.length > MAX_DIAGNOSTICS_SHOWN) lines.push(`- (and ${errors.length - MAX_DIAGNOSTICS_SHOWN} more)`);
  return [`Your answer does not match the expected output ${expected}:`, ...lines].join("\n");
}

/** The first word of a validation's `actual` ("string", "nil", "missing"...): the kind, never the value. */
function kindOf(actual: string): string {
  return actual.split(/\s+/)[0] ?? actual;
}

/** The reply held no program. */
export function noProgramFeedback(): string {
  return "Your reply held no program. Answer with one PTC-Lisp program in a ```clojure block.";
}

/** The reply was cut off at the output limit. */
export function truncatedFeedback(): string {
  return "Your reply was cut off before the program was complete. Write a shorter program.";
}

/** Said with the feedback before the last turn. */
export function lastTurnNotice(turn: number, maxTurns: number): string {
  return `This is turn ${turn} of ${maxTurns}, your last: end your program with (return answer).`;
}
