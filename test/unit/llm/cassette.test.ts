import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CassetteMissError, LlmApiError } from "../../../src/errors/errors.js";
// The main entry installs Node's file system, which cassette files need.
import "../../../src/index.js";
import { cassetteModel, recordModel, replayModel, requestKey } from "../../../src/llm/cassette.js";
import { generate } from "../../../src/llm/generate.js";
import type { ModelRequest } from "../../../src/llm/language-model.js";
import { scriptedModel } from "../../../src/testing/index.js";

let directory: string;
let file: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "ptc-cassette-"));
  file = join(directory, "nested", "model.jsonl");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(directory, { recursive: true, force: true });
});

const ask = (content: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  system: "You write Lisp.",
  messages: [{ role: "user", content }],
  temperature: 0,
  ...extra,
});

describe("requestKey", () => {
  it("is the SHA-256 hex of the canonical request: property order and undefined fields do not change it", async () => {
    const key = await requestKey({ messages: [{ role: "user", content: "hi" }], temperature: 0 });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const reordered = await requestKey({
      temperature: 0,
      seed: undefined,
      messages: [{ content: "hi", role: "user" }],
    } as unknown as ModelRequest);
    expect(reordered).toBe(key);
    // sha256('{"messages":[{"content":"hi","role":"user"}],"temperature":0}')
    const { createHash } = await import("node:crypto");
    expect(key).toBe(
      createHash("sha256").update('{"messages":[{"content":"hi","role":"user"}],"temperature":0}').digest("hex"),
    );
    expect(await requestKey(ask("a"))).not.toBe(await requestKey(ask("b")));
  });
});

describe("cassettes", () => {
  it("record then replay round-trips replies; repeated identical requests come back in order, then the last repeats", async () => {
    const live = scriptedModel(["first", "second", "other"], { provider: "openai", modelId: "gpt-test" });
    const recorder = recordModel(live, { file });
    expect(recorder).toMatchObject({ provider: "openai", modelId: "gpt-test" });
    await generate(recorder, ask("same"));
    await generate(recorder, ask("same"));
    await generate(recorder, ask("different"));
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(3);
    const entry = JSON.parse(lines[0] as string);
    expect(Object.keys(entry)).toEqual(["key", "request", "reply"]);
    expect(entry.key).toBe(await requestKey(ask("same")));

    const replay = replayModel({ file });
    const texts = [];
    for (const content of ["same", "different", "same", "same"]) {
      texts.push((await generate(replay, ask(content))).reply.text);
    }
    expect(texts).toEqual(["first", "other", "second", "second"]);
    const usage = (await generate(replayModel({ file }), ask("same"))).reply.usage;
    expect(usage).toEqual(entry.reply.usage);
  });

  it("fails closed on a miss with the key and a diff naming the differing field", async () => {
    await generate(recordModel(scriptedModel(["a", "b"]), { file }), ask("sum the list"));
    await generate(recordModel(scriptedModel(["c"]), { file }), ask("something else entirely", { seed: 3 }));
    const wanted = ask("sum the list", { temperature: 0.7 });
    const error = await generate(replayModel({ file }), wanted).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CassetteMissError);
    const miss = error as CassetteMissError;
    expect(miss.code).toBe("cassette_miss");
    expect(miss.key).toBe(await requestKey(wanted));
    expect(miss.diff).toBe('- "temperature": 0\n+ "temperature": 0.7');
    expect(miss.message).toContain(miss.key);
    expect(miss.message).toContain('"temperature": 0.7');
  });

  it("keeps a long differing line's difference in view and the diff short", async () => {
    const long = "x".repeat(5000);
    await generate(recordModel(scriptedModel(["a"]), { file }), ask(`${long}A${long}`));
    const error = (await generate(replayModel({ file }), ask(`${long}B${long}`)).catch(
      (caught: unknown) => caught,
    )) as CassetteMissError;
    const lines = (error.diff ?? "").split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^- …x+Ax+…$/);
    expect(lines[1]).toMatch(/^\+ …x+Bx+…$/);
    expect(lines.every((line) => line.length < 200)).toBe(true);
  });

  it("a missing cassette misses with no diff; a corrupt one fails as model_reply_invalid", async () => {
    const error = await generate(replayModel({ file }), ask("a")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CassetteMissError);
    expect((error as CassetteMissError).diff).toBeUndefined();
    const corrupt = join(directory, "corrupt.jsonl");
    await writeFile(corrupt, '{"key":"k","request":{},"reply":{"text":"x"}}\nnot json\n');
    const bad = await generate(replayModel({ file: corrupt }), ask("a")).catch((caught: unknown) => caught);
    expect(bad).toBeInstanceOf(LlmApiError);
    expect(bad).toMatchObject({ code: "model_reply_invalid" });
    expect((bad as Error).message).toContain("line 2");
  });

  it("auto mode replays hits and records misses; without a model it fails closed", async () => {
    const live = scriptedModel(["recorded"]);
    const auto = cassetteModel(live, { file, mode: "auto" });
    expect((await generate(auto, ask("q"))).reply.text).toBe("recorded");
    expect((await generate(auto, ask("q"))).reply.text).toBe("recorded");
    const again = cassetteModel(scriptedModel([]), { file, mode: "auto" });
    expect((await generate(again, ask("q"))).reply.text).toBe("recorded");
    expect(live.calls).toHaveLength(1);
    await expect(generate(cassetteModel(undefined, { file }), ask("new"))).rejects.toBeInstanceOf(CassetteMissError);
  });

  it("record mode always calls the model; live mode leaves the cassette alone; replay never calls it", async () => {
    const live = scriptedModel(["one", "two", "three"]);
    await generate(cassetteModel(live, { file, mode: "record" }), ask("q"));
    await generate(cassetteModel(live, { file, mode: "record" }), ask("q"));
    expect(live.calls).toHaveLength(2);
    expect(cassetteModel(live, { file, mode: "live" })).toBe(live);
    const replay = cassetteModel(live, { file, mode: "replay" });
    expect((await generate(replay, ask("q"))).reply.text).toBe("one");
    await expect(generate(replay, ask("unseen"))).rejects.toBeInstanceOf(CassetteMissError);
    expect(live.calls).toHaveLength(2);
  });

  it("takes its mode from PTC_CASSETTE and refuses unknown modes", async () => {
    vi.stubEnv("PTC_CASSETTE", "replay");
    const live = scriptedModel(["never"]);
    await expect(generate(cassetteModel(live, { file }), ask("q"))).rejects.toBeInstanceOf(CassetteMissError);
    expect(live.calls).toHaveLength(0);
    vi.stubEnv("PTC_CASSETTE", "sometimes");
    expect(() => cassetteModel(live, { file })).toThrow(/cassette mode must be auto \| record \| replay \| live/);
    expect(() => cassetteModel(undefined, { file, mode: "record" })).toThrow(/model_error|a LanguageModel/);
  });

  it("concurrent recordings never interleave lines", async () => {
    const recorder = recordModel(
      scriptedModel((request) => `reply to ${request.messages[0]?.content}`),
      { file },
    );
    await Promise.all(Array.from({ length: 20 }, (_, index) => generate(recorder, ask(`q${index}`))));
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(20);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const replay = replayModel({ file });
    expect((await generate(replay, ask("q7"))).reply.text).toBe("reply to q7");
  });
});
