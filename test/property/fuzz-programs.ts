import fc from "fast-check";
import {
  compile,
  ERROR_CODES,
  evaluate,
  type Limits,
  LispError,
  printValue,
  type RunResult,
  type Tools,
  toJSON,
  type Value,
} from "../../src/index.js";
import { BUILTINS } from "../../src/lisp/builtins/registry.js";
import { bareObject, errorWithThrowingMessage, throwingProxy } from "../helpers/odd-values.js";

// Generators of PTC-Lisp programs for fuzzing the sandbox: well-formed programs built from the
// grammar and the builtin registry, with arguments drawn from ordinary and hostile values, and
// raw text. Shared by fuzz.property.test.ts (a short run in CI) and scripts/fuzz-campaign.ts.

/** Every builtin name a program can write: qualified names and aliases from the registry. */
export const BUILTIN_NAMES: readonly string[] = [...BUILTINS.keys()].sort();

/** Builtins by name with their arity, to call them with a fitting number of arguments (mostly). */
const ARITY: ReadonlyMap<string, readonly [number, number]> = new Map(
  [...BUILTINS.entries()].map(([name, fn]) => [name, fn.spec.arity]),
);

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Strings as a program writes them (escaped for a string literal). */
function stringLiteral(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, "\\n")}"`;
}

const weirdText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.constantFrom(
    "",
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "\u0000",
    "\u202E",
    "e\u0301",
  ),
  loneSurrogate,
  fc.constantFrom("a,b,,c", "x\ny", "%s %d %5.2f %n %%", "$1 \\ $", "(a+)+$", "[", "\\d+"),
);

/** Number literals, hostile ones included. */
const numberLiteral = fc.oneof(
  fc.integer({ min: -5, max: 20 }).map(String),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? "-0.0" : String(x))),
  fc.constantFrom("##NaN", "##Inf", "##-Inf", "1e308", "1e9", "1e16", "9007199254740993", "-0.0", "0.1", "1e-300"),
);

/** Literal snippets of values that are large, deep, infinite or otherwise hostile. */
const hostileValue = fc.constantFrom(
  "(range)",
  "(range 1e9)",
  "(range 1e6)",
  '(repeat 1e8 "x")',
  "(repeat :k)",
  "(iterate inc 0)",
  "(cycle [1 2])",
  "(vec (range 1e5))",
  '(apply str (repeat 1e5 "ab"))',
  "(loop [v [] i 0] (if (< i 20000) (recur [v] (inc i)) v))",
  "(loop [v [1] i 0] (if (< i 40) (recur [v v] (inc i)) v))",
  "(loop [m {} i 0] (if (< i 5000) (recur {:m m} (inc i)) m))",
  "(zipmap (range 1000) (range 1000))",
  '{"__proto__" {:polluted true} "constructor" 1}',
  "(atom nil)",
  "(fn [& xs] xs)",
  '#"(a+)+$"',
  "data/deep",
  "data/big",
  "data/proto",
  "data/text",
);

/** Long strings made of a repeated unit: superlinear string algorithms show up as overruns. */
const longText = fc
  .tuple(
    fc.oneof(
      fc.constantFrom("0", "1", "a", " ", "%", "%0", "ab", "\\n", "1e", "(", "\\u00e9", ","),
      fc.string({ maxLength: 3 }).map((unit) => stringLiteral(unit).slice(1, -1)),
    ),
    fc.integer({ min: 1000, max: 60_000 }),
  )
  .map(([unit, n]) => `(apply str (repeat ${n} "${unit}"))`);

const keywordLiteral = fc.oneof(
  fc.constantFrom(":a", ":b", ":id", ":name", ":total", ":__proto__", ":constructor", ":ns/k"),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/).map((name) => `:${name}`),
);

/** Symbols bound by the generated binding forms. */
const LOCALS = ["x", "y", "acc", "item"] as const;

export interface ProgramOptions {
  /** Maximum nesting of generated expressions. */
  readonly depth?: number;
}

/** An expression: a literal, a local, data, a builtin call, or a special form around expressions. */
export function expression(options: ProgramOptions = {}): fc.Arbitrary<string> {
  const maxDepth = options.depth ?? 4;
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: "small", maxDepth, withCrossShrink: true },
      { arbitrary: scalar(), weight: 4 },
      { arbitrary: hostileValue, weight: 1 },
      { arbitrary: longText, weight: 1 },
      { arbitrary: fc.constantFrom(...LOCALS, "data/xs", "data/m", "data/s"), weight: 2 },
      { arbitrary: builtinCall(tie("expr")), weight: 6 },
      { arbitrary: special(tie("expr")), weight: 3 },
      { arbitrary: collection(tie("expr")), weight: 2 },
    ),
  }));
  return expr;
}

function scalar(): fc.Arbitrary<string> {
  return fc.oneof(
    numberLiteral,
    weirdText.map(stringLiteral),
    keywordLiteral,
    fc.constantFrom("nil", "true", "false", "\\a", "\\newline"),
  );
}

function collection(expr: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    fc.array(expr, { maxLength: 4 }).map((items) => `[${items.join(" ")}]`),
    fc
      .array(fc.tuple(fc.oneof(keywordLiteral, expr), expr), { maxLength: 3 })
      .map((pairs) => `{${pairs.map(([k, v]) => `${k} ${v}`).join(" ")}}`),
    fc.array(expr, { maxLength: 3 }).map((items) => `#{${items.join(" ")}}`),
    fc.array(expr, { maxLength: 3 }).map((items) => `'(${items.join(" ")})`),
  );
}

