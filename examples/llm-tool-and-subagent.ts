// Runs an agent whose tools reach models themselves: `triage` is an LLM tool (one typed model
// call per use), `answer_question` is another agent (its own tools and turns) made a tool with
// `agent.asTool()`. The nested calls share the calling agent's budget: they count toward its
// `maxModelCalls` and appear in its usage.
// Offline (the default), every model reply comes from the committed cassette
// examples/cassettes/llm-tool-and-subagent.jsonl, generated from scripted replies by
// `npm run cassettes`. With OPENAI_API_KEY set (and OPENAI_BASE_URL for any OpenAI-compatible
// server), a real model answers instead (PTC_MODEL picks it, default gpt-4o-mini).
// Run it with: npx tsx examples/llm-tool-and-subagent.ts
// In your own project, import from "ptc-lisp" instead of "../src/index.js".
import { fileURLToPath } from "node:url";
import { formatDiagnostic, type LanguageModel, openai, replayModel } from "../src/index.js";
import { input, supportAgent } from "./llm-tool-and-subagent-definition.js";

const live = process.env["OPENAI_API_KEY"] !== undefined || process.env["OPENAI_BASE_URL"] !== undefined;
const model: LanguageModel = live
  ? openai({ model: process.env["PTC_MODEL"] ?? "gpt-4o-mini" })
  : replayModel({ file: fileURLToPath(new URL("./cassettes/llm-tool-and-subagent.jsonl", import.meta.url)) });

/** The same model, counting the calls made through it, so the example can say who called. */
function counted(model: LanguageModel): LanguageModel & { calls: number } {
  const wrapper = {
    provider: model.provider,
    modelId: model.modelId,
    calls: 0,
    doGenerate: (...args: Parameters<LanguageModel["doGenerate"]>) => {
      wrapper.calls++;
      return model.doGenerate(...args);
    },
  };
  return wrapper;
}

const models = { agent: counted(model), triage: counted(model), answerer: counted(model) };
const agent = supportAgent(models, { maxModelCalls: 12 });
const result = await agent.run(input, {
  onEvent: (event) => {
    if (event.type === "tool-call-end") {
      console.error(`  tool/${event.name} ${JSON.stringify(event.args)} -> ${JSON.stringify(event.result ?? null)}`);
    }
  },
});

console.log(
  live ? "model: live" : "model: replayed from examples/cassettes/llm-tool-and-subagent.jsonl (scripted replies)",
);
if (!result.ok) {
  console.error(formatDiagnostic(result.error, result.program));
  process.exit(1);
}
console.log(`program:\n${result.program}`);
for (const ticket of result.json as { id: number; topic: string; reply?: string }[]) {
  console.log(`ticket ${ticket.id} (${ticket.topic}): ${ticket.reply ?? "not urgent, no reply drafted"}`);
}
const { agent: own, triage, answerer } = models;
console.log(
  `model calls: ${own.calls} by the support agent + ${triage.calls} by the triage LLM tool + ` +
    `${answerer.calls} by the answer_question sub-agent = ${result.usage.modelCalls} in the support agent's usage ` +
    `(budget: maxModelCalls 12)`,
);
if (own.calls + triage.calls + answerer.calls !== result.usage.modelCalls) {
  console.error("the nested model calls are missing from the support agent's usage");
  process.exitCode = 1;
}

// The same run with a budget too small for the nested calls, and no model of their own (the
// LLM tool and the sub-agent then use the support agent's): the sub-agent's second run is
// refused before it calls the model, its program sees a catchable tool error, and the support
// agent, out of calls too, stops.
const tight = await supportAgent({ agent: model }, { maxModelCalls: 6 }).run(input);
const childFault = tight.turns[0]?.diagnostics.find((diagnostic) => diagnostic.code === "tool_error");
console.log(
  `with maxModelCalls 6: ok ${tight.ok}, stop reason ${tight.stopReason}, ${tight.usage.modelCalls} model calls`,
);
if (childFault !== undefined) console.log(`  turn 1: [${childFault.code}] ${childFault.message}`);
if (!tight.ok) console.log(`  turn 2: [${tight.error.code}] ${tight.error.message}`);
// A live model may need fewer calls than the scripted one and fit in 6; it can never use more.
if (tight.usage.modelCalls > 6 || (!live && tight.ok)) {
  console.error("the nested calls were not bounded by the support agent's budget");
  process.exitCode = 1;
}
