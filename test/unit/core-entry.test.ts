// ptc-lisp/core on its own, as a browser or edge runtime gets it: this file imports src/core.ts
// and never the main entry, so neither worker isolation nor a file system is installed (vitest
// gives each test file its own modules). What needs Node fails with node_required; the rest
// works, with compiled agents cached in one memory store by default.
import { describe, expect, it } from "vitest";
import * as core from "../../src/core.js";
import { scriptedModel } from "../../src/testing/index.js";

const request = { system: "s", messages: [{ role: "user" as const, content: "q" }] };

function adder() {
  const model = scriptedModel(["```clojure\n(+ data/a data/b)\n```"]);
  const agent = core.defineAgent({
    name: "core-adder",
    prompt: "Add {{a}} and {{b}}.",
    signature: "(a :int, b :int) -> :int",
    model,
  });
  return { model, agent };
}

describe("ptc-lisp/core without Node's modules", () => {
  it("has no Node-only exports", () => {
    expect(Object.keys(core)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(fileAgentStore|closeWorkerPool|configureWorkerPool)$/)]),
    );
    expect(core.ERROR_CODES).toContain("node_required");
  });

  it("answers worker isolation with a failed run (node_required), never a crash", async () => {
    const run = await core.evaluate("(+ 1 2)", { isolation: "worker" });
    expect(run.ok).toBe(false);
    expect(run.ok ? undefined : run.error).toMatchObject({
      code: "node_required",
      phase: "limit",
      message: expect.stringContaining('import from "ptc-lisp"'),
    });
    expect(await core.evaluate("(+ 1 2)", { isolation: "none" })).toMatchObject({ ok: true, json: 3 });
  });

  it("caches compiled agents in one memory store by default; a cache directory needs Node", async () => {
    const { model, agent } = adder();
    const first = await agent.compile({ samples: [{ a: 1, b: 2 }] });
    const again = await agent.compile({ samples: [{ a: 1, b: 2 }] });
    expect(again.hash).toBe(first.hash);
    expect(model.calls).toHaveLength(1);
    await expect(agent.compile({ cacheDir: "agents", samples: [{ a: 1, b: 2 }] })).rejects.toMatchObject({
      code: "node_required",
      phase: "agent",
      message: expect.stringContaining('the compile cache directory "agents" needs a file system'),
    });
    // Without the cache, the directory is never opened.
    const uncached = await adder().agent.compile({ cacheDir: "agents", cache: false, samples: [{ a: 1, b: 2 }] });
    expect(uncached.hash).toBe(first.hash);
  });

  it("loads and saves artifacts as data; paths are node_required", async () => {
    const { agent } = adder();
    const compiled = await agent.compile({ store: core.memoryAgentStore(), samples: [{ a: 1, b: 2 }] });
    const loaded = await core.loadCompiledAgent(JSON.stringify(compiled.toJSON()), { tools: {} });
    expect(await loaded.execute({ a: 4, b: 5 })).toMatchObject({ ok: true, json: 9 });
    await expect(core.loadCompiledAgent("agent.json", { tools: {} })).rejects.toMatchObject({ code: "node_required" });
    await expect(compiled.save("agent.json")).rejects.toMatchObject({
      code: "node_required",
      message: expect.stringContaining("compiled.toJSON()"),
    });
  });

  it("records and replays cassettes in memory; cassette files are node_required", async () => {
    const cassette = core.memoryCassette();
    const recorder = core.recordModel(scriptedModel(["(+ 1 2)"]), { store: cassette });
    await recorder.doGenerate(request, {});
    expect(cassette.text().split("\n").filter(Boolean)).toHaveLength(1);
    const replay = core.replayModel({ store: core.memoryCassette(cassette.text()) });
    expect((await replay.doGenerate(request, {})).text).toBe("(+ 1 2)");
    await expect(replay.doGenerate({ ...request, system: "other" }, {})).rejects.toBeInstanceOf(core.CassetteMissError);
    await expect(core.replayModel({ file: "model.jsonl" }).doGenerate(request, {})).rejects.toMatchObject({
      code: "node_required",
      phase: "llm",
    });
  });
});