/** A call of a registry builtin, usually with an acceptable number of arguments. */
function builtinCall(expr: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...BUILTIN_NAMES), fc.integer({ min: 0, max: 9 }), fc.array(expr, { maxLength: 5 }))
    .map(([name, roll, pool]) => {
      const [min, max] = ARITY.get(name) ?? [0, 3];
      // One call in ten gets an arbitrary count (arity errors are outcomes too).
      const count = roll === 0 ? pool.length : Math.min(Math.max(min, pool.length), Math.min(max, min + 3));
      const args: string[] = [];
      for (let i = 0; i < count; i++) args.push(pool[i % Math.max(pool.length, 1)] ?? "1");
      return `(${name}${args.map((arg) => ` ${arg}`).join("")})`;
    });
}

/** Special forms and macros, binding the locals the generator uses. */
function special(expr: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const local = fc.constantFrom(...LOCALS);
  return fc.oneof(
    fc.tuple(local, expr, expr).map(([name, init, body]) => `(let [${name} ${init}] ${body})`),
    fc.tuple(expr, expr, expr).map(([test, then, otherwise]) => `(if ${test} ${then} ${otherwise})`),
    fc.tuple(local, expr).map(([name, body]) => `(fn [${name}] ${body})`),
    fc.tuple(local, expr).map(([name, body]) => `(fn [${name} & more] ${body})`),
    expr.map((body) => `#(do % ${body})`),
    fc
      .tuple(fc.integer({ min: 0, max: 2000 }), expr)
      .map(([n, body]) => `(loop [x 0 acc []] (if (< x ${n}) (recur (inc x) (conj acc ${body})) acc))`),
    fc.tuple(expr, expr).map(([a, b]) => `(do ${a} ${b})`),
    fc.tuple(expr, expr).map(([a, b]) => `(try ${a} (catch :default e ${b}))`),
    fc.tuple(expr, expr).map(([a, b]) => `(when ${a} ${b})`),
    fc.tuple(local, expr, expr).map(([name, coll, body]) => `(for [${name} ${coll}] ${body})`),
    fc.tuple(expr, expr).map(([a, b]) => `(->> ${a} ${b})`),
    fc.tuple(expr, expr).map(([a, b]) => `(cond ${a} ${b} :else nil)`),
    expr.map((body) => `(do (defn f [x] ${body}) (f 1))`),
    expr.map((body) => `(do (defn g [x] (if (> x 0) (g (dec x)) ${body})) (g 3))`),
    expr.map((value) => `(do (def a (atom 0)) (swap! a (fn [_] ${value})) @a)`),
    expr.map((value) => `(throw (ex-info "boom" {:v ${value}}))`),
    expr.map((value) => `(fail ${value})`),
    expr.map((value) => `(return ${value})`),
    fc.tuple(expr, expr).map(([a, b]) => `(case ${a} 1 :one "s" :s ${b})`),
  );
}

/** A whole program: one to three forms, with every local the generator uses bound around them. */
export function program(options: ProgramOptions = {}): fc.Arbitrary<string> {
  return fc
    .array(expression(options), { minLength: 1, maxLength: 3 })
    .map((forms) => `(let [x 1 y [1 2 3] acc {} item "s"]\n${forms.join("\n")})`);
}

/** Raw text: random characters, or a generated program with bytes inserted or cut. */
export function rawText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: "binary", maxLength: 80 }),
    fc.string({ unit: "grapheme-composite", maxLength: 40 }),
    fc.uint8Array({ maxLength: 80 }).map((bytes) => String.fromCharCode(...bytes)),
    fc
      .tuple(program({ depth: 3 }), fc.nat(), fc.string({ unit: "binary", maxLength: 4 }))
      .map(([source, at, noise]) => {
        const cut = at % (source.length + 1);
        return source.slice(0, cut) + noise + source.slice(cut + (at % 3));
      }),
  );
}

/** The input every fuzzed program runs with: small, plus a few hostile shapes. */
export function fuzzData(): Record<string, unknown> {
  return {
    xs: [1, 2, 3, 2, 1],
    m: { a: 1, b: "two", c: [3], "__proto__ ": 4 },
    s: "hello, world",
    deep: JSON.parse(`${"[".repeat(5000)}${"]".repeat(5000)}`),
    big: Array.from({ length: 50_000 }, (_, i) => ({ id: i, tag: `t${i % 7}` })),
    proto: JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
    text: "lorem ipsum ".repeat(20_000),
  };
}

// ---------------------------------------------------------------------------------------------
// The checks

export const LIMITS: Required<Pick<Limits, "timeMs" | "fuel" | "memoryBytes" | "depth" | "outputBytes">> = {
  timeMs: 200,
  fuel: 200_000,
  memoryBytes: 16 * 1024 * 1024,
  depth: 200,
  outputBytes: 64 * 1024,
};

/** Limits with the defaults' size (for campaigns that let programs do real work). */
export const ROOMY_LIMITS: typeof LIMITS = {
  timeMs: 1000,
  fuel: 10_000_000,
  memoryBytes: 256 * 1024 * 1024,
  depth: 1000,
  outputBytes: 1024 * 1024,
};

const BUDGETS = new Set(["fuel", "time", "memory", "depth", "output", "source", "toolCalls"]);

const data = fuzzData();

