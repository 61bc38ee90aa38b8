/**
 * What executing a compiled agent costs per input, next to running the agent's loop on the same
 * input: the example agent's tools (examples/agent-definition.ts: in-process functions that
 * return at once), one program that lists the paid orders, converts each and ranks the
 * customers. `agent.run` gets the same program from a scripted model that answers at once, so
 * the difference is the loop's own work (prompt, extraction, compile, checks, events, trace).
 *
 *   node --import tsx bench/compiled-overhead.ts [--runs N]     (npm run bench:compiled)
 */
import { input, topCustomersAgent } from "../examples/agent-definition.js";
import { scriptedModel } from "../src/testing/index.js";

const runsFlag = process.argv.indexOf("--runs");
const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 2000;

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

const executeUs: number[] = [];
const runUs: number[] = [];
for (let i = 0; i < runs + 100; i++) {
  let started = performance.now();
  const executed = await compiled.execute(input);
  const a = performance.now() - started;
  started = performance.now();
  const ran = await agent.run(input);
  const b = performance.now() - started;
  if (!executed.ok || !ran.ok) throw new Error("a run failed");
  if (i >= 100) {
    executeUs.push(a * 1000);
    runUs.push((b - ran.usage.modelMs) * 1000);
  }
}
const execute = median(executeUs);
const run = median(runUs);
console.log(`runs: ${runs} (after 100 warm-up), interleaved; 6 tool calls per input (in-process, instant)`);
console.log(`compiled.execute: median ${execute.toFixed(0)} µs per input`);
console.log(`agent.run (1 turn, model time excluded): median ${run.toFixed(0)} µs per input`);
console.log(`ratio run / execute: ${(run / execute).toFixed(1)}`);
