import { describe, expect, it } from "vitest";
import { compile, LispError, type Program, printValue, type Tools, toJSON } from "../../src/index.js";

/**
 * Values kept across runs (the REPL pattern): a lazy sequence or closure made by one run and
 * used by a later one belongs to the later run. Each case was a fault before: the later run
 * asked the first for tool results and never ended, ignored `toolCalls`, failed on a spurious
 * time limit, or the host got the interpreter's internal suspension thrown from printValue.
 */

const tools: Tools = { echo: async ({ x }: Record<string, unknown>) => x };

function program(source: string, predefined: readonly string[] = []): Program {
  const compiled = compile(source, { predefined });
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join("; "));
  return compiled.program;
}

const DEFINE =
  "(def s (map #(tool/echo {:x %}) (range))) (def fin (take-while #(< % 5) s)) (def f (fn [x] (tool/echo {:x x})))";
const NAMES = ["s", "fin", "f"];

describe("values kept across runs", () => {
  it("a later run realizes a lazy global, making its tool calls itself, and ends", async () => {
    const first = await program(DEFINE).run({ tools });
    for (let round = 0; round < 3; round++) {
      const later = await program("[(vec fin) (f 7) (nth s 40)]", NAMES).run({ tools, globals: first.globals });
      expect(later.ok && printValue(later.value)).toBe("[[0 1 2 3 4] 7 40]");
      expect(later.toolCalls.length).toBeGreaterThan(0);
    }
  });

  it("the later run's toolCalls and fuel limits bound a lazy global's realization", async () => {
    const first = await program(DEFINE).run({ tools });
    const calls = await program("(nth s 500)", NAMES).run({ tools, globals: first.globals, limits: { toolCalls: 10 } });
    expect(calls.ok ? "ok" : calls.error.code).toBe("limit_exceeded");
    const fuel = await program("(nth s 5000)", NAMES).run({ tools, globals: first.globals, limits: { fuel: 2000 } });
    expect(fuel.ok ? "ok" : fuel.error.code).toBe("limit_exceeded");
  });

  it("a global kept long after its run is not charged that run's spent time", async () => {
    const first = await program(DEFINE).run({ tools, limits: { timeMs: 50 } });
    await new Promise((resolve) => setTimeout(resolve, 80));
    const later = await program("(vec fin)", NAMES).run({ tools, globals: first.globals });
    expect(later.ok && printValue(later.value)).toBe("[0 1 2 3 4]");
  });

  it("printValue and toJSON on any global outside a run throw only documented errors", async () => {
    const first = await program(`${DEFINE} (def a (atom s))`).run({ tools });
    for (const value of first.globals.values()) {
      for (const convert of [() => printValue(value), () => toJSON(value)]) {
        try {
          convert();
        } catch (error) {
          expect(error).toBeInstanceOf(LispError);
          expect(["tool_error", "limit_exceeded"]).toContain((error as LispError).code);
        }
      }
    }
  });

  it("a lazy global that failed on a limit in one run is whole again in the next", async () => {
    const first = await program("(def r (repeatedly #(tool/echo {:x 1}))) (def m (map inc (range)))").run({ tools });
    const names = ["r", "m"];
    const starved = await program("(count (take 300 r))", names).run({
      tools,
      globals: first.globals,
      limits: { toolCalls: 200 },
    });
    expect(starved.ok ? "ok" : starved.error.code).toBe("limit_exceeded");
    const fed = await program("(count (take 300 r))", names).run({ tools, globals: first.globals });
    expect(fed.ok && fed.value).toBe(300);
    const fuelless = await program("(count (take 3000 m))", names).run({
      globals: first.globals,
      limits: { fuel: 500 },
    });
    expect(fuelless.ok ? "ok" : fuelless.error.code).toBe("limit_exceeded");
    const fueled = await program("(count (take 3000 m))", names).run({ globals: first.globals });
    expect(fueled.ok && fueled.value).toBe(3000);
  });

  it("printing or converting a huge global outside a run is bounded, never a host crash", async () => {
    const first = await program('(def a (range 1e9)) (def b (repeat 1e8 "x")) 1').run();
    for (const name of ["a", "b"]) {
      const value = first.globals.get(name) ?? null;
      for (const convert of [() => printValue(value), () => toJSON(value)]) {
        expect(convert).toThrow(LispError);
      }
    }
  });
});

describe("tool results are charged to the run", () => {
  const big: Tools = { big: () => Array.from({ length: 100_000 }, (_, i) => ({ i, s: "abc" })) };

  it("results count against memoryBytes as they enter the run", async () => {
    const result = await program("(count (mapv (fn [_] (tool/big {})) (range 50)))").run({
      tools: big,
      limits: { memoryBytes: 16 * 1024 * 1024 },
    });
    expect(result.ok ? "ok" : result.error.code).toBe("limit_exceeded");
  });

  it("a sparse array's length is counted before it is copied", async () => {
    const sparse: unknown[] = [];
    sparse.length = 2 ** 32 - 1;
    const result = await program("(count (tool/sparse {}))").run({ tools: { sparse: () => sparse } });
    expect(result.ok ? "ok" : result.error.code).toBe("tool_error");
    const replayed = await program("(count (tool/sparse {}))").run({ replay: result.trace });
    expect(replayed.ok ? "ok" : replayed.error.code).toBe("tool_error");
  });
});