/** Every promise of the sandbox about one run; returns a description of the first broken one, or undefined. */
export async function violation(source: string, limits: typeof LIMITS = LIMITS): Promise<string | undefined> {
  // Wall time allowed: the time budget, twice over, plus compiling and converting the result.
  const started = performance.now();
  let result: RunResult;
  try {
    result = await evaluate(source, { data, limits });
  } catch (error) {
    return `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
  return brokenPromise(result, limits, performance.now() - started);
}

// ---------------------------------------------------------------------------------------------
// Families with their own setup and promises: aliasing, tool calls, globals across runs, result
// size. A case is a program (or, for globals, two) plus what its outcome must satisfy.

/** The families of cases; "program" and "raw" are the generated programs and raw text above. */
export const FAMILIES = ["program", "raw", "aliasing", "tools", "globals", "size"] as const;
export type Family = (typeof FAMILIES)[number];

/** What a case's outcome must satisfy, besides the promises every run keeps. */
export type Expectation =
  /** Ok with a value other than this JSON (a marker the program returns when a check fails). */
  | { readonly kind: "not"; readonly json: unknown }
  /** Ok with exactly this JSON. */
  | { readonly kind: "json"; readonly json: unknown }
  /** Ok, or failed with one of these codes (what `try`/`catch :default` cannot catch). */
  | { readonly kind: "uncaught"; readonly codes: readonly string[] }
  /** Failed with limit_exceeded naming this budget. */
  | { readonly kind: "limit"; readonly limit: string }
  /** Failed with one of these codes. */
  | { readonly kind: "fails"; readonly codes: readonly string[] };

export interface FuzzCase {
  readonly family: Family;
  readonly source: string;
  /** For "globals": the program run after `source`, compiled with its globals as `predefined`. */
  readonly later?: string;
  readonly expect?: Expectation;
}

/** A case as text, for reports. */
export function describeCase(fuzzCase: FuzzCase): string {
  return fuzzCase.later === undefined
    ? fuzzCase.source
    : `${fuzzCase.source}\n;; then, with its globals:\n${fuzzCase.later}`;
}

// --- (a) aliasing: a collection combined with itself must give what it gives combined with an
// equal collection built separately, and must itself stay unchanged.

/** Elements of the collections (no NaN: it is not equal to itself). */
const aliasElement = fc.oneof(
  fc.integer({ min: -3, max: 40 }).map(String),
  fc.constantFrom('"a"', '"b"', ":k", ":id", "nil", "true", "[1 2]", "{:a 1}", "#{1}", "'(1 2)", '""', "1.5"),
);

/** Collections of every kind and size class (32 and 1056 are vector trie boundaries). */
const aliasCollection = fc.oneof(
  fc.array(aliasElement, { maxLength: 6 }).map((items) => `[${items.join(" ")}]`),
  fc.array(aliasElement, { maxLength: 6 }).map((items) => `'(${items.join(" ")})`),
  fc.array(aliasElement, { maxLength: 6 }).map((items) => `(set [${items.join(" ")}])`),
  fc
    .array(fc.tuple(aliasElement, aliasElement), { maxLength: 5 })
    .map((pairs) => `(into {} [${pairs.map(([k, v]) => `[${k} ${v}]`).join(" ")}])`),
  fc
    .constantFrom(0, 1, 7, 8, 9, 31, 32, 33, 64, 1055, 1056, 1057, 3000)
    .chain((n) =>
      fc.constantFrom(
        `(vec (range ${n}))`,
        `(range ${n})`,
        `(map inc (range ${n}))`,
        `(set (range ${n}))`,
        `(zipmap (range ${n}) (range ${n}))`,
        `(apply list (range ${n}))`,
        `(into (sorted-map) (zipmap (range ${n}) (range ${n})))`,
        `(into (sorted-set) (range ${n}))`,
      ),
    ),
  fc.constantFrom("[]", "{}", "#{}", "'()", "nil", "data/xs", "data/m", '"abc"', "(subvec (vec (range 40)) 3 35)"),
);

/**
 * Operations on two collections `A` and `B` (templates): the program computes the operation on
 * (v, v) and on (v, w), where w is built separately from the same source, and the two must agree.
 * `expect` replaces the second form when the operation's value is known another way.
 */
const ALIAS_OPS: readonly { readonly op: string; readonly expect?: string }[] = [
  { op: "(into A B)" },
  { op: "(into A (seq B))" },
  { op: "(into A (reverse B))" },
  { op: "(into A (map identity B))" },
  { op: "(into (into A B) B)" },
  { op: "(concat A B)" },
  { op: "(vec (concat A B A))" },
  { op: "(apply conj A B)" },
  { op: "(reduce conj A B)" },
  { op: "(conj A B)" },
  { op: "(merge A B)" },
  { op: "(vec (interleave A B))" },
  { op: "(zipmap A B)" },
  { op: "(set (concat A B))" },
  { op: "(frequencies (concat A B))" },
  { op: "(distinct (concat A B))" },
  { op: "(group-by identity (into A B))" },
  { op: "(assoc A 0 B)" },
  { op: "(assoc A :self B)" },
  { op: "(update A 0 (fn [_] B))" },
  { op: "(into A (take 5 (cycle B)))" },
  { op: "(persistent! (reduce conj! (transient A) B))" },
  { op: "(let [t (transient A)] (persistent! (reduce conj! t (seq B))))" },
  { op: "(let [a (atom A)] (swap! a into B) @a)" },
  { op: "(let [a (atom A)] (swap! a concat B) (vec @a))" },
  { op: "(loop [x A i 0] (if (< i 12) (recur (into x B) (inc i)) (count x)))" },
  { op: "(loop [x A i 0] (if (< i 20) (recur (into x x) (inc i)) (count x)))" },
  { op: "(let [s (seq A) _ (conj A 1)] [(count s) (vec s)])", expect: "[(count B) (vec B)]" },
  { op: "(let [s (seq A) _ (into A A)] (vec s))", expect: "(vec B)" },
  // The value of conj! is used, as Clojure requires (a transient is not changed in place here).
  { op: "(let [t (conj! (transient A) 1)] [A (persistent! t)])", expect: "[B (conj B 1)]" },
  { op: "(let [_ (into A A) _ (apply conj A A)] A)", expect: "B" },
  { op: "(let [c (concat A A) _ (doall c)] [(count c) (count A)])", expect: "[(* 2 (count B)) (count B)]" },
  { op: "(let [m {:x A :y A}] (= (:x m) (:y m) B))", expect: "true" },
];

const MISMATCH = "aliasing-mismatch";

export function aliasingCase(): fc.Arbitrary<FuzzCase> {
  return fc.tuple(aliasCollection, fc.constantFrom(...ALIAS_OPS)).map(([collection, { op, expect }]) => {
    const fill = (template: string, a: string, b: string) => template.replaceAll("A", a).replaceAll("B", b);
    const self = fill(op, "v", "v");
    const other = expect === undefined ? fill(op, "v", "w") : expect.replaceAll("B", "w");
    const source = `(let [v ${collection} w ${collection} r1 ${self} r2 ${other}]\n  (if (and (= r1 r2) (= v w)) r1 :${MISMATCH}))`;
    return { family: "aliasing", source, expect: { kind: "not", json: MISMATCH } };
  });
}

// --- (b) tool calls: tools that echo, throw odd things, return deep, large or odd results,
// called from every kind of form, with colliding argument keys.

/** Things `tool/boom` throws, by `:kind` (mod the count). */
const ODD_THROWS: readonly (() => unknown)[] = [
  bareObject,
  throwingProxy,
  errorWithThrowingMessage,
  () => undefined,
  () => 42,
  () => "a string",
  () => Symbol("thrown"),
  () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  () => ({
    [Symbol.toPrimitive]() {
      throw new Error("toPrimitive");
    },
    toString() {
      throw new Error("toString");
    },
  }),
  () => () => 1,
  () => 10n,
  () => {
    const error = new Error("cyclic cause");
    (error as { cause?: unknown }).cause = error;
    return error;
  },
  () => Object.assign(new Error("x".repeat(1_000_000)), { name: "y".repeat(100_000) }),
  () => null,
];

/** The length of the sparse array `tool/odd` returns (holes only: nothing for the host to hold). */
const SPARSE_LENGTH = 3_000_000;
function sparseArray(): unknown[] {
  const sparse: unknown[] = [];
  sparse.length = SPARSE_LENGTH;
  return sparse;
}
/** The estimated size of `(tool/big {:n 1})` (100,000 maps `{:i n :s "rN"}`, as the library counts). */
const BIG_1_BYTES = 100_000 * 56;

/** Things `tool/odd` returns, by `:kind` (mod the count). */
const ODD_RESULTS: readonly (() => unknown)[] = [
  () => throwingProxy(),
  () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic["self"] = cyclic;
    return cyclic;
  },
  () => ({
    get boom() {
      throw new Error("getter");
    },
  }),
  () => 10n,
  () => [1n],
  () => new Map([[1, 2]]),
  () => new Date(0),
  () => () => 1,
  () => Symbol("result"),
  () => undefined,
  () => [Number.NaN, Number.POSITIVE_INFINITY, -0],
  sparseArray,
  () => Object.assign([1, 2], { extra: 3 }),
  () => new Uint8Array(1000),
  () => JSON.parse('{"__proto__": {"polluted": true}, "a-b": 1, "a_b": 2}'),
  // biome-ignore lint/suspicious/noThenProperty: a thenable result is the point
  () => ({ then: (resolve: (value: unknown) => void) => resolve({ thenable: true }) }),
  () => ({
    toJSON() {
      throw new Error("toJSON");
    },
  }),
  () => ({
    toJSON() {
      return this;
    },
  }),
  () => "z".repeat(5_000_000),
  () => ({ [Symbol("k")]: 1, ok: true }),
  () => Object.create({ inherited: 1 }),
  () => {
    const shared = { n: 1 };
    return Array.from({ length: 1000 }, () => shared);
  },
];

