import type { DiagnosticSink } from "../../errors/cap.js";
import type { Diagnostic } from "../../errors/diagnostic.js";
import { makeDiagnostic } from "../../errors/errors.js";
import type { SourceSpan } from "../../errors/span.js";
import type { FnLiteralForm, Form, ListForm, MapForm, SetForm, SymbolForm, VectorForm } from "../ast/nodes.js";
import type { IToken } from "../chevrotain.js";
import { keywordNameStart, namespaceSeparator, tokenSpan } from "../lexer/lexer.js";
import {
  CharLiteral,
  False,
  Keyword,
  Nil,
  NumberLiteral,
  PreReadForm,
  Regex,
  StringLiteral,
  SymbolicValue,
  SymbolToken,
  True,
  UnterminatedRegex,
  UnterminatedString,
} from "../lexer/tokens.js";
import { printForm } from "../printer/print-form.js";

/**
 * The diagnostics of a subtree, in reporting order: one diagnostic (built only if the sink keeps
 * it), or parts in order. Built only where there is something to report.
 */
type Report = (() => Diagnostic) | Report[];

/** The reports filed under an open sequence, by kind of element. */
interface Filed {
  readonly discarded: Report[];
  readonly read: Report[];
}

/**
 * Builds forms as the grammar's actions finish each rule (grammar.ts), and reports what the
 * grammar leaves to it: missing forms after a prefix, odd and duplicate-keyed maps, duplicate set
 * elements, nested `#()`, `#'` on a non-symbol and bad metadata. Lexical payloads (numbers,
 * decoded strings, names) come from the lexer on each token. One builder per parser run.
 *
 * Each rule with elements (the program, a collection, a prefix, a discard) opens a sequence at
 * the next depth; the elements of all open sequences sit on one stack and a finished sequence
 * takes its own off the top, so reading allocates nothing per sequence but its forms.
 *
 * Reporting order is a depth-first walk that takes, at each node, its own leading diagnostic,
 * then everything inside its discarded elements, then inside its other elements, then its own
 * trailing diagnostics. It decides which diagnostics the sink keeps past its cap, so it does not
 * depend on the order the parser finishes rules in: each finished rule leaves its report for the
 * enclosing rule, which files it under its own.
 */
export class FormBuilder {
  /** The depth of the innermost open sequence (0: none). */
  private depth = 0;
  /**
   * The forms read by every open sequence, outermost first, up to `top` (the array is never
   * shortened: assigning `length` trims its store, measured slower than a top index).
   */
  private readonly elements: Form[] = [];
  private top = 0;
  /** By depth: where the open sequence's forms start in `elements`. */
  private readonly starts: number[] = [];
  /** By depth: the reports filed under the open sequence, if any. */
  private readonly filed: (Filed | undefined)[] = [];
  /** The report of the rule just finished (a discard's goes in `lastDiscarded`), for its enclosing rule. */
  private last: Report | undefined = undefined;
  private lastDiscarded: Report | undefined = undefined;

  /** `fnLiteralDepth`: the `#(` around the tokens read (non-zero for a nested chunk, see parse.ts). */
  constructor(private fnLiteralDepth = 0) {}

  /** Opens a sequence for a rule's elements; the rule hands the depth returned to its finishing call. */
  open(): number {
    const depth = ++this.depth;
    this.starts[depth] = this.top;
    this.filed[depth] = undefined;
    return depth;
  }

  /** Files the element just read into the innermost sequence, with the report of the rule that read it. */
  add(form: Form | undefined): void {
    if (this.last !== undefined || this.lastDiscarded !== undefined) this.fileReports();
    if (form !== undefined) this.elements[this.top++] = form;
  }

  /** The top-level forms; `report` then files their diagnostics. */
  program(depth: number): Form[] {
    const items = this.close(depth);
    this.last = this.finish(depth);
    return items;
  }

