import { describe, expect, it } from "vitest";
import { evaluate, type Limits, type RunResult } from "../../src/index.js";

// Proportional budgets: a builtin charges for the work it is about to do before doing it, so a
// call over a large input fails at once under a small budget instead of doing the work first.
// The inputs come in as data (free to the program), so the charge seen is the operation's own;
// "used" in the message far above the limit shows the whole charge was made up front.

const xs = Array.from({ length: 100_000 }, (_, i) => i);
const words = Array.from({ length: 20_000 }, (_, i) => `w${i}`);
const bigMap = Object.fromEntries(words.map((word, i) => [word, i]));
const otherMap = Object.fromEntries(words.map((word, i) => [`${word}x`, i]));
const text = "x".repeat(200_000);
/** A JSON array nested 10,000 deep: cheap to pass in, costly to compare, hash or print. */
const deep = JSON.parse(`${"[".repeat(10_000)}1${"]".repeat(10_000)}`) as unknown;
const deepToo = JSON.parse(`${"[".repeat(10_000)}1${"]".repeat(10_000)}`) as unknown;

/** Equal to `text` but another string, so comparing them reads every character. */
const sameText = "x".repeat(200_000);

const data = { xs, words, m: bigMap, m2: otherMap, s: text, s2: sameText, deep, deepToo };

interface BudgetCase {
  readonly name: string;
  readonly program: string;
  /** The budget that must run out: small here, generous for the run that must succeed. */
  readonly limit: "fuel" | "memory";
  /** A charge made up front reports at least this much used. */
  readonly upFront?: number;
}

const CASES: readonly BudgetCase[] = [
  { name: "sort", program: "(sort data/xs)", limit: "fuel", upFront: 1_000_000 },
  { name: "sort-by", program: "(sort-by - data/xs)", limit: "fuel", upFront: 1_000_000 },
  { name: "sort of a lazy seq", program: "(sort (map inc data/xs))", limit: "fuel" },
  { name: "frequencies", program: "(frequencies data/words)", limit: "fuel", upFront: 20_000 },
  { name: "group-by", program: "(group-by count data/words)", limit: "fuel", upFront: 20_000 },
  { name: "distinct", program: "(count (distinct data/xs))", limit: "fuel", upFront: 100_000 },
  { name: "range", program: "(count (vec (range 1000000)))", limit: "fuel", upFront: 1_000_000 },
  { name: "eager range", program: "(count (range 100000))", limit: "fuel", upFront: 100_000 },
  { name: "repeat", program: "(count (vec (repeat 1000000 0)))", limit: "fuel", upFront: 1_000_000 },
  { name: "str of many strings", program: "(count (apply str data/words))", limit: "fuel", upFront: 20_000 },
  { name: "str doubling", program: "(count (str data/s data/s))", limit: "memory", upFront: 800_000 },
  { name: "str/join", program: '(count (clojure.string/join "," data/words))', limit: "fuel", upFront: 20_000 },
  {
    name: "str/replace growth",
    program: '(count (clojure.string/replace data/s "x" "yyyyyyyyyy"))',
    limit: "memory",
  },
  { name: "format width", program: '(count (format "%1000000s" "x"))', limit: "fuel", upFront: 62_500 },
  { name: "printing", program: "(count (pr-str data/xs))", limit: "fuel" },
  { name: "printing a deep value", program: "(count (pr-str data/deep))", limit: "fuel" },
  { name: "regex", program: '(re-find #"x+y" data/s)', limit: "fuel", upFront: 200_000 },
  { name: "regex split", program: '(count (clojure.string/split data/s #"y"))', limit: "fuel", upFront: 200_000 },
  { name: "equality of deep values", program: "(= data/deep data/deepToo)", limit: "fuel" },
  { name: "equality of long strings", program: "(= data/s data/s2)", limit: "fuel", upFront: 12_500 },
  { name: "hashing a deep key", program: "(get {[0] 1} data/deep)", limit: "fuel" },
  { name: "hashing a large key", program: "(contains? #{[0]} data/xs)", limit: "fuel" },
  { name: "merge", program: "(count (merge data/m data/m2))", limit: "fuel", upFront: 20_000 },
  { name: "into a map", program: "(count (into {} (map vector data/words data/xs)))", limit: "fuel" },
  { name: "into a vector", program: "(count (into [] data/xs))", limit: "fuel", upFront: 100_000 },
  { name: "concat", program: "(count (concat data/xs data/xs))", limit: "fuel", upFront: 200_000 },
  { name: "apply", program: "(apply + data/xs)", limit: "fuel", upFront: 100_000 },
  { name: "set", program: "(count (set data/xs))", limit: "fuel", upFront: 100_000 },
  { name: "vec", program: "(count (vec data/xs))", limit: "fuel", upFront: 100_000 },
  { name: "result conversion", program: "(vec (range 200000))", limit: "fuel" },
];

const SMALL: Record<BudgetCase["limit"], Limits> = {
  fuel: { fuel: 10_000 },
  memory: { memoryBytes: 100_000 },
};

/** The `used` figure of a limit_exceeded message ("fuel limit exceeded (used of max unit)"). */
function used(result: RunResult): number {
  if (result.ok) return 0;
  const match = /\((\d+) of \d+/.exec(result.error.message);
  return match === null ? 0 : Number(match[1]);
}

describe("proportional budgets", () => {
  it.each(CASES.map((budget) => [budget.name, budget] as const))("%s", async (_name, budget) => {
    const small = await evaluate(budget.program, { data, limits: SMALL[budget.limit] });
    expect(small.ok).toBe(false);
    if (small.ok) return;
    expect(small.error.code, small.error.message).toBe("limit_exceeded");
    expect(small.error.limit, small.error.message).toBe(budget.limit);
    if (budget.upFront !== undefined) expect(used(small), small.error.message).toBeGreaterThanOrEqual(budget.upFront);
    // The same program is legitimate: with the default budgets it succeeds.
    const roomy = await evaluate(budget.program, { data, limits: { fuel: 1e9, timeMs: 60_000 } });
    expect(roomy.ok, roomy.ok ? "" : roomy.error.message).toBe(true);
  });

  it("charges a lazy seq of known length when it is realized, not while it stays lazy", async () => {
    const lazy = await evaluate("(take 3 (map inc (range 1e9)))", { limits: { fuel: 10_000 } });
    expect(lazy.ok && lazy.json).toEqual([1, 2, 3]);
    const counted = await evaluate("(count (range 1e9))", { limits: { fuel: 10_000 } });
    expect(counted.ok && counted.json).toBe(1e9);
    const realized = await evaluate("(vec (range 1e9))", { limits: { fuel: 10_000 } });
    expect(realized.ok).toBe(false);
    expect(used(realized)).toBeGreaterThanOrEqual(1e9);
  });

  it("refuses a regex too costly to compile before compiling it, naming the problem", async () => {
    const result = await evaluate('(re-pattern (apply str (repeat 100 "a{1000}")))');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("type_error");
    expect(result.error.message).toMatch(/expands to about \d+ instructions/);
  });

  it("charges the copy when an older vector version is extended", async () => {
    const program = "(let [v (vec (range 100000)) w (conj v 0)] (count (conj v 1)))";
    const charged = await evaluate(program, { limits: { fuel: 1e9 } });
    const baseline = await evaluate("(let [v (vec (range 100000)) w (conj v 0)] (count w))", { limits: { fuel: 1e9 } });
    expect(charged.ok && baseline.ok).toBe(true);
    expect(charged.usage.allocations - baseline.usage.allocations).toBeGreaterThanOrEqual(8 * 100_000);
  });
});