/** The number in `args[key]`, or 0 (tools get whatever the program passed). */
function numberArg(args: unknown, key: string): number {
  try {
    const value = (args as Record<string, unknown>)?.[key];
    return typeof value === "number" && Number.isFinite(value) ? Math.abs(Math.trunc(value)) : 0;
  } catch {
    return 0;
  }
}

let deepResult: unknown;
const bigResults = new Map<number, unknown[]>();

/** The tools of the "tools" and "globals" families. */
export function fuzzTools(): Tools {
  deepResult ??= (() => {
    let value: unknown = { leaf: true };
    for (let i = 0; i < 5000; i++) value = i % 2 === 0 ? [value] : { d: value };
    return value;
  })();
  const big = (n: number): unknown[] => {
    const size = [1000, 100_000, 1_000_000][n % 3] as number;
    let array = bigResults.get(size);
    if (array === undefined) {
      array = Array.from({ length: size }, (_, i) => ({ i, s: `r${i % 10}` }));
      bigResults.set(size, array);
    }
    return array;
  };
  return {
    echo: (args) => args,
    boom: (args) => {
      const kind = numberArg(args, "kind");
      const thrown = (ODD_THROWS[kind % ODD_THROWS.length] as () => unknown)();
      // Half of them synchronously, half as a rejection.
      if (kind % 2 === 0) throw thrown;
      return Promise.reject(thrown);
    },
    deep: async () => deepResult,
    big: async (args) => big(numberArg(args, "n")),
    odd: async (args) => (ODD_RESULTS[numberArg(args, "kind") % ODD_RESULTS.length] as () => unknown)(),
  };
}

/** Argument maps, colliding keys and odd values included. */
const toolArgs = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((kind) => `{:kind ${kind} :i i}`),
  fc.integer({ min: 0, max: 5 }).map((n) => `{:n ${n} :i i}`),
  fc.constantFrom(
    "{:a-b 1 :a_b 2}",
    '{"a-b" 1 :a_b 2}',
    '{:a-b 1 "a_b" 2}',
    "{:x-y {:p-q 1 :p_q 2}}",
    "{:ns/k 1 :k 2}",
    "{:__proto__ {:polluted true}}",
    "{}",
    "nil",
    "1",
    "[1 2]",
    "{:x (range)}",
    "{:x (range 1e6)}",
    "{:f (fn [] 1)}",
    "{:a (atom 1)}",
    '{:s (apply str (repeat 100000 "x"))}',
    "{:d (loop [v [] i 0] (if (< i 3000) (recur [v] (inc i)) v))}",
    "{1 2 [3] 4 nil 5}",
    "{:i i :kind i}",
  ),
);