  /** Adds the diagnostics of the program read to `diagnostics`, in reporting order. */
  report(diagnostics: DiagnosticSink): void {
    // Iterative: reports nest as deep as forms.
    const stack: Report[] = this.last === undefined ? [] : [this.last];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (typeof next === "function") diagnostics.add(next);
      else for (let index = next.length - 1; index >= 0; index--) stack.push(next[index] as Report);
    }
  }

  /** Discarded forms are still read, as Clojure does, so their faults are reported. */
  discard(prefix: IToken, depth: number, present: boolean): void {
    this.close(depth);
    this.lastDiscarded = this.finish(depth, present ? undefined : missingForm(prefix));
  }

  list(open: IToken, depth: number, close: IToken): ListForm {
    const items = this.close(depth);
    this.last = this.finish(depth);
    return { kind: "list", items, span: enclosing(open, close) };
  }

  vector(open: IToken, depth: number, close: IToken): VectorForm {
    const items = this.close(depth);
    this.last = this.finish(depth);
    return { kind: "vector", items, span: enclosing(open, close) };
  }

  map(open: IToken, depth: number, close: IToken): MapForm {
    const items = this.close(depth);
    const span = enclosing(open, close);
    const own: Report[] = [];
    if (items.length % 2 === 1) own.push(() => makeDiagnostic("odd_map_literal", {}, span));
    checkDistinct(items, 2, "map", own);
    this.last = this.finish(depth, undefined, own);
    return { kind: "map", items, span };
  }

  set(open: IToken, depth: number, close: IToken): SetForm {
    const items = this.close(depth);
    const own: Report[] = [];
    checkDistinct(items, 1, "set", own);
    this.last = this.finish(depth, undefined, own);
    return { kind: "set", items, span: enclosing(open, close) };
  }

  /** Called when a `#(` is read, before its elements: `#(` inside `#(` is reported when it ends. */
  openFnLiteral(): boolean {
    return this.fnLiteralDepth++ > 0;
  }

  fnLiteral(open: IToken, depth: number, close: IToken, nested: boolean): FnLiteralForm {
    this.fnLiteralDepth--;
    const items = this.close(depth);
    const span = enclosing(open, close);
    this.last = this.finish(depth, nested ? () => makeDiagnostic("nested_fn_literal", {}, span) : undefined);
    // The body is the list after `#`; `#(` is one token on one line, so shifting by one is exact.
    const bodySpan = { start: span.start + 1, end: span.end, line: span.line, column: span.column + 1 };
    return { kind: "fn-literal", body: { kind: "list", items, span: bodySpan }, span };
  }

  /**
   * `'x`, `@x`, `#'x` read as `(quote x)`, `(deref x)`, `(var x)`. `present`: whether a form
   * followed the prefix (it may still read as nothing: a prefix missing its own form).
   */
  sugar(prefix: IToken, depth: number, present: boolean, name: "quote" | "deref" | "var"): ListForm | undefined {
    const form = this.close(depth)[0];
    const prefixSpan = tokenSpan(prefix);
    const own: Report[] = [];
    let list: ListForm | undefined;
    if (!present) {
      own.push(() => makeDiagnostic("missing_form", { prefix: prefix.image }, prefixSpan));
    } else if (form !== undefined) {
      const head: SymbolForm = { kind: "symbol", ns: null, name, span: prefixSpan };
      list = {
        kind: "list",
        items: [head, form],
        sugar: name,
        span: { start: prefixSpan.start, end: form.span.end, line: prefixSpan.line, column: prefixSpan.column },
      };
      if (name === "var" && form.kind !== "symbol") {
        own.push(() => makeDiagnostic("var_needs_symbol", { found: form.kind }, form.span));
      }
    }
    this.last = this.finish(depth, undefined, own);
    return list;
  }

  /**
   * `^meta target` reads as target; the metadata is checked and dropped. `meta` and `target`:
   * undefined when absent, null when present but read as nothing.
   */
  withMeta(
    prefix: IToken,
    depth: number,
    meta: Form | null | undefined,
    target: Form | null | undefined,
  ): Form | undefined {
    this.close(depth);
    const own: Report[] = [];
    if (meta != null && !METADATA_KINDS.has(meta.kind)) {
      own.push(() => makeDiagnostic("invalid_metadata", { found: meta.kind }, meta.span));
    }
    if (target === undefined) own.push(missingForm(prefix));
    this.last = this.finish(depth, undefined, own);
    return target ?? undefined;
  }

  private fileReports(): void {
    let filed = this.filed[this.depth];
    if (filed === undefined) {
      filed = { discarded: [], read: [] };
      this.filed[this.depth] = filed;
    }
    if (this.lastDiscarded !== undefined) filed.discarded.push(this.lastDiscarded);
    if (this.last !== undefined) filed.read.push(this.last);
    this.last = undefined;
    this.lastDiscarded = undefined;
  }

  /** Takes the sequence at `depth` off the stack (and any a failed rule left above it): its forms. */
  private close(depth: number): Form[] {
    const start = this.starts[depth] as number;
    const items = this.elements.slice(start, this.top);
    this.top = start;
    this.depth = depth - 1;
    return items;
  }

  /** The report of a finished rule: its leading diagnostic, its elements' reports, its own trailing ones. */
  private finish(depth: number, leading?: Report, trailing?: Report[]): Report | undefined {
    const filed = this.filed[depth];
    if (leading === undefined && filed === undefined && !trailing?.length) return undefined;
    // Nested, not spread: a sequence may hold any number of reports.
    const parts: Report[] = leading === undefined ? [] : [leading];
    if (filed !== undefined) parts.push(filed.discarded, filed.read);
    if (trailing !== undefined) parts.push(trailing);
    return parts;
  }
}

