// Records an agent run and replays it deterministically, two ways:
// - a cassette: `recordModel` writes every model request and reply to a JSONL file, and
//   `replayModel` answers from it, so the agent runs again (its programs and tools too) with no
//   model call; a request the cassette does not hold fails closed with `cassette_miss`;
// - the run's trace: `result.trace` is plain JSON holding every model call and tool call, and
//   `agent.run(input, { replay: trace })` runs again with neither the model nor the tools.
// Offline (the default), the run being recorded is answered by a scripted model (the replies in
// examples/agent-definition.ts). With OPENAI_API_KEY set (and OPENAI_BASE_URL for any
// OpenAI-compatible server), a real model answers it instead (PTC_MODEL picks it, default
// gpt-4o-mini); the replays never call it.
// In a test suite, `cassetteModel(model, { file })` does all of this by mode, read from
// PTC_CASSETTE (auto, record, replay or live): see docs/models.md.
// Run it with: npx tsx examples/replay.ts
// In your own project, import from "ptc-lisp" instead of "../src/index.js".
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AgentResult,
  type AgentTrace,
  type LanguageModel,
  openai,
  recordModel,
  replayModel,
} from "../src/index.js";
import { scriptedModel } from "../src/testing/index.js";
import { input, scriptedReplies, topCustomersAgent } from "./agent-definition.js";

const live = process.env["OPENAI_API_KEY"] !== undefined || process.env["OPENAI_BASE_URL"] !== undefined;

/** A model that counts its calls: the one that answers the recorded run. */
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

let broken = false;
const mustHold = (holds: boolean, what: string) => {
  if (!holds) {
    console.error(`unexpected: ${what}`);
    broken = true;
  }
};
const answer = (result: AgentResult) =>
  result.ok ? JSON.stringify(result.json) : `[${result.error.code}] ${result.error.message}`;

const directory = await mkdtemp(join(tmpdir(), "ptc-replay-"));
const cassette = join(directory, "top-customers.jsonl");
try {
  // 1. Record: every successful model call appends one line {key, request, reply} to the file.
  const source = counted(
    live ? openai({ model: process.env["PTC_MODEL"] ?? "gpt-4o-mini" }) : scriptedModel(scriptedReplies),
  );
  const recorded = await topCustomersAgent(recordModel(source, { file: cassette })).run(input);
  const lines = (await readFile(cassette, "utf8")).split("\n").filter((line) => line !== "");
  console.log(live ? "model: live" : "model: scripted (the replies in examples/agent-definition.ts)");
  console.log(`1. recorded: ${answer(recorded)}`);
  console.log(`   ${source.calls} model calls, ${lines.length} cassette entries written (to a temporary file)`);
  mustHold(recorded.ok, "the recorded run failed");

  // 2. Replay the cassette: the agent runs again, its programs and tools too, but each model
  //    request is answered from the file by its key (the SHA-256 of the request).
  const callsBefore = source.calls;
  const fromCassette = await topCustomersAgent(replayModel({ file: cassette })).run(input);
  console.log(`2. replayed from the cassette: ${answer(fromCassette)}`);
  console.log(
    `   ${fromCassette.usage.modelCalls} model calls answered from the file, ${source.calls - callsBefore} live, ` +
      `${fromCassette.usage.toolCalls} tool calls run again`,
  );
  mustHold(answer(fromCassette) === answer(recorded), "the cassette replay gave another answer");
  mustHold(fromCassette.program === recorded.program, "the cassette replay ran another program");
  mustHold(source.calls === callsBefore, "the cassette replay called the model");

  // 3. Replay the trace: stored as JSON and read back, it answers the model calls and the tool
  //    calls, so nothing outside the sandbox runs. Tool events say `replayed`.
  const traceFile = join(directory, "trace.json");
  await writeFile(traceFile, JSON.stringify(recorded.trace));
  const trace = JSON.parse(await readFile(traceFile, "utf8")) as AgentTrace;
  let replayedTools = 0;
  const fromTrace = await topCustomersAgent(source).run(input, {
    replay: trace,
    onEvent: (event) => {
      if (event.type === "tool-call-end" && event.replayed) replayedTools++;
    },
  });
  console.log(
    `3. replayed from the trace (${trace.model.length} model calls, ${trace.tools.length} tool calls): ${answer(fromTrace)}`,
  );
  console.log(`   ${source.calls - callsBefore} live model calls, ${replayedTools} tool results taken from the trace`);
  mustHold(answer(fromTrace) === answer(recorded), "the trace replay gave another answer");
  mustHold(source.calls === callsBefore && replayedTools === trace.tools.length, "the trace replay called out");

  // 4. A miss: another input changes the first request (the mission names the limit), which the
  //    cassette does not hold. The replay fails closed, naming the request's key and how it
  //    differs from the nearest recorded request, instead of calling a model.
  const missed = await topCustomersAgent(replayModel({ file: cassette })).run({ limit: 2 });
  console.log(`4. another input on the same cassette: ok ${missed.ok}, stop reason ${missed.stopReason}`);
  if (!missed.ok) console.log(`   [${missed.error.code}] ${missed.error.message.replaceAll("\n", "\n   ")}`);
  mustHold(!missed.ok && missed.error.code === "cassette_miss", "the changed request did not miss the cassette");
} finally {
  await rm(directory, { recursive: true, force: true });
}
if (broken) process.exitCode = 1;