const toolCall = fc
  .tuple(fc.constantFrom("echo", "echo", "boom", "deep", "big", "odd", "odd", "missing"), toolArgs)
  .map(([name, args]) => `(tool/${name} ${args})`);

/** Forms around a tool call `T` (which may use the local `i`). */
const TOOL_CONTEXTS: readonly string[] = [
  "(let [i 0 r T] r)",
  "(let [i 1 r T] (count (str r)))",
  "(loop [i 0 acc []] (if (< i 3) (recur (inc i) (conj acc T)) acc))",
  "(mapv (fn [i] T) (range 3))",
  "(vec (pmap (fn [i] T) (range 4)))",
  "(pcalls (fn [] (let [i 0] T)) (fn [] (let [i 1] T)))",
  "(let [i 2] (try T (catch :default e (ex-data e))))",
  "(doseq [i (range 3)] T)",
  "(vec (for [i (range 3)] T))",
  "(take 2 (map (fn [i] T) (range)))",
  "(reduce (fn [acc i] (conj acc T)) [] (range 3))",
  "(let [i 0] (do (def r T) r))",
  "(let [i 0] (get-in T [:a :b]))",
  "(let [i 0] (into [] T))",
  "(let [i 0] (-> T :kind))",
  "(let [i 0 r T] (into r r))",
  "(let [i 0] (str T))",
  "(let [i 0] (pr-str T))",
  "(some (fn [i] T) (range 3))",
  "(let [f (memoize (fn [i] T))] [(f 1) (f 1)])",
  "(let [i 0] (if T T T))",
];

function inContext(call: fc.Arbitrary<string>, depth: number): fc.Arbitrary<string> {
  const around = (inner: fc.Arbitrary<string>) =>
    fc.tuple(fc.constantFrom(...TOOL_CONTEXTS), inner).map(([context, form]) => context.replaceAll("T", form));
  return depth <= 1 ? around(call) : fc.oneof(around(call), around(inContext(call, depth - 1)));
}

/** The codes of run-time failures `try` with `catch :default` cannot catch: a budget. */
const UNCATCHABLE = ["limit_exceeded"];

/**
 * Probes of the memory budget with tool results, by `toolCase({probes: true})`: values the
 * library's estimate must stop, since they are far over `memoryBytes`: a sparse array (holes
 * become nils) and tool results kept across calls.
 */
function memoryProbe(memoryBytes: number): fc.Arbitrary<FuzzCase> {
  const sparseKind = ODD_RESULTS.indexOf(sparseArray);
  const failing = { kind: "fails" as const, codes: ["limit_exceeded", "tool_error"] };
  return fc.oneof(
    fc.constant({
      family: "tools" as const,
      source: `(count (tool/odd {:kind ${sparseKind}}))`,
      ...(SPARSE_LENGTH * 8 > 2 * memoryBytes ? { expect: failing } : {}),
    }),
    fc.constantFrom(2, 4, 8, 16, 40).map((k) => ({
      family: "tools" as const,
      source: `(count (mapv (fn [_] (tool/big {:n 1})) (range ${k})))`,
      ...(k * BIG_1_BYTES > 2 * memoryBytes ? { expect: failing } : {}),
    })),
  );
}

export function toolCase(
  options: { readonly probes?: boolean; readonly memoryBytes?: number } = {},
): fc.Arbitrary<FuzzCase> {
  if (options.probes) {
    return fc.oneof(
      { arbitrary: toolCase(), weight: 9 },
      { arbitrary: memoryProbe(options.memoryBytes ?? LIMITS.memoryBytes), weight: 1 },
    );
  }
  const body = fc.array(inContext(toolCall, 2), { minLength: 1, maxLength: 3 }).map((forms) => forms.join("\n  "));
  return fc.oneof(
    // Free: whatever happens, the run's promises hold.
    body.map((forms) => ({ family: "tools" as const, source: `(do\n  ${forms})` })),
    // Inside try, realized inside it: no tool failure escapes.
    body.map((forms) => ({
      family: "tools" as const,
      source: `(try\n  (let [r (do ${forms})] (pr-str r) r)\n  (catch :default e [:caught (:code (ex-data e))]))`,
      expect: { kind: "uncaught" as const, codes: UNCATCHABLE },
    })),
    // A failing tool, caught at once: the catch sees a tool_error.
    fc
      .tuple(
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom("", "(let [x 1] X)", "(loop [] X)", "(first (mapv (fn [_] X) [1]))"),
      )
      .map(([kind, around]) => {
        const call = `(tool/boom {:kind ${kind}})`;
        const form = around === "" ? call : around.replace("X", call);
        return {
          family: "tools" as const,
          source: `(try ${form} (catch :default e (:code (ex-data e))))`,
          expect: { kind: "json" as const, json: "tool_error" },
        };
      }),
  );
}

// --- (c) globals across runs: a run that defines lazy sequences and closures calling tools, and
// a later run, compiled with their names as `predefined`, that realizes them.

