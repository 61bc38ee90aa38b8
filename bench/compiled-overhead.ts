/**
 * What executing a compiled agent costs per input, next to running its program alone and to
 * running the agent's loop on the same input: the example agent's tools
 * (examples/agent-definition.ts: in-process functions that return at once), one program that
 * lists the paid orders, converts each and ranks the customers.
 * - `compiled.execute(input)`: the compiled agent, as a host runs it per input;
 * - `program.run({data: input, tools})`: the same program compiled once with `compile`, run with
 *   the same tools: the program's own run. The compiled agent's overhead (DESIGN section 10:
 *   ≤ 50 µs) is the median of the differences between neighbouring execute and run timings;
 * - `agent.run(input)`: the loop, the program coming from a scripted model that answers at once,
 *   so the difference is the loop's own work (prompt, extraction, compile, checks, events, trace).
 * The three are interleaved, iteration by iteration.
 *
 *   node --import tsx bench/compiled-overhead.ts [--runs N] [--json]     (npm run bench:compiled)
 */
import { input, tools, topCustomersAgent } from "../examples/agent-definition.js";
import { compile } from "../src/index.js";
import { scriptedModel } from "../src/testing/index.js";

const runsFlag = process.argv.indexOf("--runs");
const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 2000;
const json = process.argv.includes("--json");
const warmup = Math.min(100, runs);

const PROGRAM = `(let [paid (tool/list-orders {:status "paid"})
      usd (fn [o] (tool/to-usd {:amount (:amount o) :currency (:currency o)}))
      totals (reduce (fn [acc o] (update acc (:customer o) (fnil + 0) (usd o))) {} paid)]
  (->> totals
       (map (fn [[customer total]] {:customer customer :usd total}))
       (sort-by :usd >)
       (take data/limit)
       vec))`;
const reply = `\`\`\`clojure\n${PROGRAM}\n\`\`\``;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

const model = scriptedModel(() => reply);
const compiled = await topCustomersAgent(model).compile({ cache: false, samples: [input] });
const agent = topCustomersAgent(model);
const compiledProgram = compile(PROGRAM);
if (!compiledProgram.ok) throw new Error("the program does not compile");
const program = compiledProgram.program;

const executeUs: number[] = [];
const programUs: number[] = [];
const overheadUs: number[] = [];
const runUs: number[] = [];
for (let i = 0; i < runs + warmup; i++) {
  let started = performance.now();
  const executed = await compiled.execute(input);
  const a = performance.now() - started;
  started = performance.now();
  const alone = await program.run({ data: input, tools });
  const p = performance.now() - started;
  started = performance.now();
  const ran = await agent.run(input);
  const b = performance.now() - started;
  if (!executed.ok || !alone.ok || !ran.ok) throw new Error("a run failed");
  if (JSON.stringify(executed.json) !== JSON.stringify(alone.json)) throw new Error("execute and run disagree");
  if (i >= warmup) {
    executeUs.push(a * 1000);
    programUs.push(p * 1000);
    overheadUs.push((a - p) * 1000);
    runUs.push((b - ran.usage.modelMs) * 1000);
  }
}
const execute = median(executeUs);
const run = median(runUs);
if (json) {
  const figures = {
    runs,
    warmup,
    executeUs: execute,
    programRunUs: median(programUs),
    overheadUs: median(overheadUs),
    agentRunUs: run,
  };
  console.log(JSON.stringify(figures));
} else {
  console.log(`runs: ${runs} (after ${warmup} warm-up), interleaved; 6 tool calls per input (in-process, instant)`);
  console.log(`compiled.execute: median ${execute.toFixed(0)} µs per input`);
  console.log(`program.run alone: median ${median(programUs).toFixed(0)} µs per input`);
  console.log(`overhead of execute over the program's run: median ${median(overheadUs).toFixed(0)} µs`);
  console.log(`agent.run (1 turn, model time excluded): median ${run.toFixed(0)} µs per input`);
  console.log(`ratio run / execute: ${(run / execute).toFixed(1)}`);
}
