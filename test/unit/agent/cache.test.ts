import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CacheKeyInputs,
  cacheFile,
  cacheKey,
  DEFAULT_CACHE_DIR,
  readCache,
  withCacheLock,
  writeCache,
} from "../../../src/agent/cache/cache.js";
import { contractOf, readArtifact, sealArtifact } from "../../../src/agent/compile/artifact.js";
import { COMPILED_FORMAT_VERSION } from "../../../src/agent/compile/types.js";
import { defineTool, isFunction, LispError, type Tools } from "../../../src/index.js";
import { languageRevision } from "../../../src/runtime/language-reference.js";
import type { Verifier } from "../../../src/verify/verify.js";

function tools(overrides: Partial<Parameters<typeof defineTool>[0]> = {}): Tools {
  return {
    "list-orders": defineTool({
      name: "list-orders",
      description: "Orders with a status.",
      input: "(status :string)",
      output: "[{id :int, amount :float}]",
      effects: "read",
      execute: () => [],
      ...overrides,
    }),
  };
}

const named = (name: string): Verifier => Object.assign(() => ({ ok: true }), { verifierName: name });

function inputs(overrides: Partial<CacheKeyInputs> = {}): CacheKeyInputs {
  return {
    template: "Total of the {{status}} orders.",
    signature: "(status :string) -> :float",
    tools: contractOf(tools()),
    model: { provider: "openai", modelId: "gpt-x", params: { temperature: 0 } },
    strategy: { numCandidates: 2, maxIterations: 3, acceptCostThreshold: 10, verify: [isFunction, named("mine")] },
    samples: [{ status: "paid" }],
    ...overrides,
  };
}

describe("cacheKey", () => {
  it("is the hash of what shapes generation: these change it", async () => {
    const base = (await cacheKey(inputs())).key;
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const changes: [string, Partial<CacheKeyInputs>][] = [
      ["template", { template: "Sum of the {{status}} orders." }],
      ["signature", { signature: "(status :string) -> :int" }],
      ["a tool's signature", { tools: contractOf(tools({ input: "(status :string, limit :int?)" })) }],
      ["a tool's description", { tools: contractOf(tools({ description: "Orders by status." })) }],
      ["a tool's kind", { tools: contractOf(tools({ kind: "llm" })) }],
      ["a tool's effects", { tools: contractOf(tools({ effects: "write" })) }],
      [
        "another tool",
        { tools: { ...contractOf(tools()), other: { signature: "(...) -> :any", kind: "tool", effects: "write" } } },
      ],
      ["the model id", { model: { provider: "openai", modelId: "gpt-y", params: { temperature: 0 } } }],
      ["the provider", { model: { provider: "other", modelId: "gpt-x", params: { temperature: 0 } } }],
      ["the model params", { model: { provider: "openai", modelId: "gpt-x", params: { temperature: 0.5 } } }],
      ["a strategy number", { strategy: { ...inputs().strategy, numCandidates: 3 } }],
      ["a threshold", { strategy: { ...inputs().strategy, acceptCostThreshold: 11 } }],
      ["a verifier's name", { strategy: { ...inputs().strategy, verify: [isFunction, named("theirs")] } }],
      ["the verifiers' order", { strategy: { ...inputs().strategy, verify: [named("mine"), isFunction] } }],
      [
        "the cost function's name",
        { strategy: { ...inputs().strategy, cost: Object.assign(() => 1, { costName: "c" }) } },
      ],
      ["the samples", { samples: [{ status: "open" }] }],
      ["a golden output", { samples: [{ input: { status: "paid" }, output: 1 }] }],
    ];
    const keys = new Map<string, string | null>();
    for (const [what, change] of changes) {
      const { key, warnings } = await cacheKey(inputs(change));
      expect(warnings, what).toEqual([]);
      expect(key, what).not.toBe(base);
      keys.set(what, key);
    }
    expect(new Set(keys.values()).size).toBe(changes.length);
  });

  it("these do not change it: the tool's implementation, key order, undefined fields, the language revision", async () => {
    const base = (await cacheKey(inputs())).key;
    const same: [string, CacheKeyInputs][] = [
      ["a tool's implementation", inputs({ tools: contractOf(tools({ execute: () => [{ id: 1, amount: 2 }] })) })],
      [
        "object key order",
        {
          samples: [{ status: "paid" }],
          strategy: {
            verify: [isFunction, named("mine")],
            acceptCostThreshold: 10,
            maxIterations: 3,
            numCandidates: 2,
          },
          model: { params: { temperature: 0 }, modelId: "gpt-x", provider: "openai" },
          tools: contractOf(tools()),
          signature: "(status :string) -> :float",
          template: "Total of the {{status}} orders.",
        },
      ],
      ["an undefined strategy field", inputs({ strategy: { ...inputs().strategy, temperature: undefined } })],
      [
        "the same verifier, another instance",
        inputs({ strategy: { ...inputs().strategy, verify: [isFunction, named("mine")] } }),
      ],
    ];
    for (const [what, given] of same) expect((await cacheKey(given)).key, what).toBe(base);
    // Not an input at all: artifacts record the revision, keys do not.
    expect(Object.keys(inputs())).not.toContain("languageRevision");
    expect(languageRevision()).toMatch(/^[0-9a-f]{16}$/);
    expect(languageRevision()).toBe(languageRevision());
  });

  it("is null, with a warning naming it, for a verifier or a cost function without a stable name", async () => {
    function myCheck() {
      return { ok: true };
    }
    const verifier = await cacheKey(inputs({ strategy: { verify: myCheck } }));
    expect(verifier.key).toBeNull();
    expect(verifier.warnings).toEqual([expect.stringMatching(/verifier myCheck has no stable verifierName/)]);
    const cost = await cacheKey(inputs({ strategy: { cost: () => 1 } }));
    expect(cost.key).toBeNull();
    expect(cost.warnings[0]).toMatch(/cost function .* costName/);
    const reported = await cacheKey(inputs({ unnamed: ["a verifier without a name"] }));
    expect(reported).toEqual({ key: null, warnings: ["a verifier without a name"] });
  });
});