/** Globals a first run defines, each with the forms a later run may use it in. */
const GLOBALS: readonly { readonly def: string; readonly uses: readonly string[] }[] = [
  {
    def: "(def s (map #(tool/echo {:x %}) (range)))",
    uses: ["(vec (take 3 s))", "(first (drop 5 s))", "s", "(do (def s2 (map inc (map :x s))) (vec (take 2 s2)))"],
  },
  {
    def: "(def f (fn [x] (tool/echo {:x x})))",
    uses: ["(f (f 1))", "(mapv f (range 3))", "(vec (pmap f (range 3)))", "(f (range))"],
  },
  { def: "(def fin (take-while #(< (:x %) 10) (map #(tool/echo {:x %}) (range))))", uses: ["(count fin)", "fin"] },
  {
    def: "(def b (fn [] (map (fn [k] (tool/boom {:kind k})) (range 14))))",
    uses: ["(try (vec (b)) (catch :default e (:code (ex-data e))))", "(vec (b))", "(first (b))"],
  },
  {
    def: "(def o (fn [] (map (fn [k] (try (tool/odd {:kind k}) (catch :default e (:code (ex-data e))))) (range 22))))",
    uses: ["(vec (o))", "(count (str (o)))"],
  },
  { def: "(def d (fn [] (tool/deep {})))", uses: ["(try (d) (catch :default e :caught))", "(d)"] },
  { def: "(def g (map (fn [n] (count (tool/big {:n n}))) (range 2)))", uses: ["(vec g)", "(reduce + g)"] },
  {
    def: "(def a (atom (map #(tool/echo {:x %}) (range 5))))",
    uses: ["(vec @a)", "(swap! a (fn [x] (map inc (map :x x))))"],
  },
  {
    def: "(def m {:k (map #(tool/echo {:x %}) (range 3)) :l (lazy-seq [(tool/echo {:x 1})])})",
    uses: ["[(vec (:k m)) (vec (:l m))]", "m"],
  },
  {
    def: "(def c (concat (take 3 (map #(tool/echo {:x %}) (range))) (map #(tool/echo {:y %}) (range 2))))",
    uses: ["(vec c)", "(count c)"],
  },
  { def: "(def it (iterate (fn [x] (:x (tool/echo {:x (inc x)}))) 0))", uses: ["(take 5 it)", "(nth it 50)", "it"] },
  { def: "(def r (repeatedly #(tool/echo {:r 1})))", uses: ["(vec (take 2 r))", "(count (take 300 r))"] },
  { def: "(def mf (memoize (fn [x] (tool/echo {:x x}))))", uses: ["[(mf 1) (mf 1) (mf 2)]"] },
  { def: "(def pf (partial (fn [x y] (tool/echo {:x x :y y})) 1))", uses: ["(pf 2)", "(mapv pf [1 2])"] },
  { def: "(def cf (comp (fn [x] (tool/echo {:x x})) inc))", uses: ["(cf 1)"] },
  { def: "(def pm (pmap #(tool/echo {:x %}) (range 4)))", uses: ["(vec pm)"] },
  { def: "(def ones (range))", uses: ["(take 3 ones)", "ones"] },
  { def: "(def e (tool/echo {:x 1 :y [1 2]}))", uses: ["e", "(:y e)"] },
  {
    def: "(def nested (map (fn [i] (map (fn [j] (tool/echo {:i i :j j})) (range))) (range)))",
    uses: ["(mapv vec (take 2 (map #(take 2 %) nested)))", "(first nested)"],
  },
  {
    def: '(def big-s (map (fn [_] (apply str (repeat 100000 "x"))) (range)))',
    uses: ["(count (first big-s))", "(vec (take 1000 big-s))"],
  },
  {
    def: "(def self-ref (fn [] (concat [(tool/echo {:x 1})] (lazy-seq (self-ref)))))",
    uses: ["(take 3 (self-ref))", "(self-ref)"],
  },
];

export function globalsCase(): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(fc.subarray([...GLOBALS], { minLength: 1, maxLength: 6 }), fc.boolean(), fc.nat())
    .chain(([chosen, touch, pick]) =>
      fc
        .array(fc.constantFrom(...chosen.flatMap((entry) => entry.uses)), { minLength: 1, maxLength: 3 })
        .map((uses) => {
          // Sometimes the first run already uses part of what it defines.
          const first = touch ? (chosen[pick % chosen.length]?.uses[0] ?? ":defined") : ":defined";
          return {
            family: "globals" as const,
            source: `${chosen.map((entry) => entry.def).join("\n")}\n${first}`,
            later: uses.join("\n"),
          };
        }),
    );
}

// --- (d) result size: a result holding one large string many times is charged per copy.

export function sizeCase(memoryBytes: number): fc.Arbitrary<FuzzCase> {
  const shapes = [
    "(vec (repeat M s))",
    "(repeat M s)",
    "(mapv (fn [_] s) (range M))",
    "(zipmap (range M) (repeat s))",
    "(let [v (vec (repeat M s))] [v v v])",
    "(into [] (map (fn [_] s)) (range M))",
    "(loop [i 0 acc []] (if (< i M) (recur (inc i) (conj acc s)) acc))",
    "(for [i (range M)] s)",
    "(vec (concat (repeat M s) (repeat M s)))",
    "(let [v (vec (repeat M s))] {:a v :b v})",
    "(reduce (fn [m i] (assoc m i s)) {} (range M))",
    "(map (fn [i] [i s]) (range M))",
  ];
  return fc
    .tuple(
      fc.constantFrom(...shapes),
      fc.constantFrom(1000, 10_000, 100_000, 200_000),
      fc.constantFrom(10, 100, 1000, 5000),
      fc.constantFrom('"x"', '"é"', '"ab"'),
    )
    .map(([shape, n, m, unit]) => {
      const copies = shape.includes("[v v v]") ? 3 * m : shape.includes("concat") || shape.includes(":b v") ? 2 * m : m;
      const chars = n * (unit === '"ab"' ? 2 : 1) * copies;
      const source = `(let [s (apply str (repeat ${n} ${unit}))]\n  ${shape.replaceAll("M", String(m))})`;
      // Far over the budget (2 bytes a character): the run must stop on memory. Near it, either.
      return chars * 2 > 2 * memoryBytes
        ? { family: "size" as const, source, expect: { kind: "limit" as const, limit: "memory" } }
        : { family: "size" as const, source };
    });
}

