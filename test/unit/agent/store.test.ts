import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCache, writeCache } from "../../../src/agent/cache/cache.js";
import { type AgentStore, cacheFile, resolveStore } from "../../../src/agent/cache/store.js";
import { contractOf, sealArtifact } from "../../../src/agent/compile/artifact.js";
import { COMPILED_FORMAT_VERSION } from "../../../src/agent/compile/types.js";
import {
  type AgentEvent,
  defineAgent,
  fileAgentStore,
  LispError,
  loadCompiledAgent,
  memoryAgentStore,
} from "../../../src/index.js";
import { languageRevision } from "../../../src/runtime/language-reference.js";
import { scriptedModel } from "../../../src/testing/index.js";

const KEY = "e".repeat(64);
const SOURCE = "(+ data/a data/b)";

function artifact(key: string | null, source = SOURCE) {
  return sealArtifact({
    formatVersion: COMPILED_FORMAT_VERSION,
    name: "adder",
    source,
    signature: "(a :int, b :int) -> :int",
    tools: contractOf({}),
    llmRequired: false,
    key,
    model: { provider: "test", modelId: "m", params: {} },
    strategy: {},
    verification: { results: [], samples: 1, propertyRuns: 0 },
    cost: { total: 1, toolCalls: {} },
    usage: { modelCalls: 1, inputTokens: 1, outputTokens: 1, ms: 1, candidates: 1 },
    createdAt: new Date(0).toISOString(),
    library: { version: "0.1.0", languageRevision: languageRevision() },
  });
}

/** A memory store that counts its reads and writes. */
function countingStore() {
  const store = memoryAgentStore();
  const counts = { reads: 0, writes: 0 };
  const counted: AgentStore = {
    location: store.location,
    locate: (key) => store.locate(key),
    read: (key) => {
      counts.reads++;
      return store.read(key);
    },
    write: (key, text) => {
      counts.writes++;
      return store.write(key, text);
    },
  };
  return { store: counted, entries: store.entries, counts };
}

const agent = (replies: string[]) => {
  const model = scriptedModel(replies.map((source) => `\`\`\`clojure\n${source}\n\`\`\``));
  return {
    model,
    agent: defineAgent({ name: "adder", prompt: "Add {{a}} and {{b}}.", signature: "(a :int, b :int) -> :int", model }),
  };
};

describe("memoryAgentStore", () => {
  it("keeps text by key in its entries (a map of its own, or the one given)", async () => {
    const store = memoryAgentStore();
    expect(store.location).toBe("(memory)");
    expect(store.locate(KEY)).toBe(`(memory)/${KEY}.json`);
    expect(await store.read(KEY)).toBeUndefined();
    await store.write(KEY, "text");
    expect(await store.read(KEY)).toBe("text");
    expect([...store.entries]).toEqual([[KEY, "text"]]);
    const seeded = memoryAgentStore(new Map([[KEY, "seeded"]]));
    expect(await seeded.read(KEY)).toBe("seeded");
    expect(await memoryAgentStore().read(KEY)).toBeUndefined();
  });
});

describe("readCache and writeCache with a store", () => {
  it("round-trips an artifact, leaves one with the same hash alone and replaces another", async () => {
    const { store, entries, counts } = countingStore();
    const data = await artifact(KEY);
    expect(await writeCache(store, data)).toBe(`(memory)/${KEY}.json`);
    expect(await readCache(store, KEY)).toEqual(data);
    expect(JSON.parse(entries.get(KEY) as string)).toEqual(data);
    await writeCache(store, { ...data, createdAt: new Date(1000).toISOString() });
    expect(counts.writes).toBe(1);
    const changed = await artifact(KEY, "(+ data/b data/a)");
    await writeCache(store, changed);
    expect(counts.writes).toBe(2);
    expect((await readCache(store, KEY))?.hash).toBe(changed.hash);
    expect(await writeCache(store, await artifact(null))).toBeUndefined();
  });

  it("names the store's entry in what it rejects: not JSON, changed, another key, a bad key, a failing store", async () => {
    const store = memoryAgentStore(new Map([[KEY, "{ truncated"]]));
    await expect(readCache(store, KEY)).rejects.toMatchObject({
      code: "compiled_agent_invalid",
      message: expect.stringContaining(`(memory)/${KEY}.json is not JSON`),
    });
    const data = await artifact(KEY);
    store.entries.set(KEY, JSON.stringify({ ...data, source: "(- data/a data/b)" }));
    await expect(readCache(store, KEY)).rejects.toMatchObject({ message: expect.stringContaining("changed") });
    const other = "f".repeat(64);
    store.entries.set(other, JSON.stringify(data));
    await expect(readCache(store, other)).rejects.toMatchObject({ code: "compiled_agent_invalid" });
    await expect(readCache(store, "../escape")).rejects.toMatchObject({ code: "compiled_agent_invalid" });
    const failing: AgentStore = {
      ...store,
      read: async () => {
        throw new Error("the bucket is gone");
      },
    };
    await expect(readCache(failing, KEY)).rejects.toMatchObject({
      code: "compiled_agent_invalid",
      message: expect.stringContaining("cannot be read: the bucket is gone"),
    });
  });
});

describe("fileAgentStore (the main entry's default)", () => {
  it("keeps <key>.json files under its directory, one store per directory", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ptc-store-")), "agents");
    const store = fileAgentStore(dir);
    expect(fileAgentStore(dir)).toBe(store);
    expect(resolveStore(dir)).toBe(store);
    expect(store.location).toBe(dir);
    expect(store.locate(KEY)).toBe(cacheFile(dir, KEY));
    expect(await store.read(KEY)).toBeUndefined();
    await store.write(KEY, "text\n");
    expect(readdirSync(dir)).toEqual([`${KEY}.json`]);
    expect(readFileSync(cacheFile(dir, KEY), "utf8")).toBe("text\n");
    expect(resolveStore()).toBe(fileAgentStore(".ptc/agents"));
  });
});

describe("agent.compile({store})", () => {
  it("caches into the store given, hits it on the next compile, and never touches .ptc/agents", async () => {
    const { model, agent: adder } = agent([SOURCE]);
    const store = memoryAgentStore();
    const events: AgentEvent[] = [];
    const first = await adder.compile({ store, samples: [{ a: 1, b: 2 }] });
    const again = await adder.compile({ store, samples: [{ a: 1, b: 2 }], onEvent: (event) => events.push(event) });
    expect(again.hash).toBe(first.hash);
    expect(model.calls).toHaveLength(1);
    expect([...store.entries.keys()]).toEqual([first.key]);
    expect(events).toContainEqual({ type: "cache-hit", key: first.key, file: `(memory)/${first.key}.json` });
    const loaded = await loadCompiledAgent(store.entries.get(first.key as string) as string, { tools: {} });
    expect(await loaded.execute({ a: 2, b: 3 })).toMatchObject({ ok: true, json: 5 });
    expect(existsSync(join(".ptc", "agents", `${first.key}.json`))).toBe(false);
  });

  it('with cache "only", a miss names the store', async () => {
    const { agent: adder } = agent([SOURCE]);
    const error = await adder
      .compile({ store: memoryAgentStore(), cache: "only", samples: [{ a: 1, b: 2 }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LispError);
    expect((error as LispError).code).toBe("cache_miss");
    expect((error as LispError).message).toContain("under (memory)");
  });
});
