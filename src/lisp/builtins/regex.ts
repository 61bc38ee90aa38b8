import { type Matcher, RE2JS, RE2JSException } from "re2js";
import { makeError } from "../../errors/errors.js";
import { PVector, Regex, type Value } from "../values/value.js";
import { seqResult, wrongType } from "./support.js";
import type { BuiltinFamily } from "./types.js";

// Every regex runs on re2js (linear time). Programs write Java/JavaScript-style patterns;
// `translatePattern` rewrites the few constructs RE2 spells differently and rejects, by name,
// the ones a linear-time engine cannot run (backreferences, lookaround, atomic groups,
// possessive quantifiers).

/** Longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 10_000;

const POSIX_CLASSES: ReadonlyMap<string, string> = new Map([
  ["Lower", "lower"],
  ["Upper", "upper"],
  ["ASCII", "ascii"],
  ["Alpha", "alpha"],
  ["Digit", "digit"],
  ["Alnum", "alnum"],
  ["Punct", "punct"],
  ["Graph", "graph"],
  ["Print", "print"],
  ["Blank", "blank"],
  ["Cntrl", "cntrl"],
  ["XDigit", "xdigit"],
  ["Space", "space"],
]);

const JAVA_PROPERTIES: ReadonlyMap<string, string> = new Map([
  ["IsAlphabetic", "L"],
  ["IsLetter", "L"],
  ["IsDigit", "Nd"],
  ["IsUppercase", "Lu"],
  ["IsLowercase", "Ll"],
  ["javaLowerCase", "Ll"],
  ["javaUpperCase", "Lu"],
  ["javaLetter", "L"],
  ["javaDigit", "Nd"],
]);

const LINE_BREAK = "(?:\\r\\n|[\\n\\x0B\\f\\r\\x{85}\\x{2028}\\x{2029}])";
const HORIZONTAL_SPACE = "\\t \\xA0\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}";

function unsupported(source: string, feature: string): never {
  throw makeError("unsupported_regex_feature", { pattern: quotePattern(source), feature });
}

function quotePattern(source: string): string {
  return `#"${source.length > 60 ? `${source.slice(0, 57)}...` : source}"`;
}

/** Rewrites a Java/JavaScript-style pattern into RE2 syntax; throws on unsupported features. */
export function translatePattern(source: string): string {
  let out = "";
  let inClass = false;
  const n = source.length;
  for (let i = 0; i < n; i++) {
    const c = source[i] as string;
    if (c === "\\") {
      const next = source[i + 1];
      if (next === undefined) {
        out += c;
        continue;
      }
      if (!inClass && next >= "1" && next <= "9") unsupported(source, "backreferences (\\1)");
      if (next === "k" && source[i + 2] === "<") unsupported(source, "named backreferences (\\k<name>)");
      if (next === "u" && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
        out += `\\x{${source.slice(i + 2, i + 6)}}`;
        i += 5;
        continue;
      }
      if ((next === "p" || next === "P") && source[i + 2] === "{") {
        const close = source.indexOf("}", i + 3);
        const name = close < 0 ? "" : source.slice(i + 3, close);
        const posix = POSIX_CLASSES.get(name);
        if (posix !== undefined) {
          const cls = next === "p" ? `[:${posix}:]` : `[:^${posix}:]`;
          out += inClass ? cls : `[${cls}]`;
          i = close;
          continue;
        }
        const property = JAVA_PROPERTIES.get(name);
        if (property !== undefined) {
          out += `\\${next}{${property}}`;
          i = close;
          continue;
        }
      }
      if (next === "Z" && !inClass) {
        out += "\\z";
        i++;
        continue;
      }
      if (next === "R" && !inClass) {
        out += LINE_BREAK;
        i++;
        continue;
      }
      if (next === "h") {
        out += inClass ? HORIZONTAL_SPACE : `[${HORIZONTAL_SPACE}]`;
        i++;
        continue;
      }
      out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "[" && source[i + 1] === ":") {
        const close = source.indexOf(":]", i + 2);
        if (close > 0) {
          out += source.slice(i, close + 2);
          i = close + 1;
          continue;
        }
      }
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (source[i + 1] === "^") out += source[++i];
      // A `]` first in a class is a literal (Java, RE2).
      if (source[i + 1] === "]") out += source[++i];
      continue;
    }
    if (c === "(" && source[i + 1] === "?") {
      const a = source[i + 2];
      const b = source[i + 3];
      if (a === "=" || a === "!") unsupported(source, `lookahead (?${a}...)`);
      if (a === "<" && (b === "=" || b === "!")) unsupported(source, `lookbehind (?<${b}...)`);
      if (a === ">") unsupported(source, "atomic groups (?>...)");
    }
    if ((c === "*" || c === "+" || c === "?" || c === "}") && source[i + 1] === "+") {
      unsupported(source, `possessive quantifiers (${c}+)`);
    }
    out += c;
  }
  return out;
}

