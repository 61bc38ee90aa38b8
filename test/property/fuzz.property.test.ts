import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/index.js";
import {
  aliasingCase,
  checkCase,
  describeCase,
  type FuzzCase,
  globalsCase,
  LIMITS,
  program,
  rawText,
  sizeCase,
  toolCase,
  violation,
} from "./fuzz-programs.js";

// The sandbox's promise, fuzzed: whatever the program, `evaluate` resolves (never throws),
// within a small factor of its time budget and within its fuel, to `ok: true` or a diagnostic
// with a documented code; results are safe for the host to print and serialize, and no shared
// prototype changes. A short run here; scripts/fuzz-campaign.ts runs the long campaign.
// The families with their own promises (aliasing, tool calls, globals across runs, result size)
// get a few cases each, with the probes: tool results charged to memory, and no failure kept by a
// value from an earlier run.

async function holds(fuzzCase: FuzzCase): Promise<void> {
  const report = await checkCase(fuzzCase, undefined, { staleFailures: true });
  expect(report.violation, describeCase(fuzzCase)).toBeUndefined();
}

describe("fuzzing the sandbox", () => {
  it("generated programs: evaluate never throws, stays within its budgets, and reports documented codes", async () => {
    await fc.assert(
      fc.asyncProperty(program(), async (source) => {
        const broken = await violation(source);
        expect(broken, source).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it("random text and mutated programs: the same", async () => {
    await fc.assert(
      fc.asyncProperty(rawText(), async (source) => {
        const broken = await violation(source);
        expect(broken, JSON.stringify(source)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it("aliasing: a collection combined with itself gives what an equal copy gives, and stays unchanged", async () => {
    await fc.assert(fc.asyncProperty(aliasingCase(), holds), { numRuns: 80 });
  });

  it("tool calls: odd throws, deep, large and odd results, colliding keys; failures are catchable tool errors", async () => {
    await fc.assert(fc.asyncProperty(toolCase({ probes: true }), holds), { numRuns: 60 });
  });

  it("globals across runs: lazy sequences and closures that call tools, realized by a later run", async () => {
    await fc.assert(fc.asyncProperty(globalsCase(), holds), { numRuns: 25 });
  });

  it("result size: one large string many times is charged per copy and stops on memory", async () => {
    await fc.assert(fc.asyncProperty(sizeCase(LIMITS.memoryBytes), holds), { numRuns: 25 });
    await holds({
      family: "size",
      source: '(let [s (apply str (repeat 100000 "x"))] (vec (repeat 1000 s)))',
      expect: { kind: "limit", limit: "memory" },
    });
  });

  it("split on a literal string (by indexOf) agrees with split on the same string as a regex", async () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", ",", ";"), maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.constantFrom(",", ";", ",,", "a,", "ab"),
        fc.integer({ min: -2, max: 4 }),
        async (s, separator, limit) => {
          const quoted = separator.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          const literal = await evaluate("(clojure.string/split data/s data/sep data/limit)", {
            data: { s, sep: separator, limit },
          });
          const regex = await evaluate("(clojure.string/split data/s (re-pattern data/sep) data/limit)", {
            data: { s, sep: quoted, limit },
          });
          expect(literal.ok && literal.json).toEqual(regex.ok && regex.json);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the checks catch what they promise to catch", async () => {
    expect(await violation("(+ 1 2)")).toBeUndefined();
    expect(await violation("(loop [] (recur))")).toBeUndefined();
    expect(await violation("(unknown-fn 1)")).toBeUndefined();
  });
});