function missingForm(prefix: IToken): () => Diagnostic {
  return () => makeDiagnostic("missing_form", { prefix: prefix.image }, tokenSpan(prefix));
}

const METADATA_KINDS: ReadonlySet<Form["kind"]> = new Set(["symbol", "keyword", "string", "map"]);

/** Reports each item (every `stride`-th: map keys) equal to an earlier one, by printed form. */
function checkDistinct(items: readonly Form[], stride: number, kind: "map" | "set", own: Report[]): void {
  if (items.length <= stride) return;
  const seen = new Set<string>();
  for (let index = 0; index < items.length; index += stride) {
    const item = items[index] as Form;
    const key = printForm(item);
    if (seen.has(key)) own.push(() => makeDiagnostic("duplicate_key", { key, kind }, item.span));
    else seen.add(key);
  }
}

/** The form of an atom token (a PreReadForm carries its form). */
export function atom(token: IToken): Form | undefined {
  if (token.tokenType === PreReadForm) return token.payload as Form;
  const span = tokenSpan(token);
  switch (token.tokenType) {
    case SymbolToken: {
      const image = token.image;
      const slash = namespaceSeparator(image, 0);
      if (slash === -1) return { kind: "symbol", ns: null, name: image, span };
      return { kind: "symbol", ns: image.slice(0, slash), name: image.slice(slash + 1), span };
    }
    case Keyword: {
      const image = token.image;
      const start = keywordNameStart(image);
      const slash = namespaceSeparator(image, start);
      if (slash === -1) return { kind: "keyword", ns: null, name: image.slice(start), span };
      return { kind: "keyword", ns: image.slice(start, slash), name: image.slice(slash + 1), span };
    }
    case NumberLiteral:
    case SymbolicValue:
      return { kind: "number", value: token.payload as number, span };
    case StringLiteral:
    case UnterminatedString:
      return { kind: "string", value: token.payload as string, span };
    case Nil:
      return { kind: "nil", span };
    case True:
      return { kind: "boolean", value: true, span };
    case False:
      return { kind: "boolean", value: false, span };
    case CharLiteral:
      return { kind: "char", value: token.payload as string, span };
    case Regex:
    case UnterminatedRegex:
      return { kind: "regex", pattern: token.payload as string, span };
    default:
      return undefined;
  }
}

/** From the opener through the closer; a closer inserted by error recovery ends the span at the opener. */
function enclosing(open: IToken, close: IToken): SourceSpan {
  const end = Number.isFinite(close.startOffset)
    ? close.startOffset + close.image.length
    : open.startOffset + open.image.length;
  return { start: open.startOffset, end, line: open.startLine ?? 1, column: open.startColumn ?? 1 };
}
