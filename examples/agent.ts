// Runs an agent: the model writes PTC-Lisp programs that call the tools, until one returns the
// answer. Offline (the default), the model's replies come from the committed cassette
// examples/cassettes/agent.jsonl, which `npm run cassettes` generates from scripted replies.
// With OPENAI_API_KEY set (and OPENAI_BASE_URL for any OpenAI-compatible server), a real model
// answers instead: PTC_MODEL picks it (default gpt-4o-mini).
// Run it with: npx tsx examples/agent.ts
// In your own project, import from "ptc-lisp" instead of "../src/index.js".
import { fileURLToPath } from "node:url";
import { formatDiagnostic, type LanguageModel, openai, replayModel } from "../src/index.js";
import { input, topCustomersAgent } from "./agent-definition.js";

const live = process.env["OPENAI_API_KEY"] !== undefined || process.env["OPENAI_BASE_URL"] !== undefined;
const model: LanguageModel = live
  ? openai({ model: process.env["PTC_MODEL"] ?? "gpt-4o-mini" })
  : replayModel({ file: fileURLToPath(new URL("./cassettes/agent.jsonl", import.meta.url)) });

const agent = topCustomersAgent(model);
const result = await agent.run(input, {
  onEvent: (event) => {
    if (event.type === "turn-end") console.error(`turn ${event.turn}: ${event.outcome}`);
    if (event.type === "tool-call-end") console.error(`  tool/${event.name} ${JSON.stringify(event.args)}`);
  },
});

console.log(live ? "model: live" : "model: replayed from examples/cassettes/agent.jsonl (scripted replies)");
if (result.ok) {
  console.log("answer:", JSON.stringify(result.json));
  console.log(`program (turn ${result.turns.length}):\n${result.program}`);
} else {
  console.error(formatDiagnostic(result.error, result.program));
  process.exitCode = 1;
}
const { modelCalls, inputTokens, outputTokens, toolCalls, ms, modelMs } = result.usage;
console.log(
  `usage: ${modelCalls} model calls, ${inputTokens} + ${outputTokens} tokens, ${toolCalls} tool calls, ` +
    `${ms.toFixed(1)} ms (${(ms - modelMs).toFixed(1)} ms outside the model)`,
);