async function artifact(
  key: string | null,
  source = "(reduce + (map :amount (tool/list-orders {:status data/status})))",
) {
  return sealArtifact({
    formatVersion: COMPILED_FORMAT_VERSION,
    name: "paid-total",
    source,
    signature: "(status :string) -> :float",
    tools: contractOf(tools()),
    llmRequired: false,
    key,
    model: { provider: "openai", modelId: "gpt-x", params: {} },
    strategy: {},
    verification: { results: [], samples: 1, propertyRuns: 0 },
    cost: { total: 1, toolCalls: {} },
    usage: { modelCalls: 1, inputTokens: 1, outputTokens: 1, ms: 1, candidates: 1 },
    createdAt: new Date(0).toISOString(),
    library: { version: "0.1.0", languageRevision: languageRevision() },
  });
}

describe("readCache and writeCache", () => {
  let root = "";
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "ptc-cache-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writes <key>.json under the directory (created) and reads it back; a missing key is undefined", async () => {
    const dir = join(root, "a", "b");
    const key = (await cacheKey(inputs())).key as string;
    expect(await readCache(dir, key)).toBeUndefined();
    const data = await artifact(key);
    const file = await writeCache(dir, data);
    expect(file).toBe(cacheFile(dir, key));
    expect(await readCache(dir, key)).toEqual(data);
    expect(await writeCache(dir, await artifact(null))).toBeUndefined();
    expect(DEFAULT_CACHE_DIR).toBe(".ptc/agents");
  });

  it("never silently accepts a corrupt, changed or misplaced file", async () => {
    const dir = join(root, "bad");
    const key = "a".repeat(64);
    const data = await artifact(key);
    const file = (await writeCache(dir, data)) as string;
    await writeFile(file, "{ truncated");
    const corrupt = await readCache(dir, key).catch((error: unknown) => error);
    expect(corrupt).toBeInstanceOf(LispError);
    expect((corrupt as LispError).code).toBe("compiled_agent_invalid");
    expect((corrupt as LispError).message).toContain(file);

    await writeFile(file, JSON.stringify({ ...data, source: "(tool/list-orders {:status data/status})" }));
    await expect(readCache(dir, key)).rejects.toMatchObject({
      code: "compiled_agent_invalid",
      message: expect.stringContaining("the file was changed"),
    });

    const other = "b".repeat(64);
    await writeFile(cacheFile(dir, other), JSON.stringify(data));
    await expect(readCache(dir, other)).rejects.toMatchObject({ code: "compiled_agent_invalid" });
    await expect(readCache(dir, "../escape")).rejects.toMatchObject({ code: "compiled_agent_invalid" });
  });

  it("leaves a file with the same hash alone, and replaces one with another", async () => {
    const dir = join(root, "same");
    const key = "c".repeat(64);
    const first = await artifact(key);
    const file = (await writeCache(dir, first)) as string;
    const later = { ...first, createdAt: new Date(1000).toISOString() };
    await writeCache(dir, later);
    expect(JSON.parse(await readFile(file, "utf8")).createdAt).toBe(first.createdAt);
    const changed = await artifact(key, "(reduce + 0 (map :amount (tool/list-orders {:status data/status})))");
    await writeCache(dir, changed);
    expect((await readCache(dir, key))?.hash).toBe(changed.hash);
  });

  it("concurrent writes of one key leave one whole file", async () => {
    const dir = join(root, "race");
    const key = "d".repeat(64);
    const data = await artifact(key);
    await Promise.all(Array.from({ length: 8 }, () => writeCache(dir, data)));
    expect(await readdir(dir)).toEqual([`${key}.json`]);
    const read = await readArtifact(JSON.parse(await readFile(cacheFile(dir, key), "utf8")));
    expect(read.hash).toBe(data.hash);
  });
});

describe("withCacheLock", () => {
  it("shares one in-flight promise per key, and runs again once it settled", async () => {
    let runs = 0;
    const build = async () => {
      const run = ++runs;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return run;
    };
    const [a, b, c] = await Promise.all([
      withCacheLock("k", build),
      withCacheLock("k", build),
      withCacheLock("j", build),
    ]);
    expect(a).toBe(b);
    expect(runs).toBe(2);
    expect(c).not.toBe(a);
    await withCacheLock("k", build);
    expect(runs).toBe(3);
    const failing = withCacheLock("f", async () => {
      throw new Error("boom");
    });
    await expect(Promise.all([failing, withCacheLock("f", build)])).rejects.toThrow("boom");
    expect(await withCacheLock("f", async () => "again")).toBe("again");
  });
});
