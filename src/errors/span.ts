/**
 * A region of PTC-Lisp source. Offsets are 0-based UTF-16 code-unit indices, `end` exclusive;
 * `line` and `column` are 1-based and locate `start` (Chevrotain's IToken conventions).
 */
export interface SourceSpan {
  /** 0-based offset of the first character. */
  readonly start: number;
  /** 0-based offset one past the last character. */
  readonly end: number;
  /** 1-based line of `start`. */
  readonly line: number;
  /** 1-based column of `start`. */
  readonly column: number;
}

export function spanBetween(first: SourceSpan, last: SourceSpan): SourceSpan {
  return { start: first.start, end: last.end, line: first.line, column: first.column };
}