const CACHE_LIMIT = 512;
const cache = new Map<string, Regex>();

/**
 * Compiles a pattern (the text of a `#"..."` literal or of `re-pattern`'s argument) to a Regex.
 * Throws EvalError: `unsupported_regex_feature`, `invalid_regex`, `regex_too_long`.
 * Compiled patterns are cached by source; Regex values are immutable, so sharing is safe.
 */
export function compileRegex(source: string): Regex {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  if (source.length > MAX_PATTERN_LENGTH) {
    throw makeError("regex_too_long", { length: source.length, max: MAX_PATTERN_LENGTH });
  }
  const translated = translatePattern(source);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(translated);
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    const reason = error.message.replace(/^error parsing regexp: /, "");
    throw makeError("invalid_regex", { pattern: quotePattern(source), reason });
  }
  const regex = new Regex(source, compiled);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, regex);
  return regex;
}

export function engineOf(regex: Regex): RE2JS {
  return regex.compiled as RE2JS;
}

export function expectRegex(fn: string, value: Value): RE2JS {
  if (!(value instanceof Regex)) wrongType(fn, "a regex", value);
  return engineOf(value);
}

function expectText(fn: string, value: Value): string {
  if (typeof value !== "string") wrongType(fn, "a string", value);
  return value;
}

/** The current match as Clojure returns it: the string, or [whole g1 g2 ...] with nil for unmatched groups. */
export function matchValue(matcher: Matcher): Value {
  const groups = matcher.groupCount();
  if (groups === 0) return matcher.group(0);
  const items: Value[] = new Array(groups + 1);
  for (let g = 0; g <= groups; g++) items[g] = matcher.group(g);
  return PVector.from(items);
}

export const REGEX_BUILTINS: BuiltinFamily = [
  {
    name: "re-pattern",
    arity: [1, 1],
    signature: "(s :string) -> :regex",
    cost: "linear",
    doc: "Compiles the string s to a regex (linear-time engine: no backreferences or lookaround).",
    impl: (_context, args) => {
      const source = args[0] as Value;
      if (source instanceof Regex) return source;
      return compileRegex(expectText("re-pattern", source));
    },
  },
  {
    name: "re-find",
    arity: [2, 2],
    signature: "(re :regex, s :string) -> :any",
    cost: "linear",
    alloc: "constant",
    doc: "The first match of re in s: a string, or [match group1 ...] when re has groups; nil when none.",
    impl: (_context, args) => {
      const matcher = expectRegex("re-find", args[0] as Value).matcher(expectText("re-find", args[1] as Value));
      return matcher.find() ? matchValue(matcher) : null;
    },
  },
  {
    name: "re-matches",
    arity: [2, 2],
    signature: "(re :regex, s :string) -> :any",
    cost: "linear",
    alloc: "constant",
    doc: "Like re-find, but re must match the whole string s; nil otherwise.",
    impl: (_context, args) => {
      const matcher = expectRegex("re-matches", args[0] as Value).matcher(expectText("re-matches", args[1] as Value));
      return matcher.matches() ? matchValue(matcher) : null;
    },
  },
  {
    name: "re-seq",
    arity: [2, 2],
    signature: "(re :regex, s :string) -> [:any]",
    cost: "linear",
    doc: "All successive matches of re in s (each as re-find returns it); nil when none.",
    impl: (_context, args) => {
      const matcher = expectRegex("re-seq", args[0] as Value).matcher(expectText("re-seq", args[1] as Value));
      const out: Value[] = [];
      while (matcher.find()) out.push(matchValue(matcher));
      return out.length === 0 ? null : seqResult(out);
    },
  },
  {
    name: "re-split",
    arity: [2, 2],
    signature: "(re :regex, s :string) -> [:string]",
    cost: "linear",
    doc: "Splits s around matches of re, keeping empty strings (including trailing ones).",
    impl: (_context, args) => {
      const engine = expectRegex("re-split", args[0] as Value);
      return PVector.from(engine.split(expectText("re-split", args[1] as Value), -1));
    },
  },
];
