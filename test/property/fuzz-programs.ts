import fc from "fast-check";
import { ERROR_CODES, evaluate, type Limits, printValue, type RunResult } from "../../src/index.js";
import { BUILTINS } from "../../src/lisp/builtins/registry.js";

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
  const wallMs = 2 * limits.timeMs + 300;
  const started = performance.now();
  let result: RunResult;
  try {
    result = await evaluate(source, { data, limits });
  } catch (error) {
    return `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
  const ms = performance.now() - started;
  if (ms > wallMs) return `took ${Math.round(ms)} ms`;
  if (Object.hasOwn(Object.prototype, "polluted")) return "Object.prototype was polluted";
  if (result.ok) {
    if (result.usage.fuel > limits.fuel) return `used ${result.usage.fuel} fuel`;
    if (result.usage.allocations > limits.memoryBytes) return `allocated ${result.usage.allocations} bytes`;
    try {
      JSON.stringify(result.json);
      printValue(result.value, true, { maxChars: 10_000 });
    } catch (error) {
      return `result unsafe for the host: ${String(error)}`;
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
