import { type Matcher, RE2JS, RE2JSException } from "re2js";
import { makeError } from "../../errors/errors.js";
import { chargeWork } from "../values/meter.js";
import { PVector, Regex, type Value } from "../values/value.js";
import { seqResult, wrongType } from "./support.js";
import type { BuiltinFamily } from "./types.js";

// Every regex runs on re2js (linear time). Programs write Java/JavaScript-style patterns;
// `translatePattern` rewrites the few constructs RE2 spells differently and rejects, by name,
// the ones a linear-time engine cannot run (backreferences, lookaround, atomic groups,
// possessive quantifiers).

/** Longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 10_000;

/**
 * Largest compiled program accepted, in instructions. Compiling costs time in proportion to
 * it (measured: about 4 µs an instruction), and so does matching, per character of the text:
 * `a{1000}` repeated a hundred times is a short pattern but a 100,000-instruction program.
 */
export const MAX_PROGRAM_SIZE = 50_000;

/** Fuel per character of text matched: the engine's cost per character, plus its program size (see regexCost). */
const FUEL_PER_CHAR = 16;

/** Fuel per instruction compiled. */
const FUEL_PER_INSTRUCTION = 100;

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

/**
 * An upper estimate of the program a pattern compiles to, from its text alone, so that a
 * pattern too costly to compile is refused before compiling: each atom (character, class,
 * escape, group) counts its size, and a `{n}`/`{n,m}` repetition multiplies the atom before it.
 */
export function estimateProgramSize(source: string): number {
  // Sizes of the open groups; the last entry is the innermost. `atom` is the last atom's size.
  const groups: number[] = [0];
  let atom = 0;
  const add = (size: number): void => {
    groups[groups.length - 1] = (groups[groups.length - 1] as number) + size;
    atom = size;
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === "\\") {
      const next = source[i + 1];
      if ((next === "p" || next === "P") && source[i + 2] === "{") {
        const close = source.indexOf("}", i + 3);
        i = close < 0 ? source.length : close;
      } else if (next === "x" && source[i + 2] === "{") {
        const close = source.indexOf("}", i + 3);
        i = close < 0 ? source.length : close;
      } else i++;
      add(1);
    } else if (c === "[") {
      let j = i + 1;
      if (source[j] === "^") j++;
      if (source[j] === "]") j++;
      while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
      i = j;
      add(1);
    } else if (c === "(") {
      groups.push(1);
    } else if (c === ")") {
      const size = groups.length > 1 ? (groups.pop() as number) : 0;
      add(size + 1);
    } else if (c === "{") {
      const match = /^\{(\d+)(?:,(\d*))?\}/.exec(source.slice(i, i + 24));
      if (match === null) {
        add(1);
        continue;
      }
      const low = Number(match[1]);
      const high = match[2] === undefined ? low : match[2] === "" ? low + 1 : Number(match[2]);
      const times = Math.max(low, high, 1);
      // The atom is already counted once.
      groups[groups.length - 1] = (groups[groups.length - 1] as number) + atom * (times - 1) + 1;
      atom *= times;
      i += match[0].length - 1;
    } else {
      add(1);
    }
  }
  let total = 0;
  for (const size of groups) total += size;
  return total;
}

const CACHE_LIMIT = 512;
/** Instructions the cache may hold in all (measured: about 70 bytes each), so that it stays under ~15 MB. */
const CACHE_INSTRUCTIONS = 200_000;
const cache = new Map<string, Regex>();
let cachedInstructions = 0;

function remember(source: string, regex: Regex): void {
  const size = engineOf(regex).programSize();
  if (size > CACHE_INSTRUCTIONS / 4) return;
  while (cache.size >= CACHE_LIMIT || cachedInstructions + size > CACHE_INSTRUCTIONS) {
    const [oldest, evicted] = cache.entries().next().value as [string, Regex];
    cache.delete(oldest);
    cachedInstructions -= engineOf(evicted).programSize();
  }
  cache.set(source, regex);
  cachedInstructions += size;
}

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
  const estimate = estimateProgramSize(source);
  if (estimate > MAX_PROGRAM_SIZE) tooComplex(source, estimate);
  // Compiling is charged (to the run, if one is active) before it is done.
  chargeWork(FUEL_PER_INSTRUCTION * estimate);
  const translated = translatePattern(source);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(translated);
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    const reason = error.message.replace(/^error parsing regexp: /, "");
    throw makeError("invalid_regex", { pattern: quotePattern(source), reason });
  }
  if (compiled.programSize() > MAX_PROGRAM_SIZE) tooComplex(source, compiled.programSize());
  const regex = new Regex(source, compiled);
  remember(source, regex);
  return regex;
}

function tooComplex(source: string, size: number): never {
  throw makeError("regex_too_complex", { pattern: quotePattern(source), size, max: MAX_PROGRAM_SIZE });
}

/**
 * Fuel for matching `regex` over `text`: the engine simulates its program over the text
 * (linear, but the constant is the program size), measured at 0.2 to 4 µs a character for
 * small patterns, so each character costs FUEL_PER_CHAR plus the program size. Charged before
 * the match, which the engine cannot interrupt.
 */
export function regexCost(regex: Value | undefined, text: Value | undefined): number {
  if (!(regex instanceof Regex) || typeof text !== "string") return 1;
  return 1 + text.length * (FUEL_PER_CHAR + engineOf(regex).programSize());
}

/** The cost rule of a builtin matching the regex argument `regexAt` against the string `textAt`. */
export function matchCost(regexAt: number, textAt: number): (args: readonly Value[]) => number {
  return (args) => regexCost(args[regexAt], args[textAt]);
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
    types: "signature",
    reference: "strings",
    arity: [2, 2],
    signature: "(re :regex, s :string) -> :any",
    cost: matchCost(0, 1),
    alloc: "constant",
    doc: "The first match of re in s: a string, or [match group1 ...] when re has groups; nil when none.",
    impl: (_context, args) => {
      const matcher = expectRegex("re-find", args[0] as Value).matcher(expectText("re-find", args[1] as Value));
      return matcher.find() ? matchValue(matcher) : null;
    },
  },
  {
    name: "re-matches",
    types: "signature",
    arity: [2, 2],
    signature: "(re :regex, s :string) -> :any",
    cost: matchCost(0, 1),
    alloc: "constant",
    doc: "Like re-find, but re must match the whole string s; nil otherwise.",
    impl: (_context, args) => {
      const matcher = expectRegex("re-matches", args[0] as Value).matcher(expectText("re-matches", args[1] as Value));
      return matcher.matches() ? matchValue(matcher) : null;
    },
  },
  {
    name: "re-seq",
    types: "signature",
    size: "unknown",
    reference: "strings",
    arity: [2, 2],
    signature: "(re :regex, s :string) -> [:any]",
    cost: matchCost(0, 1),
    alloc: "linear",
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
    types: "signature",
    size: "unknown",
    arity: [2, 2],
    signature: "(re :regex, s :string) -> [:string]",
    cost: matchCost(0, 1),
    alloc: "linear",
    doc: "Splits s around matches of re, keeping empty strings (including trailing ones).",
    impl: (_context, args) => {
      const engine = expectRegex("re-split", args[0] as Value);
      return PVector.from(engine.split(expectText("re-split", args[1] as Value), -1));
    },
  },
];
