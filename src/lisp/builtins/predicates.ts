import {
  Atom,
  ExInfo,
  Fn,
  Keyword,
  keySlot,
  LazySeq,
  LMap,
  MapEntry,
  PList,
  PSet,
  PVector,
  Regex,
  Sym,
  type Value,
  Var,
} from "../values/value.js";
import { isCallable, isSeqable, listed } from "./support.js";
import type { BuiltinFamily, BuiltinSpec } from "./types.js";

function predicate(name: string, doc: string, test: (value: Value) => boolean): BuiltinSpec {
  return {
    name,
    arity: [1, 1],
    signature: "(x :any) -> :bool",
    doc,
    impl: (_context, args) => test(args[0] as Value),
  };
}

const isNumber = (value: Value): value is number => typeof value === "number";
const isInteger = (value: Value): boolean => typeof value === "number" && Number.isInteger(value);
const isColl = (value: Value): boolean =>
  value instanceof PVector ||
  value instanceof PList ||
  value instanceof LMap ||
  value instanceof PSet ||
  value instanceof LazySeq;

/**
 * What `type` answers: a keyword naming the kind of value. There are no host classes to name,
 * and keywords compare with `=` and match in `case` as they are written.
 */
function typeOf(value: Value): Keyword | null {
  if (value === null) return null;
  switch (typeof value) {
    case "boolean":
      return Keyword.of("boolean");
    case "number":
      return Keyword.of("number");
    case "string":
      return Keyword.of("string");
  }
  if (value instanceof Keyword) return Keyword.of("keyword");
  if (value instanceof Sym) return Keyword.of("symbol");
  if (value instanceof MapEntry) return Keyword.of("map-entry");
  if (value instanceof PVector) return Keyword.of("vector");
  if (value instanceof PList && value.isList) return Keyword.of("list");
  if (value instanceof PList || value instanceof LazySeq) return Keyword.of("seq");
  if (value instanceof LMap) return Keyword.of("map");
  if (value instanceof PSet) return Keyword.of("set");
  if (value instanceof Fn) return Keyword.of("fn");
  if (value instanceof Atom) return Keyword.of("atom");
  if (value instanceof Regex) return Keyword.of("regex");
  if (value instanceof Var) return Keyword.of("var");
  if (value instanceof ExInfo) return Keyword.of("exception");
  return null;
}

