import {
  Atom,
  ExInfo,
  Fn,
  Keyword,
  LazySeq,
  LMap,
  PList,
  PSet,
  PVector,
  Regex,
  Sym,
  type Value,
  Var,
} from "../values/value.js";

/** Numbers as ClojureScript prints them: integer-valued doubles without a decimal point. */
export function printNumber(value: number, readably: boolean): string {
  if (Number.isNaN(value)) return readably ? "##NaN" : "NaN";
  if (value === Number.POSITIVE_INFINITY) return readably ? "##Inf" : "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return readably ? "##-Inf" : "-Infinity";
  return String(value);
}

const STRING_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\t": "\\t",
  "\r": "\\r",
  "\f": "\\f",
  "\b": "\\b",
};

export function printString(value: string): string {
  return `"${value.replace(/["\\\n\t\r\f\b]/g, (c) => STRING_ESCAPES[c] ?? c)}"`;
}

/**
 * Prints a value. `readably` is `pr-str` (EDN: strings quoted, `##Inf`); otherwise it is
 * `print-str`/`println` (strings bare at every depth). Deep values recurse; the runtime
 * guards depth and size before printing.
 */
export function printValue(value: Value, readably = true): string {
  const out: string[] = [];
  write(value, readably, out);
  return out.join("");
}

/** Clojure `str` of one value: nil is empty, strings bare, everything else as `pr-str`. */
export function strValue(value: Value): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return printNumber(value, false);
  return printValue(value, true);
}

function writeItems(items: Iterable<Value>, open: string, close: string, readably: boolean, out: string[]): void {
  out.push(open);
  let first = true;
  for (const item of items) {
    if (!first) out.push(" ");
    first = false;
    write(item, readably, out);
  }
  out.push(close);
}

function write(value: Value, readably: boolean, out: string[]): void {
  if (value === null) {
    out.push("nil");
  } else if (typeof value === "boolean") {
    out.push(value ? "true" : "false");
  } else if (typeof value === "number") {
    out.push(printNumber(value, readably));
  } else if (typeof value === "string") {
    out.push(readably ? printString(value) : value);
  } else if (value instanceof Keyword) {
    out.push(`:${value.fqn}`);
  } else if (value instanceof Sym) {
    out.push(value.fqn);
  } else if (value instanceof PVector) {
    writeItems(value, "[", "]", readably, out);
  } else if (value instanceof PList || value instanceof LazySeq) {
    writeItems(value, "(", ")", readably, out);
  } else if (value instanceof PSet) {
    writeItems(value, "#{", "}", readably, out);
  } else if (value instanceof LMap) {
    out.push("{");
    let first = true;
    for (const [k, v] of value.entries()) {
      if (!first) out.push(", ");
      first = false;
      write(k, readably, out);
      out.push(" ");
      write(v, readably, out);
    }
    out.push("}");
  } else if (value instanceof Fn) {
    out.push(`#object[${value.name || "fn"}]`);
  } else if (value instanceof Atom) {
    out.push("#object[Atom {:val ");
    write(value.value, readably, out);
    out.push("}]");
  } else if (value instanceof Var) {
    out.push(`#'user/${value.name}`);
  } else if (value instanceof Regex) {
    out.push(`#"${value.source}"`);
  } else if (value instanceof ExInfo) {
    out.push("#error {:message ");
    out.push(printString(value.message));
    out.push(", :data ");
    write(value.data, readably, out);
    out.push("}");
  }
}
