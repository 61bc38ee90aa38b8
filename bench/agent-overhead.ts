/**
 * What an agent run costs next to its model calls: the example agent (examples/agent-definition.ts,
 * six tool calls over two turns) run many times on a scripted model that answers at once, so
 * all the time measured is the library's: prompt assembly, extraction, compiling, running the
 * programs and their tool calls, events and the trace.
 *
 *   node --import tsx bench/agent-overhead.ts [--runs N]     (npm run bench:agent)
 *
 * Prints the median and the 90th percentile of milliseconds per turn (the run's wall time less
 * the time inside the model), the system prompt's size and the first prompt's token estimate.
 */
import { input, scriptedReplies, topCustomersAgent } from "../examples/agent-definition.js";
import { scriptedModel } from "../src/testing/index.js";

const runsFlag = process.argv.indexOf("--runs");
const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 300;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

const perTurn: number[] = [];
const warmup = 20;
for (let i = 0; i < runs + warmup; i++) {
  const agent = topCustomersAgent(scriptedModel(scriptedReplies));
  const result = await agent.run(input);
  if (!result.ok) throw new Error(`the scripted run failed: ${result.error.message}`);
  if (i >= warmup) perTurn.push((result.usage.ms - result.usage.modelMs) / result.turns.length);
}
perTurn.sort((a, b) => a - b);
const preview = topCustomersAgent(scriptedModel([])).previewPrompt(input);
console.log(`runs: ${runs} (after ${warmup} warm-up), turns per run: ${scriptedReplies.length}`);
console.log(
  `ms per turn outside the model: median ${percentile(perTurn, 0.5).toFixed(2)}, p90 ${percentile(perTurn, 0.9).toFixed(2)}`,
);
console.log(`system prompt: ${preview.system.length} characters`);
console.log(
  `first prompt: ${preview.totalTokens} estimated tokens (${preview.sections.map((s) => `${s.name} ${s.tokens}`).join(", ")})`,
);