// Numbers are doubles, as in ClojureScript: `float?` and `double?` hold for every number,
// `int?` and `integer?` for integer-valued finite ones.
export const PREDICATE_BUILTINS: BuiltinFamily = [
  listed("predicates", { ...predicate("nil?", "True when x is nil.", (x) => x === null), truth: "nil" }),
  listed("predicates", { ...predicate("some?", "True when x is not nil.", (x) => x !== null), truth: "not-nil" }),
  predicate("true?", "True when x is the value true.", (x) => x === true),
  predicate("false?", "True when x is the value false.", (x) => x === false),
  predicate("boolean?", "True when x is true or false.", (x) => typeof x === "boolean"),
  listed("predicates", predicate("number?", "True when x is a number (##NaN and ##Inf included).", isNumber)),
  predicate("integer?", "True when x is an integer-valued number (2.0 included).", isInteger),
  predicate("int?", "True when x is an integer-valued number.", isInteger),
  predicate("nat-int?", "True when x is an integer >= 0.", (x) => isInteger(x) && (x as number) >= 0),
  predicate("pos-int?", "True when x is an integer > 0.", (x) => isInteger(x) && (x as number) > 0),
  predicate("neg-int?", "True when x is an integer < 0.", (x) => isInteger(x) && (x as number) < 0),
  predicate("float?", "True when x is a number (all numbers are doubles).", isNumber),
  predicate("double?", "True when x is a number (all numbers are doubles).", isNumber),
  predicate("NaN?", "True when x is ##NaN.", (x) => isNumber(x) && Number.isNaN(x)),
  predicate("infinite?", "True when x is ##Inf or ##-Inf.", (x) => x === Infinity || x === -Infinity),
  listed(
    "predicates",
    predicate(
      "string?",
      "True when x is a string (characters are one-character strings).",
      (x) => typeof x === "string",
    ),
  ),
  predicate(
    "char?",
    "True when x is a character (a one-character string).",
    (x) => typeof x === "string" && x.length === 1,
  ),
  listed(
    "predicates",
    predicate("keyword?", "True when x is a keyword.", (x) => x instanceof Keyword),
  ),
  predicate(
    "simple-keyword?",
    "True when x is a keyword without namespace.",
    (x) => x instanceof Keyword && x.ns === null,
  ),
  predicate(
    "qualified-keyword?",
    "True when x is a keyword with a namespace.",
    (x) => x instanceof Keyword && x.ns !== null,
  ),
  predicate("symbol?", "True when x is a symbol.", (x) => x instanceof Sym),
  predicate("simple-symbol?", "True when x is a symbol without namespace.", (x) => x instanceof Sym && x.ns === null),
  predicate("qualified-symbol?", "True when x is a symbol with a namespace.", (x) => x instanceof Sym && x.ns !== null),
  predicate("ident?", "True when x is a keyword or a symbol.", (x) => x instanceof Keyword || x instanceof Sym),
  listed(
    "predicates",
    predicate("fn?", "True when x is a function (not a keyword, map or set).", (x) => x instanceof Fn),
  ),
  predicate("ifn?", "True when x can be called: functions, keywords, symbols, maps, sets, vectors.", isCallable),
  listed(
    "predicates",
    predicate("map?", "True when x is a map.", (x) => x instanceof LMap),
  ),
  listed(
    "predicates",
    predicate("vector?", "True when x is a vector (map entries included).", (x) => x instanceof PVector),
  ),
  predicate("map-entry?", "True when x is a map entry.", (x) => x instanceof MapEntry),
  predicate("list?", "True when x is a list (from list or quote; not a seq).", (x) => x instanceof PList && x.isList),
  predicate("set?", "True when x is a set.", (x) => x instanceof PSet),
  predicate("seq?", "True when x is a list or a seq.", (x) => x instanceof PList || x instanceof LazySeq),
  listed("predicates", predicate("coll?", "True when x is a collection (vector, list, seq, map, set).", isColl)),
  predicate(
    "sequential?",
    "True when x is a vector, list or seq.",
    (x) => x instanceof PVector || x instanceof PList || x instanceof LazySeq,
  ),
  predicate("associative?", "True when x is a map or a vector.", (x) => x instanceof LMap || x instanceof PVector),
  predicate("counted?", "True when x knows its count without walking it.", (x) => isColl(x) && !(x instanceof LazySeq)),
  predicate("seqable?", "True when seq works on x: nil, strings and collections.", isSeqable),
  predicate("regex?", "True when x is a regular expression.", (x) => x instanceof Regex),
  predicate("var?", "True when x is a var (what def returns).", (x) => x instanceof Var),
  predicate("atom?", "True when x is an atom.", (x) => x instanceof Atom),
  predicate("any?", "Always true.", () => true),
  {
    name: "distinct?",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(x :any, & more :any) -> :bool",
    cost: (args) => 1 + args.length,
    doc: "True when no two arguments are equal.",
    impl: (_context, args) => {
      // One slot per class of equal values (structural hash and `=`).
      const seen = new Set<unknown>();
      for (const arg of args) {
        const slot = keySlot(arg);
        if (seen.has(slot)) return false;
        seen.add(slot);
      }
      return true;
    },
  },
  listed("predicates", {
    ...predicate("not", "True when x is nil or false.", (x) => x === null || x === false),
    truth: "falsy",
  }),
  {
    name: "identical?",
    arity: [2, 2],
    signature: "(x :any, y :any) -> :bool",
    doc: "True when x and y are the same object (numbers, strings, keywords by value).",
    impl: (_context, args) => args[0] === args[1],
  },
  listed("predicates", {
    name: "type",
    arity: [1, 1],
    signature: "(x :any) -> :keyword?",
    doc: "The kind of x as a keyword (no host classes): :number :string :boolean :keyword :symbol :vector :list :seq :map :set :map-entry :fn :atom :regex :var :exception; nil for nil. Sorted maps and sets are :map and :set.",
    impl: (_context, [x]) => typeOf(x as Value),
  }),
];
