import type { Diagnostic } from "./diagnostic.js";

/** Options of `formatDiagnostic`. */
export interface FormatOptions {
  /** The name of the file the source came from, shown as `--> file:line:column`. */
  readonly file?: string;
  /** Longest excerpt of the source line shown, in characters; longer lines are cut around the span. Default 120. */
  readonly maxLineWidth?: number;
}

/** Lines of the Lisp call stack shown (a run of identical frames is one line). */
const MAX_FRAMES = 10;

/**
 * Renders a diagnostic for humans (and for the model that wrote the program): the code and
 * message, the source line, and a caret under the span.
 *
 * ```text
 * error [unbound_symbol] at line 2, column 8: unable to resolve symbol foo
 * 2 |   (+ x foo))
 *            ^^^
 * hint: did you mean `for`?
 * ```
 *
 * The excerpt is located by `span.start`, so it is right for any line ending. A span that runs
 * past its line is underlined to the end of the line.
 */
export function formatDiagnostic(diagnostic: Diagnostic, source?: string, options: FormatOptions = {}): string {
  const span = diagnostic.span;
  const where = span ? ` at line ${span.line}, column ${span.column}` : "";
  const severity = diagnostic.severity === "warning" ? "warning" : "error";
  const lines = [`${severity} [${diagnostic.code}]${where}: ${diagnostic.message}`];
  if (options.file !== undefined) lines.push(` --> ${options.file}${span ? `:${span.line}:${span.column}` : ""}`);
  if (source !== undefined && span && span.start >= 0 && span.start <= source.length) {
    lines.push(...excerpt(source, span.start, span.end, span.line, options.maxLineWidth ?? 120));
  }
  if (diagnostic.hint) lines.push(`hint: ${diagnostic.hint}`);
  const stack = diagnostic.details?.["stack"];
  if (Array.isArray(stack) && stack.length > 0) lines.push(...frameLines(stack as StackFrame[]));
  return lines.join("\n");
}

interface StackFrame {
  readonly name: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * The Lisp call stack, one line per run of identical frames (`in f (line 1, column 32) × 32`),
 * so deep recursion shows as one line; at most MAX_FRAMES lines, then how many frames are left.
 */
function frameLines(stack: readonly StackFrame[]): string[] {
  const lines: string[] = [];
  let shown = 0;
  let i = 0;
  while (i < stack.length && lines.length < MAX_FRAMES) {
    const frame = stack[i] as StackFrame;
    const text = `  in ${frame.name}${frame.line ? ` (line ${frame.line}, column ${frame.column})` : ""}`;
    let repeats = 1;
    while (i + repeats < stack.length && sameFrame(stack[i + repeats] as StackFrame, frame)) repeats++;
    lines.push(repeats > 1 ? `${text} × ${repeats}` : text);
    shown += repeats;
    i += repeats;
  }
  if (shown < stack.length) lines.push(`  ... ${stack.length - shown} more`);
  return lines;
}

function sameFrame(a: StackFrame, b: StackFrame): boolean {
  return a.name === b.name && a.line === b.line && a.column === b.column;
}

const LINE_BREAK = /\r\n|\r|\n/;

/** The source line holding `start`, and a caret line under [start, end) within it. */
function excerpt(source: string, start: number, end: number, line: number, maxWidth: number): string[] {
  let lineStart = start;
  while (lineStart > 0 && source[lineStart - 1] !== "\n" && source[lineStart - 1] !== "\r") lineStart--;
  const rest = source.slice(lineStart);
  const breakAt = rest.search(LINE_BREAK);
  let text = breakAt < 0 ? rest : rest.slice(0, breakAt);
  let column = start - lineStart;
  let width = Math.max(1, Math.min(end, lineStart + text.length) - start);

  let prefix = "";
  let suffix = "";
  if (text.length > maxWidth) {
    const from = Math.max(0, Math.min(column - Math.floor(maxWidth / 3), text.length - maxWidth));
    if (from > 0) prefix = "...";
    if (from + maxWidth < text.length) suffix = "...";
    text = text.slice(from, from + maxWidth);
    column -= from;
    width = Math.max(1, Math.min(width, text.length - column));
  }

  const gutter = `${line} | `;
  // Tabs before the caret are kept so the caret lines up however the terminal expands them.
  const indent = text.slice(0, column).replace(/[^\t]/g, " ");
  return [
    `${gutter}${prefix}${text}${suffix}`,
    `${" ".repeat(gutter.length + prefix.length)}${indent}${"^".repeat(width)}`,
  ];
}
