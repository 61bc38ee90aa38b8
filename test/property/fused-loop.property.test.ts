import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/index.js";
import { fusedPlan } from "../../src/lisp/analyze/fused-loop.js";
import { descendants, type LoopNode } from "../../src/lisp/analyze/ir.js";
import { lowerProgram } from "../../src/lisp/analyze/lower.js";
import { parse } from "../../src/lisp/parser/parse.js";
import { printValue } from "../../src/lisp/printer/print-value.js";

// Random loops of the fused shape against the same loop with its comparison behind `identity`,
// which the fused node does not take: the general nodes compute the same values, so both must
// give the same result, or fail with the same limit.

const NAMES = ["i", "a", "b"];

const number = fc.oneof(fc.integer({ min: -6, max: 6 }), fc.constantFrom(0.5, -0.25, -0, 1e308, Number.NaN));

function literal(value: number): string {
  if (Number.isNaN(value)) return "##NaN";
  if (Object.is(value, -0)) return "-0.0";
  return String(value);
}

/** An operand: one of the loop's names, or a number. */
const operand = (names: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: names - 1 }).map((i) => NAMES[i] as string),
    number.map(literal),
  );

/** A `recur` value: an operand, `+ - *` of two, or `inc`/`dec` of one. */
const step = (names: number) =>
  fc.oneof(
    operand(names),
    fc.tuple(fc.constantFrom("+", "-", "*"), operand(names), operand(names)).map(([op, x, y]) => `(${op} ${x} ${y})`),
    fc.tuple(fc.constantFrom("inc", "dec"), operand(names)).map(([op, x]) => `(${op} ${x})`),
  );

const loop = fc.integer({ min: 1, max: 3 }).chain((names) =>
  fc.record({
    names: fc.constant(names),
    starts: fc.array(number, { minLength: names, maxLength: names }),
    comparison: fc.constantFrom("<", ">", "<=", ">="),
    left: operand(names),
    right: operand(names),
    recurWhen: fc.boolean(),
    steps: fc.array(step(names), { minLength: names, maxLength: names }),
  }),
);

type Loop = typeof loop extends fc.Arbitrary<infer T> ? T : never;

function sourceOf(shape: Loop, hidden: boolean): string {
  const names = NAMES.slice(0, shape.names);
  const bindings = names.map((name, i) => `${name} ${literal(shape.starts[i] as number)}`).join(" ");
  const comparison = `(${shape.comparison} ${shape.left} ${shape.right})`;
  const test = hidden ? `(identity ${comparison})` : comparison;
  const recur = `(recur ${shape.steps.join(" ")})`;
  const exit = `[${names.join(" ")}]`;
  const branches = shape.recurWhen ? `${recur} ${exit}` : `${exit} ${recur}`;
  return `(loop [${bindings}] (if ${test} ${branches}))`;
}

function isFused(source: string): boolean {
  const lowered = lowerProgram(parse(source).forms);
  const loops = [...descendants(lowered.nodes)].filter((node): node is LoopNode => node.kind === "loop");
  return loops.length === 1 && fusedPlan(loops[0] as LoopNode) !== undefined;
}

describe("the fused numeric loop against the general nodes", () => {
  it("gives the same values, and fails on the same limit", async () => {
    await fc.assert(
      fc.asyncProperty(loop, async (shape) => {
        const fusedSource = sourceOf(shape, false);
        const generalSource = sourceOf(shape, true);
        expect(isFused(fusedSource)).toBe(true);
        expect(isFused(generalSource)).toBe(false);
        const limits = { fuel: 30_000 };
        const fused = await evaluate(fusedSource, { limits });
        const general = await evaluate(generalSource, { limits });
        expect(fused.ok).toBe(general.ok);
        // Printed, so that -0.0 and ##NaN count.
        if (fused.ok && general.ok) expect(printValue(fused.value)).toBe(printValue(general.value));
        if (!fused.ok && !general.ok) {
          expect(fused.error.code).toBe(general.error.code);
          expect(fused.error.limit).toBe(general.error.limit);
        }
      }),
      { numRuns: 300 },
    );
  });
});
