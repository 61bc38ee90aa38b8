import { makeError } from "../../errors/errors.js";
import { compareValues, equals } from "../values/equality.js";
import type { Value } from "../values/value.js";
import { INTEGRAL } from "./facts.js";
import { describeValue, invalidArgument, listed, quoteClipped, wrongType } from "./support.js";
import type { BuiltinFamily, BuiltinSpec } from "./types.js";

// Numbers are doubles (ClojureScript). Integer-only operations accept integer-valued doubles.
// The arithmetic and comparison operators are on the hot path: each checks the two-number case
// first and allocates nothing there.

function num(fn: string, value: Value): number {
  if (typeof value !== "number") wrongType(fn, "a number", value);
  return value;
}

function integer(fn: string, value: Value): number {
  if (typeof value !== "number" || !Number.isInteger(value)) wrongType(fn, "an integer", value);
  return value;
}

/** `(+ x)` and `(* x)` are Clojure's `(cast Number x)`: a number or nil passes through. */
function castNumber(fn: string, value: Value): Value {
  return value === null ? null : num(fn, value);
}

function add(args: Value[]): Value {
  if (args.length === 1) return castNumber("+", args[0] as Value);
  let sum = 0;
  for (const arg of args) sum += num("+", arg);
  return sum;
}

function multiply(args: Value[]): Value {
  if (args.length === 1) return castNumber("*", args[0] as Value);
  let product = 1;
  for (const arg of args) product *= num("*", arg);
  return product;
}

function subtract(args: Value[]): Value {
  let result = num("-", args[0] as Value);
  if (args.length === 1) return -result;
  for (let i = 1; i < args.length; i++) result -= num("-", args[i] as Value);
  return result;
}

function divide(args: Value[]): Value {
  let result = num("/", args[0] as Value);
  if (args.length === 1) return 1 / result;
  for (let i = 1; i < args.length; i++) result /= num("/", args[i] as Value);
  return result;
}

/**
 * Ordering of two values for `<`, `>`, `<=`, `>=`, `max`, `min`: numbers with numbers (NaN
 * compares false), strings with strings (as ClojureScript and PtcRunner both allow); anything
 * else is a `type_error`. Returns a number whose sign is the order, or NaN when unordered.
 */
function order(a: Value, b: Value): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.NaN;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  throw makeError("not_comparable", { left: describeValue(a), right: describeValue(b) });
}

/** `<` and friends past the two-number case: short-circuits on the first pair out of order, as Clojure. */
function chain(args: Value[], test: (sign: number) => boolean): boolean {
  // One argument is true whatever it is, as in Clojure.
  for (let i = 1; i < args.length; i++) {
    if (!test(order(args[i - 1] as Value, args[i] as Value))) return false;
  }
  return true;
}

const lessThan = (sign: number) => sign < 0;
const greaterThan = (sign: number) => sign > 0;
const atMost = (sign: number) => sign <= 0;
const atLeast = (sign: number) => sign >= 0;

function comparator(name: string, impl: BuiltinSpec["impl"]): BuiltinSpec {
  return {
    name,
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(x :any, & more :any) -> :bool",
    doc: `True when each argument is ${name} the next (numbers, or strings compared lexicographically).`,
    impl,
  };
}

function extremum(name: string, pickLeft: (sign: number) => boolean, what: string): BuiltinSpec {
  return {
    name,
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(x :number, & more :number) -> :number",
    doc: `The ${what} of the arguments (numbers, or strings).`,
    impl: (_context, args) => {
      // One argument is returned unchecked, as in Clojure.
      let best = args[0] as Value;
      for (let i = 1; i < args.length; i++) {
        const next = args[i] as Value;
        // ClojureScript's (if (> x y) x y): NaN on the right wins, on the left loses.
        if (!pickLeft(order(best, next))) best = next;
      }
      return best;
    },
  };
}

function quot(n: number, d: number): number {
  return Math.trunc(n / d);
}

function mod(n: number, d: number): number {
  const r = n % d;
  return r !== 0 && r < 0 !== d < 0 ? r + d : r;
}

/**
 * `int`/`long`: truncation; NaN is 0 (as Clojure); infinities cannot be converted. Strings are
 * refused even when one character long: characters are strings here, and `(int "5")` giving 53
 * would hide a mistake (ClojureScript has no character codes through `int` either).
 */
