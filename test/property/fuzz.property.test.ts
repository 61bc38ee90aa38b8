import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/index.js";
import { program, rawText, violation } from "./fuzz-programs.js";

// The sandbox's promise, fuzzed: whatever the program, `evaluate` resolves (never throws),
// within a small factor of its time budget and within its fuel, to `ok: true` or a diagnostic
// with a documented code; results are safe for the host to print and serialize, and no shared
// prototype changes. A short run here; scripts/fuzz-campaign.ts runs the long campaign.

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
