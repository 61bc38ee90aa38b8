import type { SourceSpan } from "../../errors/span.js";

/**
 * The reader's output: source forms as data, each with its span. These are syntax, not runtime
 * values; the analyzer turns them into executable nodes and quoted forms into values.
 *
 * Reader sugar is expanded into lists whose head is a symbol, with `sugar` recording the
 * written form so the printer can round-trip it: `'x` → `(quote x)`, `@x` → `(deref x)`,
 * `#'x` → `(var x)`.
 */
export type Form =
  | NilForm
  | BooleanForm
  | NumberForm
  | StringForm
  | CharForm
  | KeywordForm
  | SymbolForm
  | RegexForm
  | ListForm
  | VectorForm
  | MapForm
  | SetForm
  | FnLiteralForm;

interface Base {
  readonly span: SourceSpan;
}

export interface NilForm extends Base {
  readonly kind: "nil";
}
export interface BooleanForm extends Base {
  readonly kind: "boolean";
  readonly value: boolean;
}
/** Integers, decimals, exponents, `##Inf`, `##-Inf`, `##NaN`; all are JS doubles. */
export interface NumberForm extends Base {
  readonly kind: "number";
  readonly value: number;
}
/** A string literal with its escapes already decoded. */
export interface StringForm extends Base {
  readonly kind: "string";
  readonly value: string;
}
/** A character literal (`\a`, `\newline`, `\u00e9`); its value is a one-character string. */
export interface CharForm extends Base {
  readonly kind: "char";
  readonly value: string;
}
/** `:name` or `:ns/name`. */
export interface KeywordForm extends Base {
  readonly kind: "keyword";
  readonly ns: string | null;
  readonly name: string;
}
/** `name`, `ns/name` (`data/x`, `tool/x`, `str/join`, `clojure.string/join`), and `/`. */
export interface SymbolForm extends Base {
  readonly kind: "symbol";
  readonly ns: string | null;
  readonly name: string;
}
/** `#"..."`; `pattern` is the text between the quotes, with no escape processing. */
export interface RegexForm extends Base {
  readonly kind: "regex";
  readonly pattern: string;
}
export interface ListForm extends Base {
  readonly kind: "list";
  readonly items: readonly Form[];
  readonly sugar?: "quote" | "deref" | "var";
}
export interface VectorForm extends Base {
  readonly kind: "vector";
  readonly items: readonly Form[];
}
/** Keys and values alternate in `items`; the reader guarantees an even count and no duplicate literal keys. */
export interface MapForm extends Base {
  readonly kind: "map";
  readonly items: readonly Form[];
}
export interface SetForm extends Base {
  readonly kind: "set";
  readonly items: readonly Form[];
}
/** `#(...)`: `body` is the list inside; `%`, `%n`, `%&` remain symbols for the analyzer. */
export interface FnLiteralForm extends Base {
  readonly kind: "fn-literal";
  readonly body: ListForm;
}

export type FormKind = Form["kind"];