function toInteger(fn: string, value: Value): number {
  const n = num(fn, value);
  if (Number.isNaN(n)) return 0;
  if (!Number.isFinite(n))
    throw makeError("arithmetic", { fn, reason: `${describeValue(value)} cannot be converted to an integer` });
  return Math.trunc(n) || 0;
}

/** Half away from zero, as PTC-Lisp's `round`. */
function roundHalfAway(n: number): number {
  return n < 0 ? -Math.round(-n) : Math.round(n);
}

function unary(name: string, doc: string, fn: (n: number) => Value, ns?: string): BuiltinSpec {
  const qualified = ns ? `${ns}/${name}` : name;
  return {
    name,
    ...(ns ? { ns } : {}),
    arity: [1, 1],
    signature: "(x :number) -> :number",
    doc,
    impl: (_context, args) => fn(num(qualified, args[0] as Value)),
  };
}

function binary(name: string, doc: string, fn: (a: number, b: number) => Value, ns?: string): BuiltinSpec {
  const qualified = ns ? `${ns}/${name}` : name;
  return {
    name,
    ...(ns ? { ns } : {}),
    arity: [2, 2],
    signature: "(x :number, y :number) -> :number",
    doc,
    impl: (_context, args) => fn(num(qualified, args[0] as Value), num(qualified, args[1] as Value)),
  };
}

/** `zero?`, `pos?`, `neg?`: false for non-numbers (PtcRunner and ClojureScript agree). */
function signTest(name: string, doc: string, test: (n: number) => boolean): BuiltinSpec {
  return {
    name,
    arity: [1, 1],
    signature: "(x :number) -> :bool",
    doc,
    impl: (_context, args) => {
      const x = args[0];
      return typeof x === "number" && test(x);
    },
  };
}

function parityTest(name: string, doc: string, remainder: 0 | 1): BuiltinSpec {
  return {
    name,
    arity: [1, 1],
    signature: "(n :int) -> :bool",
    doc,
    impl: (_context, args) => Math.abs(integer(name, args[0] as Value) % 2) === remainder,
  };
}

function parseString(fn: string, value: Value): string {
  if (typeof value !== "string") wrongType(fn, "a string", value);
  return value;
}

const LONG_PATTERN = /^[+-]?\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAN_PATTERN = /^[\x00-\x20]*[+-]?NaN[\x00-\x20]*$/;
// `\d+(?:\.\d*)?` rather than `\d+\.?\d*`: the latter splits a run of digits every possible
// way before failing on what follows (quadratic backtracking on a long number).
const DOUBLE_PATTERN = /^[\x00-\x20]*[+-]?(?:Infinity|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[dDfF]?)[\x00-\x20]*$/;

/** 32-bit bitwise operations, as ClojureScript. */
function bitwise(name: string, doc: string, fn: (a: number, b: number) => number): BuiltinSpec {
  return {
    name,
    arity: [2, 2],
    signature: "(x :int, y :int) -> :int",
    doc,
    impl: (_context, args) => fn(integer(name, args[0] as Value), integer(name, args[1] as Value)),
  };
}