export interface CaseOptions extends ProgramOptions {
  /** The memory budget the cases will run under (decides which size cases must stop). */
  readonly memoryBytes?: number;
  /** Include the memory probes of `toolCase` (promises the library may not keep yet). */
  readonly probes?: boolean;
}

/** The cases of one family. */
export function familyCase(family: Family, options: CaseOptions = {}): fc.Arbitrary<FuzzCase> {
  const memoryBytes = options.memoryBytes ?? LIMITS.memoryBytes;
  switch (family) {
    case "program":
      return program(options).map((source) => ({ family, source }));
    case "raw":
      return rawText().map((source) => ({ family, source }));
    case "aliasing":
      return aliasingCase();
    case "tools":
      return toolCase({ probes: options.probes ?? false, memoryBytes });
    case "globals":
      return globalsCase();
    case "size":
      return sizeCase(memoryBytes);
  }
}

/** The campaign's mix of families, by weight. */
export const FAMILY_WEIGHTS: Readonly<Record<Family, number>> = {
  program: 6,
  raw: 1,
  aliasing: 2,
  tools: 3,
  globals: 2,
  size: 1,
};

/** A case of any of `families`, by weight. */
export function anyCase(families: readonly Family[] = FAMILIES, options: CaseOptions = {}): fc.Arbitrary<FuzzCase> {
  const [first, ...rest] = families.map((family) => ({
    arbitrary: familyCase(family, options),
    weight: FAMILY_WEIGHTS[family],
  }));
  if (first === undefined) throw new Error("no family to draw from");
  return fc.oneof(first, ...rest);
}

// ---------------------------------------------------------------------------------------------
// Checking a case

/** A run's outcome in a word: "ok", the code, or code/limit. */
export function outcomeOf(result: RunResult): string {
  if (result.ok) return "ok";
  return result.error.limit ? `${result.error.code}/${result.error.limit}` : result.error.code;
}

/** Host time allowed per tool call on top of the time budget and the call's recorded duration. */
const WALL_MS_PER_TOOL_CALL = 5;

/** The tool-call budget of the families that call tools (the default is 1,000). */
export const FUZZ_TOOL_CALLS = 200;

const describeError = (error: unknown): string => {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "an unprintable value";
  }
};

/** The promises every finished run keeps (see `violation`), given its wall time. */
function brokenPromise(result: RunResult, limits: typeof LIMITS, ms: number): string | undefined {
  // Tool calls add their own duration (the tool's time and the copy of its result) and a little.
  const toolMs = result.toolCalls.reduce((sum, call) => sum + call.durationMs, 0);
  const wallMs = 2 * limits.timeMs + 300 + toolMs + WALL_MS_PER_TOOL_CALL * result.toolCalls.length;
  if (ms > wallMs) return `took ${Math.round(ms)} ms`;
  if (Object.hasOwn(Object.prototype, "polluted")) return "Object.prototype was polluted";
  if (result.ok) {
    if (result.usage.fuel > limits.fuel) return `used ${result.usage.fuel} fuel`;
    if (result.usage.allocations > limits.memoryBytes) return `allocated ${result.usage.allocations} bytes`;
    try {
      JSON.stringify(result.json);
      printValue(result.value, true, { maxChars: 10_000 });
    } catch (error) {
      return `result unsafe for the host: ${describeError(error)}`;
    }
    return undefined;
  }
  const { code, limit, message } = result.error;
  if (!ERROR_CODES.includes(code)) return `undocumented code ${String(code)}: ${message}`;
  if (typeof message !== "string" || message.length === 0) return `no message for ${code}`;
  // Messages quote program data only in short previews (an ex-info's own message excepted).
  if (message.length > 2000 && code !== "thrown") return `a ${message.length}-character message for ${code}`;
  if (code === "limit_exceeded" && (limit === undefined || !BUDGETS.has(limit))) {
    return `limit_exceeded names no budget (${String(limit)}): ${message}`;
  }
  if (code === "internal_error") return `internal fault: ${message}`;
  return undefined;
}

const COMPILE_PHASES = new Set(["lex", "parse", "analyze"]);

/** What the case's own expectation says about a finished run, or undefined when it holds. */
function unmet(expect: Expectation | undefined, result: RunResult): string | undefined {
  if (expect === undefined) return undefined;
  const shown = result.ok ? JSON.stringify(result.json)?.slice(0, 200) : outcomeOf(result);
  switch (expect.kind) {
    case "not":
      return result.ok && JSON.stringify(result.json) === JSON.stringify(expect.json)
        ? `returned ${JSON.stringify(expect.json)}`
        : undefined;
    case "json":
      return result.ok && JSON.stringify(result.json) === JSON.stringify(expect.json)
        ? undefined
        : `expected ${JSON.stringify(expect.json)}, got ${shown}`;
    case "uncaught":
      // Compile-time diagnostics (an unknown tool among them) never reach the try.
      return result.ok || expect.codes.includes(result.error.code) || COMPILE_PHASES.has(result.error.phase)
        ? undefined
        : `escaped try: ${shown}`;
    case "fails":
      return !result.ok && expect.codes.includes(result.error.code) ? undefined : `expected a failure, got ${shown}`;
    case "limit":
      return !result.ok && result.error.code === "limit_exceeded" && result.error.limit === expect.limit
        ? undefined
        : `expected limit_exceeded/${expect.limit}, got ${shown}`;
  }
}

/**
 * Printing or converting a global outside any run: it may throw, but only a LispError with a
 * documented code, and it must end promptly.
 */
function globalsViolation(globals: ReadonlyMap<string, Value>): string | undefined {
  for (const [name, value] of globals) {
    for (const [what, convert] of [
      ["printValue", () => printValue(value)],
      ["printValue (bounded)", () => printValue(value, true, { maxChars: 1000 })],
      ["toJSON", () => toJSON(value)],
    ] as const) {
      const started = performance.now();
      try {
        convert();
      } catch (error) {
        if (!(error instanceof LispError)) return `${what} of global ${name} threw ${describeError(error)}`;
        if (!ERROR_CODES.includes(error.code)) return `${what} of global ${name}: undocumented code ${error.code}`;
      }
      const ms = performance.now() - started;
      if (ms > 2000) return `${what} of global ${name} took ${Math.round(ms)} ms`;
    }
  }
  return undefined;
}

