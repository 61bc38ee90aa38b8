import { describe, expect, it } from "vitest";
import { compile, equals, evaluate, fromJSON, LimitExceededError, printValue, toJSON } from "../../src/index.js";
import { parse } from "../../src/lisp/parser/parse.js";
import { compareValues } from "../../src/lisp/values/equality.js";
import { realizeDeep } from "../../src/lisp/values/realize.js";
import { keySlot, PMap, PVector, type Value } from "../../src/lisp/values/value.js";

/** A vector nested `n` deep, built directly (no program, no budget). */
function nestedVector(n: number): PVector {
  let value = PVector.EMPTY;
  for (let i = 0; i < n; i++) value = PVector.from([value]);
  return value;
}

/** The error a thunk throws, or undefined. */
function thrown(thunk: () => unknown): unknown {
  try {
    thunk();
  } catch (error) {
    return error;
  }
  return undefined;
}

interface Frame {
  readonly name: string;
  readonly line?: number;
  readonly column?: number;
}

function stackOf(result: Awaited<ReturnType<typeof evaluate>>): Frame[] {
  if (result.ok) throw new Error("expected a failure");
  return (result.error.details?.["stack"] ?? []) as Frame[];
}

describe("deep recursion", () => {
  const source = `(defn down [n]
  (if (zero? n)
    0
    (inc (down (dec n)))))
(down 1000000)`;

  it("ends with limit_exceeded carrying the Lisp stack, innermost first, at most 32 frames", async () => {
    const result = await evaluate(source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("limit_exceeded");
    expect(result.error.limit).toBe("depth");
    const stack = stackOf(result);
    expect(stack).toHaveLength(32);
    // Every innermost frame is the recursive call, at its place in the body (line 4, column 10).
    expect(stack.slice(0, 31).every((frame) => frame.name === "down" && frame.line === 4 && frame.column === 10)).toBe(
      true,
    );
    expect(result.error.span?.line).toBe(4);
  });

  it("names each function of a mutual recursion in turn", async () => {
    const result = await evaluate(
      "(declare pong)\n(defn ping [n] (pong (inc n)))\n(defn pong [n] (ping (inc n)))\n(ping 0)",
    );
    const names = stackOf(result).map((frame) => frame.name);
    expect(names.slice(0, 4)).toEqual(["ping", "pong", "ping", "pong"]);
    const lines = stackOf(result).map((frame) => frame.line);
    expect(lines.slice(0, 2)).toEqual([3, 2]);
  });

  it("is the depth limit, with a stack, when the host stack runs out first (raised limit)", async () => {
    const result = await evaluate(source, { limits: { depth: 100_000_000 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("limit_exceeded");
    expect(result.error.limit).toBe("depth");
    expect(stackOf(result).length).toBeGreaterThan(0);
    expect(stackOf(result)[0]?.name).toBe("down");
  });

  it("is not caught by try, and finally does not run on it", async () => {
    const result = await evaluate(
      "(def cleaned (atom false)) (defn f [n] (f (inc n))) (try (f 0) (catch :default e :caught) (finally (reset! cleaned true)))",
    );
    expect(!result.ok && result.error.limit).toBe("depth");
    expect(printValue(result.globals.get("cleaned") ?? null)).toBe("#object[Atom {:val false}]");
  });

  it("leaves the process able to recurse normally", async () => {
    await evaluate(source, { limits: { depth: 100_000_000 } });
    const result = await evaluate("(defn down [n] (if (zero? n) 0 (inc (down (dec n))))) (down 900)");
    expect(result.ok && result.json).toBe(900);
  });
});

describe("deep source", () => {
  it("the reader reports nesting past its limit without recursing", () => {
    const parsed = parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    expect(parsed.diagnostics[0]?.code).toBe("limit_exceeded");
  });

  it.each([
    ["lets", (n: number) => `${"(let [a 1] ".repeat(n)}a${")".repeat(n)}`, "1"],
    ["calls", (n: number) => `${"(inc ".repeat(n)}0${")".repeat(n)}`, "999"],
    ["dos", (n: number) => `${"(do ".repeat(n)}1${")".repeat(n)}`, "1"],
    ["whens", (n: number) => `${"(when true ".repeat(n)}1${")".repeat(n)}`, "1"],
    ["ifs", (n: number) => `${"(if true ".repeat(n)}1${" 2)".repeat(n)}`, "1"],
    ["vectors", (n: number) => `(count (flatten ${"[".repeat(n - 2)}1${"]".repeat(n - 2)}))`, "1"],
    ["maps", (n: number) => `(count (pr-str ${"{:a ".repeat(n - 2)}1${"}".repeat(n - 2)}))`, String(5 * 997 + 1)],
  ])("%s nested within the reader's limit analyze and run", async (_name, make, expected) => {
    const result = await evaluate(make(999));
    expect(result.ok, result.ok ? "" : result.error.message).toBe(true);
    if (result.ok) expect(printValue(result.value)).toBe(expected);
  });

  it("nesting the analyzer cannot hold is limit_exceeded, never a host exception", () => {
    for (const make of [
      (n: number) => `${"(fn [] ".repeat(n)}1${")".repeat(n)}`,
      (n: number) => `${"(cond false 1 :else ".repeat(n)}1${")".repeat(n)}`,
      (n: number) => `${"(loop [a 1] ".repeat(n)}a${")".repeat(n)}`,
    ]) {
      const result = compile(make(999));
      if (!result.ok) {
        expect(result.diagnostics[0]?.code).toBe("limit_exceeded");
        expect(result.diagnostics[0]?.limit).toBe("depth");
      }
    }
  });
});

describe("deep values", () => {
  const deep = nestedVector(100_000);
  const same = nestedVector(100_000);

  it("print, compare, order and hash at any depth without host recursion", () => {
    expect(printValue(deep).length).toBe(200_002);
    expect(printValue(deep, true, { maxChars: 10 })).toBe("[[[[[[[...");
    expect(equals(deep, same)).toBe(true);
    expect(equals(deep, nestedVector(99_999))).toBe(false);
    expect(compareValues(deep, same)).toBe(0);
    expect(keySlot(deep)).toBe(keySlot(same));
    expect(PMap.EMPTY.assoc(deep, 1).get(same)).toBe(1);
    expect(realizeDeep(deep)).toBe(deep);
  });

  it("convert from JSON at any depth, and to JSON up to a nesting limit", () => {
    const json = JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`) as unknown;
    const value = fromJSON(json) as Value;
    // 100,000 brackets: the empty innermost vector and 99,999 around it.
    expect(equals(value, nestedVector(99_999))).toBe(true);
    const error = thrown(() => toJSON(deep));
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).limit).toBe("depth");
    expect(toJSON(nestedVector(500))).toEqual(JSON.parse(`${"[".repeat(501)}${"]".repeat(501)}`));
  });

  it("in a run: printed, compared and used as keys, refused only as the JSON result", async () => {
    const build = (name: string) => `(def ${name} (loop [v [] i 0] (if (< i 100000) (recur [v] (inc i)) v)))`;
    const result = await evaluate(
      `${build("v")} ${build("w")} [(count (pr-str v)) (= v w) (get {v :found} w) (count (str v))]`,
    );
    expect(result.ok && result.json).toEqual([200_002, true, "found", 200_002]);
    const returned = await evaluate(`${build("v")} v`);
    expect(!returned.ok && returned.error.limit).toBe("depth");
  });

  it("host calls after a run are not charged to its spent budget", async () => {
    const spent = await evaluate("(loop [] (recur))");
    // Fuel runs out first on an idle machine; under load the 1 s clock can trip before it.
    expect(["fuel", "time"]).toContain(!spent.ok && spent.error.limit);
    const big = PVector.from(Array.from({ length: 100_000 }, (_, i) => PVector.from([i, `${i}`])));
    expect(keySlot(big)).toBe(keySlot(PVector.from(big.toArray())));
    expect(equals(big, PVector.from(big.toArray()))).toBe(true);
    expect(printValue(big).length).toBeGreaterThan(100_000);
    expect((toJSON(big) as unknown[]).length).toBe(100_000);
  });
});
