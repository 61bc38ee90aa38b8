import type { ErrorCode, Phase } from "./codes.js";
import type { SourceSpan } from "./span.js";

export type { Phase };

/**
 * A fault found in a program, its input or its run, as data.
 *
 * Every stage reports faults as diagnostics; none of them throws for a fault of the user's
 * program. `code` is stable forever and listed in `errors/codes.ts`; `message` is rendered from
 * that code's template and is meant for humans and for the model that wrote the program.
 */
export interface Diagnostic {
  /** Stable snake_case code, e.g. `unbound_symbol`, `type_error`, `limit_exceeded`. */
  readonly code: ErrorCode;
  /** The stage that found the fault. */
  readonly phase: Phase;
  /** Human- and model-readable message. */
  readonly message: string;
  /** Where in the source the fault is, when it can be tied to one place. */
  readonly span?: SourceSpan;
  /** A suggestion for fixing the fault, e.g. a "did you mean" name. */
  readonly hint?: string;
  /** `error` (the default when absent) stops the program; `warning` does not. */
  readonly severity?: "error" | "warning";
  /** For `limit_exceeded`: which budget tripped (`fuel`, `time`, `memory`, `depth`, `output`, `source`). */
  readonly limit?: string;
  /** Structured facts about the fault (e.g. the value given to `(fail v)`, as JSON). */
  readonly details?: Readonly<Record<string, unknown>>;
}