const MATH_NS: readonly [string, string, (n: number) => number][] = [
  ["abs", "Absolute value.", Math.abs],
  ["sqrt", "Square root (NaN for negative numbers).", Math.sqrt],
  ["cbrt", "Cube root.", Math.cbrt],
  ["floor", "Largest integer not greater than x.", Math.floor],
  ["ceil", "Smallest integer not less than x.", Math.ceil],
  ["round", "Nearest integer, halves rounded up (Java Math/round).", (n) => Math.floor(n + 0.5)],
  [
    "rint",
    "Nearest integer, halves to even.",
    (n) => {
      const r = Math.round(n);
      return Math.abs(n % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    },
  ],
  ["trunc", "x without its fractional part.", Math.trunc],
  ["signum", "-1, 0 or 1 by the sign of x.", Math.sign],
  ["sign", "-1, 0 or 1 by the sign of x.", Math.sign],
  ["exp", "e to the power x.", Math.exp],
  ["expm1", "e^x - 1.", Math.expm1],
  ["log", "Natural logarithm.", Math.log],
  ["log10", "Base-10 logarithm.", Math.log10],
  ["log2", "Base-2 logarithm.", Math.log2],
  ["log1p", "ln(1 + x).", Math.log1p],
  ["sin", "Sine (radians).", Math.sin],
  ["cos", "Cosine (radians).", Math.cos],
  ["tan", "Tangent (radians).", Math.tan],
  ["asin", "Arc sine.", Math.asin],
  ["acos", "Arc cosine.", Math.acos],
  ["atan", "Arc tangent.", Math.atan],
  ["sinh", "Hyperbolic sine.", Math.sinh],
  ["cosh", "Hyperbolic cosine.", Math.cosh],
  ["tanh", "Hyperbolic tangent.", Math.tanh],
  ["toRadians", "Degrees to radians.", (n) => (n * Math.PI) / 180],
  ["toDegrees", "Radians to degrees.", (n) => (n * 180) / Math.PI],
];

const MATH_NS_BINARY: readonly [string, string, (a: number, b: number) => number][] = [
  ["pow", "x raised to the power y.", Math.pow],
  ["atan2", "Angle of the point (x, y) for arguments (y, x).", Math.atan2],
  ["hypot", "sqrt(x² + y²).", Math.hypot],
  ["min", "The smaller of two numbers.", Math.min],
  ["max", "The larger of two numbers.", Math.max],
  ["floorDiv", "Integer division rounded toward negative infinity.", (a, b) => Math.floor(a / b)],
  ["floorMod", "Modulus with the sign of the divisor.", mod],
];

export const MATH_BUILTINS: BuiltinFamily = [
  {
    name: "+",
    inline: "add",
    types: INTEGRAL,
    reference: "math",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& xs :number) -> :number",
    doc: "Sum of the numbers; (+) is 0.",
    impl: (_context, args) => {
      if (args.length === 2) {
        const a = args[0];
        const b = args[1];
        if (typeof a === "number" && typeof b === "number") return a + b;
      }
      return add(args);
    },
  },
  {
    name: "-",
    inline: "subtract",
    types: INTEGRAL,
    reference: "math",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(x :number, & more :number) -> :number",
    doc: "Subtracts the rest from the first number; (- x) negates.",
    impl: (_context, args) => {
      if (args.length === 2) {
        const a = args[0];
        const b = args[1];
        if (typeof a === "number" && typeof b === "number") return a - b;
      }
      return subtract(args);
    },
  },
  {
    name: "*",
    inline: "multiply",
    types: INTEGRAL,
    reference: "math",
    arity: [0, Number.POSITIVE_INFINITY],
    signature: "(& xs :number) -> :number",
    doc: "Product of the numbers; (*) is 1.",
    impl: (_context, args) => {
      if (args.length === 2) {
        const a = args[0];
        const b = args[1];
        if (typeof a === "number" && typeof b === "number") return a * b;
      }
      return multiply(args);
    },
  },
  {
    name: "/",
    reference: "math",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(x :number, & more :number) -> :number",
    doc: "Divides the first number by the rest; (/ x) is 1/x. Division by zero gives ##Inf or ##NaN.",
    impl: (_context, args) => divide(args),
  },
  {
    name: "inc",
    inline: "increment",
    types: INTEGRAL,
    reference: "math",
    arity: [1, 1],
    signature: "(x :number) -> :number",
    doc: "x + 1.",
    impl: (_context, args) => {
      const x = args[0];
      return typeof x === "number" ? x + 1 : wrongType("inc", "a number", x as Value);
    },
  },
  {
    name: "dec",
    inline: "decrement",
    types: INTEGRAL,
    reference: "math",
    arity: [1, 1],
    signature: "(x :number) -> :number",
    doc: "x - 1.",
    impl: (_context, args) => {
      const x = args[0];
      return typeof x === "number" ? x - 1 : wrongType("dec", "a number", x as Value);
    },
  },
  listed("math", { ...binary("quot", "Quotient of dividing n by d, truncated toward zero.", quot), types: INTEGRAL }),
  listed("math", {
    ...binary("rem", "Remainder of dividing n by d, with the sign of n.", (n, d) => n % d),
    types: INTEGRAL,
  }),
  listed("math", {
    ...binary("mod", "Modulus of n by d, with the sign of d; (mod n 0) is ##NaN.", mod),
    types: INTEGRAL,
  }),
  listed("math", { ...unary("abs", "Absolute value.", Math.abs), types: INTEGRAL }),
  listed("math", { ...extremum("max", (sign) => sign > 0, "greatest"), types: INTEGRAL }),
  listed("math", { ...extremum("min", (sign) => sign < 0, "least"), types: INTEGRAL }),
  {
    name: "=",
    inline: "equals",
    reference: "math",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(x :any, & more :any) -> :bool",
    doc: "True when all arguments are equal (structural equality; 1 and 1.0 are equal).",
    impl: (_context, args) => {
      if (args.length === 2) {
        const a = args[0] as Value;
        const b = args[1] as Value;
        // Numbers compare at once; everything else (long strings included) is charged by equals.
        return typeof a === "number" ? a === b : equals(a, b);
      }
      for (let i = 1; i < args.length; i++) if (!equals(args[0] as Value, args[i] as Value)) return false;
      return true;
    },
  },
  {
    name: "not=",
    reference: "math",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(x :any, & more :any) -> :bool",
    doc: "(not (= x y ...)).",
    impl: (_context, args) => {
      for (let i = 1; i < args.length; i++) if (!equals(args[0] as Value, args[i] as Value)) return true;
      return false;
    },
  },
  {
    name: "==",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(x :number, & more :number) -> :bool",
    doc: "True when all the numbers are numerically equal.",
    impl: (_context, args) => {
      if (args.length === 1) return true;
      for (let i = 1; i < args.length; i++)
        if (num("==", args[i - 1] as Value) !== num("==", args[i] as Value)) return false;
      return true;
    },
  },
  // Each operator spells out its two-number case so the hot path is one monomorphic comparison.
  listed("math", {
    ...comparator("<", (_context, args) => {
      const a = args[0];
      const b = args[1];
      return args.length === 2 && typeof a === "number" && typeof b === "number" ? a < b : chain(args, lessThan);
    }),
    ordering: "less",
    inline: "less",
  }),
  listed("math", {
    ...comparator(">", (_context, args) => {
      const a = args[0];
      const b = args[1];
      return args.length === 2 && typeof a === "number" && typeof b === "number" ? a > b : chain(args, greaterThan);
    }),
    inline: "greater",
  }),
  listed("math", {
    ...comparator("<=", (_context, args) => {
      const a = args[0];
      const b = args[1];
      return args.length === 2 && typeof a === "number" && typeof b === "number" ? a <= b : chain(args, atMost);
    }),
    ordering: "less-or-equal",
    inline: "less-or-equal",
  }),
  listed("math", {
    ...comparator(">=", (_context, args) => {
      const a = args[0];
      const b = args[1];
      return args.length === 2 && typeof a === "number" && typeof b === "number" ? a >= b : chain(args, atLeast);
    }),
    inline: "greater-or-equal",
  }),
  {
    name: "compare",
    reference: "math",
    arity: [2, 2],
    signature: "(x :any, y :any) -> :int",
    doc: "-1, 0 or 1 as x sorts before, with or after y (nil first; numbers, strings, keywords, vectors).",
    impl: (_context, args) => {
      const a = args[0] as Value;
      const b = args[1] as Value;
      const result = compareValues(a, b);
      if (result === undefined) throw makeError("not_comparable", { left: describeValue(a), right: describeValue(b) });
      return result;
    },
  },
  listed(
    "predicates",
    signTest("zero?", "True when x is zero.", (n) => n === 0),
  ),
  listed(
    "predicates",
    signTest("pos?", "True when x is greater than zero.", (n) => n > 0),
  ),
  listed(
    "predicates",
    signTest("neg?", "True when x is less than zero.", (n) => n < 0),
  ),
  listed("predicates", parityTest("even?", "True when the integer n is even.", 0)),
  listed("predicates", parityTest("odd?", "True when the integer n is odd.", 1)),
  listed("math", unary("round", "Nearest integer, halves rounded away from zero.", roundHalfAway)),
  listed("math", unary("floor", "Largest integer not greater than x.", Math.floor)),
  listed("math", unary("ceil", "Smallest integer not less than x.", Math.ceil)),
  unary("trunc", "x without its fractional part (toward zero).", Math.trunc),
  listed("math", unary("sqrt", "Square root (##NaN for negative numbers).", Math.sqrt)),
  binary("pow", "x raised to the power y.", Math.pow),
  ...MATH_NS.map(([name, doc, fn]) => unary(name, doc, fn, "Math")),
  ...MATH_NS_BINARY.map(([name, doc, fn]) => binary(name, doc, fn, "Math")),
  {
    name: "int",
    reference: "math",
    arity: [1, 1],
    signature: "(x :number) -> :int",
    doc: "x truncated toward zero; ##Inf is an arithmetic error.",
    impl: (_context, args) => toInteger("int", args[0] as Value),
  },
  {
    name: "long",
    arity: [1, 1],
    signature: "(x :number) -> :int",
    doc: "x truncated toward zero, as int.",
    impl: (_context, args) => toInteger("long", args[0] as Value),
  },
  unary("double", "x as a floating-point number (numbers are already doubles).", (n) => n),
  unary("float", "x as a floating-point number (numbers are already doubles).", (n) => n),
  unary("num", "x itself, checked to be a number.", (n) => n),
  {
    name: "parse-long",
    reference: "strings",
    arity: [1, 1],
    signature: "(s :string) -> :int?",
    cost: "linear",
    doc: 'The integer written in s ("42", "-7"), or nil when s is not one.',
    impl: (_context, args) => {
      const text = parseString("parse-long", args[0] as Value);
      if (!LONG_PATTERN.test(text)) return null;
      const value = Number.parseInt(text, 10);
      return Number.isSafeInteger(value) ? value : null;
    },
  },
  {
    name: "parse-double",
    reference: "strings",
    arity: [1, 1],
    signature: "(s :string) -> :float?",
    cost: "linear",
    doc: 'The number written in s ("3.14", "1e3", "NaN", "Infinity"), or nil when s is not one.',
    impl: (_context, args) => {
      const text = parseString("parse-double", args[0] as Value);
      if (NAN_PATTERN.test(text)) return Number.NaN;
      if (!DOUBLE_PATTERN.test(text)) return null;
      return Number.parseFloat(text.trim());
    },
  },
  {
    name: "parse-boolean",
    arity: [1, 1],
    signature: "(s :string) -> :bool?",
    cost: "linear",
    doc: 'true for "true", false for "false", otherwise nil.',
    impl: (_context, args) => {
      const text = parseString("parse-boolean", args[0] as Value);
      return text === "true" ? true : text === "false" ? false : null;
    },
  },
  {
    name: "parse-uuid",
    arity: [1, 1],
    signature: "(s :string) -> :string?",
    cost: "linear",
    doc: "s in lower case when it is a UUID (8-4-4-4-12 hex digits), else nil; a UUID is its string here, there is no UUID type.",
    impl: (_context, args) => {
      const text = parseString("parse-uuid", args[0] as Value);
      return UUID.test(text) ? text.toLowerCase() : null;
    },
  },
  bitwise("bit-and", "Bitwise and (32-bit).", (a, b) => a & b),
  bitwise("bit-or", "Bitwise or (32-bit).", (a, b) => a | b),
  bitwise("bit-xor", "Bitwise exclusive or (32-bit).", (a, b) => a ^ b),
  bitwise("bit-and-not", "Bitwise and with the complement of y (32-bit).", (a, b) => a & ~b),
  bitwise("bit-shift-left", "x shifted left by n bits (32-bit).", (a, b) => a << b),
  bitwise("bit-shift-right", "x shifted right by n bits, keeping the sign (32-bit).", (a, b) => a >> b),
  bitwise("unsigned-bit-shift-right", "x shifted right by n bits, filling with zeros (32-bit).", (a, b) => a >>> b),
  {
    name: "bit-test",
    arity: [2, 2],
    signature: "(x :int, n :int) -> :bool",
    doc: "True when bit n of x is set.",
    impl: (_context, args) =>
      ((integer("bit-test", args[0] as Value) >>> integer("bit-test", args[1] as Value)) & 1) === 1,
  },
  {
    name: "bit-not",
    arity: [1, 1],
    signature: "(x :int) -> :int",
    doc: "Bitwise complement (32-bit).",
    impl: (_context, args) => ~integer("bit-not", args[0] as Value),
  },
  ...(["Integer/parseInt", "Long/parseLong", "Double/parseDouble"] as const).map((qualified): BuiltinSpec => {
    const [ns, name] = qualified.split("/") as [string, string];
    const integer = ns !== "Double";
    return {
      name,
      ns,
      arity: [1, 1],
      signature: integer ? "(s :string) -> :int" : "(s :string) -> :float",
      cost: "linear",
      doc: `Java's ${qualified}: the number written in s; a string that is not one is a type_error.`,
      impl: (_context, args) => {
        const text = parseString(qualified, args[0] as Value).trim();
        const value = integer ? (LONG_PATTERN.test(text) ? Number.parseInt(text, 10) : Number.NaN) : Number(text);
        if (text === "" || Number.isNaN(value))
          return invalidArgument(qualified, `cannot parse ${quoteClipped(text)} as a number`);
        return value;
      },
    };
  }),
];
