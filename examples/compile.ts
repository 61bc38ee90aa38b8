// Compiles an agent once (candidates, verification on a golden sample and generated inputs,
// cost), then executes the compiled program on many inputs: the only model calls are the LLM
// tool's. Offline (the default), every model reply comes from the committed cassette
// examples/cassettes/compile.jsonl, generated from scripted replies by `npm run cassettes`.
// With OPENAI_API_KEY set (and OPENAI_BASE_URL for any OpenAI-compatible server), a real model
// answers instead (PTC_MODEL picks it, default gpt-4o-mini).
// Run it with: npx tsx examples/compile.ts
// In your own project, import from "ptc-lisp" instead of "../src/index.js".
import { fileURLToPath } from "node:url";
import { type LanguageModel, openai, replayModel } from "../src/index.js";
import { inputs, reviewsAgent, samples } from "./compile-definition.js";

const live = process.env["OPENAI_API_KEY"] !== undefined || process.env["OPENAI_BASE_URL"] !== undefined;
const model: LanguageModel = live
  ? openai({ model: process.env["PTC_MODEL"] ?? "gpt-4o-mini" })
  : replayModel({ file: fileURLToPath(new URL("./cassettes/compile.jsonl", import.meta.url)) });

let modelCalls = 0;
const counted: LanguageModel = {
  provider: model.provider,
  modelId: model.modelId,
  doGenerate: (request, options) => {
    modelCalls++;
    return model.doGenerate(request, options);
  },
};

const started = performance.now();
const compiled = await reviewsAgent(counted).compile({ samples, cache: false });
const compileMs = performance.now() - started;
console.log(live ? "model: live" : "model: replayed from examples/cassettes/compile.jsonl (scripted replies)");
console.log(
  `compiled in ${compileMs.toFixed(0)} ms with ${modelCalls} model call(s); hash ${compiled.hash.slice(0, 12)}`,
);
console.log(`program:\n${compiled.source}`);
console.log(`estimated cost: ${compiled.cost.total.toFixed(3)} (${JSON.stringify(compiled.cost.toolCalls)})`);
console.log(
  `verified: ${compiled.verification.results.map((result) => `${result.verifier} ${result.ok ? "ok" : "FAIL"}`).join(", ")}`,
);

const callsBefore = modelCalls;
const results = await compiled.executeMany(inputs, { concurrency: 2, model: counted });
for (const [i, result] of results.entries()) {
  console.log(
    `input ${i + 1}: ${result.ok ? JSON.stringify(result.json) : `[${result.error.code}] ${result.error.message}`}`,
  );
}
const reviews = inputs.reduce((sum, input) => sum + input.reviews.length, 0);
console.log(
  `executed ${inputs.length} inputs: ${modelCalls - callsBefore} model calls, all inside the LLM tool ` +
    `(one per review: ${reviews}), none to write a program`,
);
if (results.some((result) => !result.ok)) process.exitCode = 1;
