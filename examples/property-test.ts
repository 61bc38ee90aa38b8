// Property-tests PTC-Lisp programs against their signature: inputs are generated from the
// signature with fast-check, the program runs on each, and a failure is shrunk to a smallest
// counterexample. First with the library's `propertyCheck` verifier (does every run succeed and
// return a value of the output type?), then with fast-check directly, for an invariant a type
// cannot state (are these really the n largest orders?). Offline: no model is involved.
// Run it with: npx tsx examples/property-test.ts
// In your own project, import from "ptc-lisp" instead of "../src/index.js".
import fc from "fast-check";
import { arbitrary, compileOrThrow, type Program, propertyCheck, verify } from "../src/index.js";

/** The contract: the `n` largest orders (amounts in cents), largest first. */
const signature = "(orders [{id :int, amount :int}], n :int) -> [{id :int, amount :int}]";

/** Three programs a model might write for it. */
const programs = {
  // Fails whenever n is negative or larger than the number of orders.
  crashes: "(subvec (vec (sort-by :amount > data/orders)) 0 data/n)",
  // Well-typed, but sorts the wrong way: the n smallest orders.
  "wrong order": "(vec (take data/n (sort-by :amount data/orders)))",
  fixed: "(vec (take data/n (sort-by :amount > data/orders)))",
};
type Name = keyof typeof programs;

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
let broken = false;
const mustHold = (holds: boolean, what: string) => {
  if (!holds) {
    console.error(`unexpected: ${what}`);
    broken = true;
  }
};

// 1. `propertyCheck` generates inputs from the signature's parameters (fixed seed, so the run
//    is reproducible), runs the program on each, and fails with the shrunk input when a run
//    fails or its value does not validate against the output type.
console.log(`signature: ${signature}`);
console.log("1. propertyCheck (inputs generated from the signature, output validated against it):");
const verdicts = new Map<Name, boolean>();
for (const [name, source] of Object.entries(programs) as [Name, string][]) {
  const report = await verify(source, [propertyCheck({ runs: 100, seed: 1 })], { signature });
  verdicts.set(name, report.ok);
  const [failure] = report.failures;
  if (failure === undefined) {
    console.log(`  ${name}: ok`);
  } else {
    const { runs, shrinks } = failure.details as { runs: number; shrinks: number };
    console.log(
      `  ${name}: FAIL after ${count(runs, "run")} and ${count(shrinks, "shrink")}: [${failure.code}] ${failure.message}`,
    );
  }
}
console.log("  (the wrong order passes: its output has the right type; only an invariant can tell)");
mustHold(verdicts.get("crashes") === false, "propertyCheck passed the program that crashes");
mustHold(verdicts.get("wrong order") === true, "propertyCheck failed the well-typed program");
mustHold(verdicts.get("fixed") === true, "propertyCheck failed the fixed program");

// 2. fast-check directly, for an invariant. `arbitrary(type)` generates values of a signature
//    type and mixes with fast-check's own arbitraries: here n stays small so that it often
//    cuts the list. The property compiles nothing per input: one Program, many runs.
console.log("2. fast-check directly (invariant: the n largest amounts, largest first):");
const inputs = fc.record({ orders: arbitrary("[{id :int, amount :int}]"), n: fc.nat(6) });
type Order = { id: number; amount: number };

/** Runs a compiled program on one input: the amounts it returned, and the amounts it should have. */
async function amounts(program: Program, input: { orders: Order[]; n: number }) {
  const result = await program.run({ data: input });
  if (!result.ok) throw new Error(`[${result.error.code}] ${result.error.message}`);
  const got = (result.json as Order[]).map((order) => order.amount);
  const want = input.orders
    .map((order) => order.amount)
    .sort((a, b) => b - a)
    .slice(0, input.n);
  return { got: JSON.stringify(got), want: JSON.stringify(want) };
}

/** The invariant as a fast-check property of a program (compiled once, run on every input). */
function largestFirst(source: string) {
  const program = compileOrThrow(source, { signature });
  return fc.asyncProperty(inputs, async (input) => {
    const { got, want } = await amounts(program, input as { orders: Order[]; n: number });
    return got === want;
  });
}

// `fc.check` reports instead of throwing: the shrunk counterexample, and how it was found.
const found = await fc.check(largestFirst(programs["wrong order"]), { numRuns: 200, seed: 42 });
if (found.failed && found.counterexample !== null) {
  const [counterexample] = found.counterexample as [{ orders: Order[]; n: number }];
  const { got, want } = await amounts(compileOrThrow(programs["wrong order"], { signature }), counterexample);
  console.log(
    `  wrong order: FAIL after ${count(found.numRuns, "run")} and ${count(found.numShrinks, "shrink")}, on ${JSON.stringify(counterexample)}: ` +
      `amounts ${got}, expected ${want}`,
  );
}
mustHold(found.failed, "the invariant held for the program that sorts the wrong way");

// `fc.assert` is what a test calls: it throws, with the shrunk counterexample, on a failure.
try {
  await fc.assert(largestFirst(programs.fixed), { numRuns: 200, seed: 42 });
  console.log("  fixed: ok, the invariant held on 200 generated inputs");
} catch (error) {
  mustHold(false, `the fixed program failed: ${error instanceof Error ? error.message : String(error)}`);
}

if (broken) process.exitCode = 1;
