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
});
