import type { RunContext } from "../eval/context.js";
import { rt } from "../eval/runtime.js";
import { MAX_STRING_LENGTH, stringTooLong } from "../values/meter.js";
import type { Value } from "../values/value.js";

/**
 * Program output and `with-out-str`. Every printing builtin writes through `emit`: one output
 * entry per call, or, inside `with-out-str`, text appended to the innermost capture (with the
 * newline `println` and `prn` end their line with, as Clojure's `*out*` receives it).
 *
 * The captures live in a module slot, and that is safe for the reason the interpreter's other
 * slots are (src/lisp/eval/README.md): a capture is opened and closed by one synchronous
 * builtin call (`captureOutput`, never resumable), so it never outlives a pass, and no other
 * run can start inside one.
 */

interface Capture {
  readonly pieces: string[];
  length: number;
}

const captures: Capture[] = [];

/**
 * Prints `text` (a line when `newline`): an output entry, or text for the innermost
 * `with-out-str`. Both are charged to the output budget.
 */
export function emit(context: RunContext, text: string, newline: boolean): void {
  const capture = captures[captures.length - 1];
  if (capture === undefined) {
    context.print(text);
    return;
  }
  const piece = newline ? `${text}\n` : text;
  rt.budget.output(piece.length);
  const length = capture.length + piece.length;
  if (length > MAX_STRING_LENGTH) throw stringTooLong(length);
  context.alloc(2 * piece.length);
  capture.pieces.push(piece);
  capture.length = length;
}

/**
 * Calls `body` with no arguments and returns what was printed meanwhile, as one string,
 * instead of printing it. If the body throws (an error, a tool call to wait for, `return`),
 * what it printed is dropped, as Clojure drops a `with-out-str` buffer.
 */
export function captureOutput(context: RunContext, body: Value): string {
  const capture: Capture = { pieces: [], length: 0 };
  captures.push(capture);
  try {
    context.call(body, []);
  } finally {
    captures.pop();
  }
  return capture.pieces.join("");
}
