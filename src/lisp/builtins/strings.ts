import { RE2JS } from "re2js";
import type { RunContext } from "../eval/context.js";
import { strValue } from "../printer/print-value.js";
import { getValue } from "../values/access.js";
import { MAX_STRING_LENGTH, stringTooLong } from "../values/meter.js";
import { Keyword, LMap, PVector, Regex, Sym, type Value } from "../values/value.js";
import { formatString } from "./format.js";
import { engineOf, matchValue, regexCost } from "./regex.js";
import { invalidArgument, isCallable, listed, seqItems, seqResult, sizeOf, wrongType } from "./support.js";
import type { BuiltinFamily, BuiltinSpec } from "./types.js";

function text(fn: string, value: Value): string {
  if (typeof value !== "string") wrongType(fn, "a string", value);
  return value;
}

function int(fn: string, value: Value): number {
  if (typeof value !== "number" || !Number.isInteger(value)) wrongType(fn, "an integer", value);
  return value;
}

/**
 * `str` of one argument. Printing a collection walks it without host recursion and is charged
 * to the run as it goes (see printValue); a lazy seq is printed as it is realized.
 */
function strArg(value: Value): string {
  return typeof value === "string" ? value : strValue(value);
}

/**
 * Builds a string piece by piece, charging each piece's allocation before it is added and
 * refusing (limit_exceeded) a result longer than the host can hold, so that no builtin makes
 * a string it has not paid for.
 */
class TextBuilder {
  text = "";
  constructor(private readonly context: RunContext) {}
  add(piece: string): void {
    if (piece.length === 0) return;
    const length = this.text.length + piece.length;
    if (length > MAX_STRING_LENGTH) throw stringTooLong(length);
    this.context.alloc(2 * piece.length);
    this.text += piece;
  }
}

/** Strings split by a short literal separator share compiled patterns here (long ones are not kept across runs). */
const literalPatterns = new Map<string, RE2JS>();
function literalPattern(separator: string): RE2JS {
  let engine = literalPatterns.get(separator);
  if (engine === undefined) {
    engine = RE2JS.compile(RE2JS.quote(separator));
    if (separator.length > 64) return engine;
    if (literalPatterns.size >= 256) literalPatterns.delete(literalPatterns.keys().next().value as string);
    literalPatterns.set(separator, engine);
  }
  return engine;
}

/** Java `String.split` semantics: limit 0 drops trailing empty strings, a positive limit caps the parts, a negative one keeps all. */
function split(s: string, separator: Value, limit: number): PVector {
  let engine: RE2JS;
  if (separator instanceof Regex) engine = engineOf(separator);
  else if (typeof separator === "string") {
    if (separator.length > 0) return PVector.from(splitLiteral(s, separator, limit));
    engine = literalPattern(separator);
  } else return wrongType("split", "a regex or string separator", separator);
  return PVector.from(engine.split(s, limit));
}