/** The `Limits` key of each budget `error.limit` names, where the two differ. */
const LIMIT_KEYS: Readonly<Record<string, string>> = { time: "timeMs", memory: "memoryBytes", output: "outputBytes" };

/** A limit_exceeded message whose "(used of limit ...)" is not the run's own limit, or undefined. */
function staleLimit(result: RunResult, limits: Readonly<Record<string, number>>): string | undefined {
  if (result.ok || result.error.code !== "limit_exceeded") return undefined;
  const budget = result.error.limit;
  const key = budget === undefined ? undefined : (LIMIT_KEYS[budget] ?? budget);
  const own = key === undefined ? undefined : limits[key];
  const quoted = /\(\d+ of (\d+) /.exec(result.error.message)?.[1];
  if (own === undefined || quoted === undefined || Number(quoted) === own) return undefined;
  return `failed with another run's ${budget} limit: "${result.error.message}" under ${budget} ${own}`;
}

/** The outcome of a checked case and the first broken promise, if any. */
export interface CaseReport {
  readonly outcome: string;
  readonly violation?: string;
}

const fuzzDataOnce = fuzzData();
let toolsOnce: Tools | undefined;

/**
 * The limits a case runs under: the given ones with a tool-call budget; for "size", the fuel
 * and time of the defaults at least, so that building the large string is not what stops it.
 */
export function caseLimits(limits: typeof LIMITS, family: Family): typeof LIMITS & { toolCalls: number } {
  const roomy =
    family === "size"
      ? { fuel: Math.max(limits.fuel, ROOMY_LIMITS.fuel), timeMs: Math.max(limits.timeMs, ROOMY_LIMITS.timeMs) }
      : {};
  return { ...limits, ...roomy, toolCalls: FUZZ_TOOL_CALLS };
}

/**
 * Runs a case and checks every promise: those of `violation`, the case's expectation, and for
 * "globals" that the later run (twice, with the same globals) keeps them too, that two
 * successful later runs agree, and that every global of every run prints and converts safely.
 */
export async function checkCase(
  fuzzCase: FuzzCase,
  limits: typeof LIMITS = LIMITS,
  probes: { readonly staleFailures?: boolean } = {},
): Promise<CaseReport> {
  toolsOnce ??= fuzzTools();
  const tools = toolsOnce;
  const runLimits = caseLimits(limits, fuzzCase.family);
  const options = { data: fuzzDataOnce, tools, limits: runLimits };
  const timed = async (
    label: string,
    run: () => Promise<RunResult>,
    limits: typeof LIMITS = runLimits,
  ): Promise<{ result?: RunResult; violation?: string }> => {
    const started = performance.now();
    let result: RunResult;
    try {
      result = await run();
    } catch (error) {
      return { violation: `${label}threw ${describeError(error)}` };
    }
    const broken = brokenPromise(result, limits, performance.now() - started);
    return broken === undefined ? { result } : { result, violation: `${label}${broken}` };
  };

  const first = await timed("", () => evaluate(fuzzCase.source, options));
  if (first.result === undefined) return { outcome: "threw", violation: first.violation as string };
  const outcome = outcomeOf(first.result);
  if (first.violation !== undefined) return { outcome, violation: first.violation };
  if (fuzzCase.later === undefined) {
    const expectation = unmet(fuzzCase.expect, first.result);
    if (expectation !== undefined) return { outcome, violation: expectation };
    const unsafe = globalsViolation(first.result.globals);
    return unsafe === undefined ? { outcome } : { outcome, violation: unsafe };
  }

  const globals = first.result.globals;
  let later: ReturnType<typeof compile>;
  try {
    later = compile(fuzzCase.later, { predefined: [...globals.keys()], tools });
  } catch (error) {
    return { outcome, violation: `compile threw ${describeError(error)}` };
  }
  if (!later.ok) {
    const code = later.diagnostics[0]?.code;
    return code !== undefined && ERROR_CODES.includes(code) && code !== "internal_error"
      ? { outcome: `compile:${code}` }
      : { outcome: "compile", violation: `later program did not compile: ${String(code)}` };
  }
  const program = later.program;
  const runs: RunResult[] = [];
  // The probe of stale failures runs the later program again with budgets ten times larger: a
  // budget it runs out of must be its own, not one an earlier run ran out of.
  const againLimits = probes.staleFailures
    ? { ...runLimits, fuel: runLimits.fuel * 10, toolCalls: runLimits.toolCalls * 10 }
    : runLimits;
  for (const [label, runWith] of [
    ["later run: ", runLimits],
    ["later run again: ", againLimits],
  ] as const) {
    const next = await timed(label, () => program.run({ ...options, limits: runWith, globals }), runWith);
    if (next.violation !== undefined) return { outcome, violation: next.violation };
    const result = next.result as RunResult;
    const stale = probes.staleFailures ? staleLimit(result, runWith) : undefined;
    if (stale !== undefined) return { outcome, violation: `${label}${stale}` };
    runs.push(result);
  }
  const [second, third] = runs as [RunResult, RunResult];
  if (second.ok && third.ok && JSON.stringify(second.json) !== JSON.stringify(third.json)) {
    return { outcome, violation: "two later runs with the same globals disagree" };
  }
  for (const result of [first.result, second, third]) {
    const unsafe = globalsViolation(result.globals);
    if (unsafe !== undefined) return { outcome, violation: unsafe };
  }
  return { outcome: `${outcome}→${outcomeOf(second)}` };
}