/** `split` on a non-empty literal separator, by `indexOf` (the regex engine costs ~150 ns a character even for a literal). */
function splitLiteral(s: string, separator: string, limit: number): string[] {
  const parts: string[] = [];
  let from = 0;
  while (limit <= 0 || parts.length < limit - 1) {
    const at = s.indexOf(separator, from);
    if (at < 0) break;
    parts.push(s.slice(from, at));
    from = at + separator.length;
  }
  // No match at all: the string itself, even when empty.
  if (parts.length === 0) return [s];
  parts.push(s.slice(from));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** Fuel of split/replace: by the regex when the match is one (see regexCost), else linear. */
function textMatchCost(args: readonly Value[]): number {
  const match = args[1];
  if (match instanceof Regex) return regexCost(match, args[0]);
  let size = 1;
  for (const arg of args) size += sizeOf(arg as Value) ?? 0;
  return size;
}

/**
 * Expands a replacement template for one regex match: `$1`..`$99` and `$0`/`$&` (the whole
 * match), `${name}`/`$<name>` (named groups), `$$` and `\$` (a dollar), `\\` (a backslash).
 * References to groups that do not exist stay as written; unmatched groups insert nothing.
 */
function expandTemplate(
  template: string,
  matcher: ReturnType<RE2JS["matcher"]>,
  named: Record<string, number>,
): string {
  if (template.indexOf("$") < 0 && template.indexOf("\\") < 0) return template;
  const groups = matcher.groupCount();
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    const next = template[i + 1];
    if (c === "\\" && (next === "$" || next === "\\")) {
      out += next;
      i++;
    } else if (c === "$" && next === "$") {
      out += "$";
      i++;
    } else if (c === "$" && next === "&") {
      out += matcher.group(0) ?? "";
      i++;
    } else if (c === "$" && next !== undefined && next >= "0" && next <= "9") {
      let group = next.charCodeAt(0) - 48;
      let used = 1;
      const second = template[i + 2];
      if (second !== undefined && second >= "0" && second <= "9") {
        const two = group * 10 + second.charCodeAt(0) - 48;
        if (two <= groups) {
          group = two;
          used = 2;
        }
      }
      if (group > groups) {
        out += c;
        continue;
      }
      out += matcher.group(group) ?? "";
      i += used;
    } else if (c === "$" && (next === "{" || next === "<")) {
      const close = template.indexOf(next === "{" ? "}" : ">", i + 2);
      const name = close < 0 ? "" : template.slice(i + 2, close);
      if (close < 0 || named[name] === undefined) {
        out += c;
        continue;
      }
      out += matcher.group(name) ?? "";
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * `clojure.string/replace` and `replace-first`. The result may be far longer than `s` (every
 * match replaced by a long string): it is charged piece by piece as it grows.
 */
function replace(context: RunContext, fn: string, args: Value[], all: boolean): string {
  const s = text(fn, args[0] as Value);
  const match = args[1] as Value;
  const replacement = args[2] as Value;
  const out = new TextBuilder(context);
  if (typeof match === "string") {
    let produce: () => string;
    if (typeof replacement === "string") produce = () => replacement;
    else if (isCallable(replacement)) produce = () => strValue(context.call1(replacement, match));
    else return wrongType(fn, "a string or function replacement", replacement);
    // As String.replace: an empty match matches before every character and at the end.
    let last = 0;
    for (let from = 0; from <= s.length; ) {
      const at = s.indexOf(match, from);
      if (at < 0) break;
      out.add(s.slice(last, at));
      out.add(produce());
      last = at + match.length;
      if (!all) break;
      from = match.length === 0 ? at + 1 : last;
    }
    out.add(s.slice(last));
  } else if (match instanceof Regex) {
    if (typeof replacement !== "string" && !isCallable(replacement)) {
      return wrongType(fn, "a string or function replacement", replacement);
    }
    const engine = engineOf(match);
    const named = engine.namedGroups();
    const matcher = engine.matcher(s);
    let last = 0;
    while (matcher.find()) {
      out.add(s.slice(last, matcher.start()));
      out.add(
        typeof replacement === "string"
          ? expandTemplate(replacement, matcher, named)
          : strValue(context.call1(replacement, matchValue(matcher))),
      );
      last = matcher.end();
      if (!all) break;
    }
    out.add(s.slice(last));
  } else {
    return wrongType(fn, "a string or regex to match", match);
  }
  return out.text;
}

/** Core `replace`: elements of coll found as keys in smap are replaced by their values. */
function replaceInColl(context: RunContext, smap: Value, coll: Value): Value {
  if (!(smap instanceof LMap) && !(smap instanceof PVector))
    wrongType("replace", "a map or vector of replacements", smap);
  const has = (x: Value): boolean =>
    smap instanceof LMap ? smap.has(x) : typeof x === "number" && Number.isInteger(x) && x >= 0 && x < smap.count;
  const items = seqItems(context, "replace", coll).map((x) => (has(x) ? getValue(smap, x, null) : x));
  return coll instanceof PVector ? PVector.from(items) : seqResult(items);
}

function predicate2(name: string, doc: string, test: (s: string, sub: string) => boolean): BuiltinSpec {
  return {
    name,
    ns: "clojure.string",
    aliases: [name],
    arity: [2, 2],
    signature: "(s :string, substr :string) -> :bool",
    cost: "linear",
    alloc: "constant",
    doc,
    impl: (_context, args) => test(text(name, args[0] as Value), text(name, args[1] as Value)),
  };
}

function transform(name: string, aliases: string[], doc: string, fn: (s: string) => string): BuiltinSpec {
  return {
    name,
    ns: "clojure.string",
    aliases,
    arity: [1, 1],
    signature: "(s :string) -> :string",
    cost: "linear",
    doc,
    impl: (_context, args) => fn(text(name, args[0] as Value)),
  };
}

/** Lines split on `\n` or `\r\n`, trailing empty ones dropped (Java's split on `\r?\n`), by indexOf. */
function splitLines(s: string): string[] {
  const lines: string[] = [];
  let from = 0;
  for (let at = s.indexOf("\n"); at >= 0; at = s.indexOf("\n", from)) {
    lines.push(s.slice(from, at > from && s.charCodeAt(at - 1) === 13 ? at - 1 : at));
    from = at + 1;
  }
  if (lines.length === 0) return [s];
  lines.push(s.slice(from));
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export const STRING_BUILTINS: BuiltinFamily = [
  {
    name: "str",
    reference: "strings",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& xs :any) -> :string",
    doc: 'Concatenates the printed forms of the arguments; nil prints as "", strings as themselves.',
    impl: (context, args) => {
      if (args.length === 2) {
        const a = args[0];
        const b = args[1];
        if (typeof a === "string" && typeof b === "string") {
          const length = a.length + b.length;
          if (length > MAX_STRING_LENGTH) throw stringTooLong(length);
          context.alloc(2 * length);
          return a + b;
        }
      }
      context.charge(args.length);
      const out = new TextBuilder(context);
      for (const arg of args) out.add(strArg(arg));
      return out.text;
    },
  },
  {
    name: "subs",
    reference: "strings",
    arity: [2, 3],
    signature: "(s :string, start :int, end :int?) -> :string",
    cost: "linear",
    doc: "The substring of s from start (inclusive) to end (exclusive, default the end); indices are clamped to s.",
    impl: (_context, args) => {
      const s = text("subs", args[0] as Value);
      const start = Math.min(Math.max(int("subs", args[1] as Value), 0), s.length);
      const end = args.length > 2 ? Math.min(Math.max(int("subs", args[2] as Value), 0), s.length) : s.length;
      if (end < start) invalidArgument("subs", `end ${args[2] as number} is before start ${args[1] as number}`);
      return s.slice(start, end);
    },
  },
  {
    name: "format",
    reference: "strings",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(fmt :string, & args :any) -> :string",
    cost: "linear",
    doc: 'Java-style formatting: (format "%s has %d items, %.2f%%" name n x); also %x %o %e %g %b %c %n, widths and flags.',
    impl: (context, args) => formatString(context, text("format", args[0] as Value), args.slice(1)),
  },
  {
    name: "name",
    reference: "strings",
    arity: [1, 1],
    signature: "(x :any) -> :string",
    doc: "The name of a keyword or symbol without its namespace; a string is returned as is.",
    impl: (_context, args) => {
      const x = args[0] as Value;
      if (typeof x === "string") return x;
      if (x instanceof Keyword || x instanceof Sym) return x.name;
      return wrongType("name", "a keyword, symbol or string", x);
    },
  },
  {
    name: "namespace",
    arity: [1, 1],
    signature: "(x :keyword) -> :string?",
    doc: "The namespace of a keyword or symbol, or nil.",
    impl: (_context, args) => {
      const x = args[0] as Value;
      if (x instanceof Keyword || x instanceof Sym) return x.ns;
      return wrongType("namespace", "a keyword or symbol", x);
    },
  },
  {
    name: "keyword",
    reference: "strings",
    arity: [1, 2],
    signature: "(ns :string?, name :string) -> :keyword",
    cost: "linear",
    alloc: "linear",
    doc: '(keyword "a") is :a, (keyword "ns" "a") is :ns/a; keywords are returned as is.',
    impl: (_context, args) => {
      if (args.length === 2) {
        const ns = args[0] as Value;
        if (ns !== null) text("keyword", ns);
        return Keyword.of(text("keyword", args[1] as Value), ns as string | null);
      }
      const x = args[0] as Value;
      if (x instanceof Keyword) return x;
      if (typeof x === "string") return Keyword.parse(x);
      if (x instanceof Sym) return Keyword.of(x.name, x.ns);
      return null;
    },
  },
  {
    name: "symbol",
    types: "signature",
    arity: [1, 2],
    signature: "(ns :string?, name :string) -> :any",
    cost: "linear",
    alloc: "linear",
    doc: '(symbol "a") is the symbol a; (symbol "ns" "a") is ns/a.',
    impl: (_context, args) => {
      if (args.length === 2) {
        const ns = args[0] as Value;
        if (ns !== null) text("symbol", ns);
        return Sym.of(text("symbol", args[1] as Value), ns as string | null);
      }
      const x = args[0] as Value;
      if (x instanceof Sym) return x;
      if (x instanceof Keyword) return Sym.of(x.name, x.ns);
      const name = text("symbol", x);
      const slash = name.indexOf("/");
      return slash > 0 && slash < name.length - 1 ? Sym.of(name.slice(slash + 1), name.slice(0, slash)) : Sym.of(name);
    },
  },
  {
    name: "join",
    ns: "clojure.string",
    reference: "strings",
    aliases: ["join"],
    arity: [1, 2],
    signature: "(separator :string?, coll [:any]) -> :string",
    cost: "linear",
    alloc: "constant",
    doc: 'Joins the printed elements of coll, with separator between them: (join ", " ["a" "b"]) is "a, b".',
    impl: (context, args) => {
      const separator = args.length === 2 ? strArg(args[0] as Value) : "";
      const items = seqItems(context, "join", args[args.length - 1] as Value);
      const parts = new Array<string>(items.length);
      let length = Math.max(0, items.length - 1) * separator.length;
      for (let i = 0; i < items.length; i++) {
        const part = strArg(items[i] as Value);
        parts[i] = part;
        length += part.length;
      }
      // The joined text is charged, and checked against the host's limit, before it is made.
      if (length > MAX_STRING_LENGTH) throw stringTooLong(length);
      context.charge(Math.ceil(length / 64));
      context.alloc(2 * length);
      return parts.join(separator);
    },
  },
  {
    name: "split",
    types: "signature",
    size: "unknown",
    ns: "clojure.string",
    reference: "strings",
    aliases: ["split"],
    arity: [2, 3],
    signature: "(s :string, separator :regex, limit :int?) -> [:string]",
    cost: textMatchCost,
    alloc: "linear",
    doc: "Splits s on a regex or literal string; trailing empty strings are dropped unless a limit is given.",
    impl: (_context, args) => {
      const s = text("split", args[0] as Value);
      return split(s, args[1] as Value, args.length > 2 ? int("split", args[2] as Value) : 0);
    },
  },
  {
    name: "split-lines",
    types: "signature",
    size: "unknown",
    ns: "clojure.string",
    reference: "strings",
    aliases: ["split-lines"],
    arity: [1, 1],
    signature: "(s :string) -> [:string]",
    cost: "linear",
    doc: "Splits s on \\n or \\r\\n; trailing empty lines are dropped.",
    impl: (_context, args) => PVector.from(splitLines(text("split-lines", args[0] as Value))),
  },
  {
    name: "replace",
    ns: "clojure.string",
    reference: "strings",
    arity: [3, 3],
    signature: "(s :string, match :any, replacement :any) -> :string",
    cost: textMatchCost,
    alloc: "constant",
    doc: 'Replaces every match (string, or regex with $1 group references or a function of the match) in s: (str/replace "a-b" "-" "_").',
    impl: (context, args) => replace(context, "replace", args, true),
  },
  {
    name: "replace",
    arity: [2, 3],
    signature: "(s :string, match :any, replacement :any) -> :string",
    cost: textMatchCost,
    alloc: "constant",
    doc: "With 3 arguments, clojure.string/replace; with 2, (replace smap coll) replaces elements of coll found in smap.",
    impl: (context, args) =>
      args.length === 3
        ? replace(context, "replace", args, true)
        : replaceInColl(context, args[0] as Value, args[1] as Value),
  },
  {
    name: "replace-first",
    ns: "clojure.string",
    arity: [3, 3],
    signature: "(s :string, match :any, replacement :any) -> :string",
    cost: textMatchCost,
    alloc: "constant",
    doc: "Like replace, but only the first match.",
    impl: (context, args) => replace(context, "replace-first", args, false),
  },
  listed(
    "strings",
    transform("upper-case", ["upper-case", "upcase"], "s in upper case.", (s) => s.toUpperCase()),
  ),
  listed(
    "strings",
    transform("lower-case", ["lower-case", "downcase"], "s in lower case.", (s) => s.toLowerCase()),
  ),
  transform("capitalize", ["capitalize"], "s with its first character upper case and the rest lower case.", (s) =>
    s.length < 2 ? s.toUpperCase() : s.slice(0, 1).toUpperCase() + s.slice(1).toLowerCase(),
  ),
  listed(
    "strings",
    transform("trim", ["trim"], "s without leading and trailing whitespace.", (s) => s.trim()),
  ),
  transform("triml", ["triml"], "s without leading whitespace.", (s) => s.trimStart()),
  transform("trimr", ["trimr"], "s without trailing whitespace.", (s) => s.trimEnd()),
  transform("trim-newline", ["trim-newline"], "s without trailing newline and return characters.", (s) => {
    let end = s.length;
    while (end > 0 && (s[end - 1] === "\n" || s[end - 1] === "\r")) end--;
    return s.slice(0, end);
  }),
  transform("reverse", [], "The characters of s in reverse order.", (s) => Array.from(s).reverse().join("")),
  {
    name: "blank?",
    ns: "clojure.string",
    reference: "strings",
    aliases: ["blank?"],
    arity: [1, 1],
    signature: "(s :string?) -> :bool",
    cost: "linear",
    alloc: "constant",
    doc: "True when s is nil, empty or only whitespace.",
    impl: (_context, args) => {
      const s = args[0] as Value;
      return s === null || text("blank?", s).trim() === "";
    },
  },
  listed(
    "strings",
    predicate2("starts-with?", "True when s begins with substr.", (s, sub) => s.startsWith(sub)),
  ),
  listed(
    "strings",
    predicate2("ends-with?", "True when s ends with substr.", (s, sub) => s.endsWith(sub)),
  ),
  listed(
    "strings",
    predicate2("includes?", "True when s contains substr.", (s, sub) => s.includes(sub)),
  ),
  {
    name: "index-of",
    ns: "clojure.string",
    aliases: ["index-of"],
    arity: [2, 3],
    signature: "(s :string, value :string, from :int?) -> :int?",
    cost: "linear",
    alloc: "constant",
    doc: "Index of the first occurrence of value in s (from index `from`), or nil.",
    impl: (_context, args) => {
      const s = text("index-of", args[0] as Value);
      const value = text("index-of", args[1] as Value);
      const from = args.length > 2 ? Math.max(int("index-of", args[2] as Value), 0) : 0;
      const index = s.indexOf(value, from);
      return index < 0 ? null : index;
    },
  },
  {
    name: "last-index-of",
    ns: "clojure.string",
    aliases: ["last-index-of"],
    arity: [2, 3],
    signature: "(s :string, value :string, from :int?) -> :int?",
    cost: "linear",
    alloc: "constant",
    doc: "Index of the last occurrence of value in s (at or before index `from`), or nil.",
    impl: (_context, args) => {
      const s = text("last-index-of", args[0] as Value);
      const value = text("last-index-of", args[1] as Value);
      const from = args.length > 2 ? int("last-index-of", args[2] as Value) : s.length;
      if (from < 0) return null;
      const index = s.lastIndexOf(value, from);
      return index < 0 ? null : index;
    },
  },
  {
    name: "escape",
    ns: "clojure.string",
    arity: [2, 2],
    signature: "(s :string, cmap :any) -> :string",
    cost: "linear",
    doc: "s with each character c replaced by (cmap c) when that is not nil.",
    impl: (context, args) => {
      const s = text("escape", args[0] as Value);
      const cmap = args[1] as Value;
      if (!isCallable(cmap)) wrongType("escape", "a map or function", cmap);
      const out = new TextBuilder(context);
      for (let i = 0; i < s.length; i++) {
        const c = s.charAt(i);
        const replacement = context.call1(cmap, c);
        out.add(replacement === null ? c : strValue(replacement));
      }
      return out.text;
    },
  },
  {
    name: "re-quote-replacement",
    ns: "clojure.string",
    arity: [1, 1],
    signature: "(s :string) -> :string",
    cost: "linear",
    doc: "s with $ and \\ escaped, for use as a literal regex replacement.",
    impl: (_context, args) => text("re-quote-replacement", args[0] as Value).replace(/[$\\]/g, "\\$&"),
  },
  {
    name: "char",
    arity: [1, 1],
    signature: "(code :int) -> :string",
    doc: "The character (a one-character string) with the given UTF-16 code.",
    impl: (_context, args) => {
      const code = args[0] as Value;
      if (typeof code === "string" && code.length === 1) return code;
      if (typeof code !== "number" || !Number.isInteger(code) || code < 0 || code > 0xffff) {
        return wrongType("char", "an integer character code from 0 to 65535", code);
      }
      return String.fromCharCode(code);
    },
  },
];
