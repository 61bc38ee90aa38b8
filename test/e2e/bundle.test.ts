// `ptc-lisp/core` anywhere: esbuild bundles src/core.ts for the browser (the options of
// `npm run build:browser`), the bundle must reference no `node:` module, and it runs in a plain
// V8 context (node:vm) that has no Node global at all: no process, require, Buffer, module.
// The context gets only standard Web globals, each for a reason given below. A static walk of
// the import graph from src/core.ts backs the bundle up: no `node:` specifier, static or dynamic.

import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { build, type Metafile } from "esbuild";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { BROWSER_BUILD, bundleSize } from "../../scripts/build-browser.js";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));
/** Bundling takes seconds, more on a loaded machine. */
const BUILD_TIMEOUT_MS = 120_000;

/**
 * The Web globals the core needs, present in browsers, workers, Deno, Bun and edge runtimes
 * alike; a plain V8 context has only ECMAScript's.
 * - `performance.now()`: run budgets measure time with it (a budget exists from load on).
 * - `setTimeout`/`clearTimeout`: tool and model timeouts, retry backoff; fast-check keeps its
 *   own references to them when it loads.
 * - `AbortController`/`AbortSignal`: each tool call and model call gets a signal.
 * - `TextEncoder` and `crypto.subtle`: SHA-256 of cache keys and cassette keys (agent compile).
 */
const WEB_GLOBALS = {
  performance: { now: () => performance.now() },
  setTimeout,
  clearTimeout,
  AbortController,
  AbortSignal,
  TextEncoder,
  crypto: { subtle: globalThis.crypto.subtle },
};

let code = "";
let metafile: Metafile | undefined;
let context: vm.Context;

/** Runs `body` (the text of an async function body, `ptc` being the bundle's exports) in the context; its result as JSON. */
async function inContext(body: string): Promise<unknown> {
  const text = await vm.runInContext(`(async () => { ${body} })().then((value) => JSON.stringify(value))`, context);
  return JSON.parse(text as string);
}

beforeAll(async () => {
  const result = await build({ ...BROWSER_BUILD, format: "iife", globalName: "ptc", write: false, metafile: true });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild built nothing");
  code = output.text;
  metafile = result.metafile;
  context = vm.createContext({ ...WEB_GLOBALS });
  vm.runInContext(code, context, { filename: "ptc-lisp.core.js" });
}, BUILD_TIMEOUT_MS);

describe("the ptc-lisp/core bundle for the browser", () => {
  it("references no node: module, and imports nothing but the optional openai package", () => {
    const inputs = Object.keys(metafile?.inputs ?? {});
    expect(inputs.filter((path) => path.startsWith("node:"))).toEqual([]);
    const imports = Object.values(metafile?.outputs ?? {}).flatMap((output) => output.imports);
    expect(imports.filter((each) => each.external).map((each) => each.path)).toEqual(["openai"]);
    expect(code).not.toMatch(/["'`]node:[a-z]/);
    expect(inputs.some((path) => path.endsWith("src/runtime/worker-pool.ts"))).toBe(false);
    expect(inputs.some((path) => path.endsWith("src/internal/node-files.ts"))).toBe(false);
  });

  it("stays within its size (minified, gzipped)", () => {
    const size = bundleSize(code);
    expect(size.minified).toBeLessThan(2 * 1024 * 1024);
    expect(size.gzip).toBeLessThan(512 * 1024);
  });

  it("runs in a V8 context without Node's globals: a program with data and a tool", async () => {
    const result = await inContext(`
      const absent = ["process", "require", "Buffer", "module", "global", "setImmediate"]
        .filter((name) => typeof globalThis[name] !== "undefined");
      const run = await ptc.evaluate("(reduce + (map :price (tool/items {:kind data/kind})))", {
        data: { kind: "fruit" },
        tools: { items: ({ kind }) => [{ price: kind.length }, { price: 2 }] },
      });
      const program = ptc.compileOrThrow("(str (count data/xs) \\" items\\")", { signature: "(xs [:int]) -> :string" });
      const again = await program.run({ data: { xs: [1, 2, 3] } });
      return { absent, value: run.ok ? run.json : run.error, calls: run.trace.length, again: again.json };
    `);
    expect(result).toEqual({ absent: [], value: 7, calls: 1, again: "3 items" });
  });

  it("reports a bad program as diagnostics, formatted with a caret", async () => {
    const result = await inContext(`
      const source = "(let [x 1]\\n  (+ x y))";
      const compiled = ptc.compile(source);
      return compiled.ok ? "compiled" : compiled.diagnostics.map((each) => ptc.formatDiagnostic(each, source));
    `);
    expect(result).toEqual([expect.stringMatching(/^error \[unbound_symbol\] at line 2, column 8: .*\n.*\n\s+\^/)]);
  });

  it("runs an agent and compiles one into a memory store with an in-memory model, then executes it", async () => {
    const result = await inContext(`
      const calls = [];
      const model = {
        provider: "test",
        modelId: "in-memory",
        doGenerate: async (request) => {
          calls.push(request.messages.length);
          return {
            text: "\`\`\`clojure\\n(return {:total (+ data/a data/b)})\\n\`\`\`",
            usage: { inputTokens: 10, outputTokens: 10 },
            finishReason: "stop",
          };
        },
      };
      const agent = ptc.defineAgent({
        name: "adder",
        prompt: "Add {{a}} and {{b}}.",
        signature: "(a :int, b :int) -> {total :int}",
        model,
      });
      const run = await agent.run({ a: 2, b: 5 });
      const store = ptc.memoryAgentStore();
      const compiled = await agent.compile({ store, samples: [{ a: 1, b: 2 }] });
      const cached = await agent.compile({ store, samples: [{ a: 1, b: 2 }] });
      const executed = await compiled.execute({ a: 3, b: 4 });
      return {
        run: run.ok ? run.json : run.error,
        executed: executed.ok ? executed.json : executed.error,
        stored: [...store.entries.keys()].length,
        sameProgram: cached.hash === compiled.hash,
        modelCalls: calls.length,
      };
    `);
    expect(result).toEqual({ run: { total: 7 }, executed: { total: 7 }, stored: 1, sameProgram: true, modelCalls: 2 });
  });

  it("answers what needs Node with node_required: worker isolation, files, cassette files", async () => {
    const result = await inContext(`
      const isolated = await ptc.evaluate("(+ 1 2)", { isolation: "worker" });
      const code = (promise) => promise.then(() => "resolved", (error) => error.code);
      const cassette = ptc.replayModel({ file: "cassettes/model.jsonl" });
      const request = { system: "s", messages: [{ role: "user", content: "q" }] };
      const memory = ptc.memoryCassette();
      const recorded = ptc.recordModel({ provider: "p", modelId: "m", doGenerate: async () => ({
        text: "(+ 1 2)", usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" }) }, { store: memory });
      await recorded.doGenerate(request, {});
      const replayed = await ptc.replayModel({ store: ptc.memoryCassette(memory.text()) }).doGenerate(request, {});
      return {
        isolation: isolated.ok ? "ran" : [isolated.error.code, isolated.error.phase],
        load: await code(ptc.loadCompiledAgent("agent.json", { tools: {} })),
        cassetteFile: await code(cassette.doGenerate(request, {})),
        memoryCassette: replayed.text,
      };
    `);
    expect(result).toEqual({
      isolation: ["node_required", "limit"],
      load: "node_required",
      cassetteFile: "node_required",
      memoryCassette: "(+ 1 2)",
    });
  });
});

/**
 * Every module specifier a file names: import/export-from, side-effect and dynamic imports
 * (TypeScript's own pre-processing scanner, which skips comments and strings).
 */
function specifiersOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** `zod` of `zod/v4`, `@scope/name` of `@scope/name/sub`; `node:x` as it is. */
function packageOf(specifier: string): string {
  if (specifier.startsWith("node:")) return specifier;
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

/** The modules reachable from `entry`: files of src/ and the packages they import (with a file importing each). */
function importGraph(entry: string): { files: Set<string>; bare: Map<string, string> } {
  const files = new Set<string>();
  const bare = new Map<string, string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of specifiersOf(readFileSync(file, "utf8"))) {
      if (!specifier.startsWith(".")) {
        if (!bare.has(packageOf(specifier))) bare.set(packageOf(specifier), relative(SRC, file));
        continue;
      }
      const target = resolve(dirname(file), specifier.replace(/\.js$/, ".ts"));
      if (!existsSync(target)) throw new Error(`${relative(SRC, file)} imports ${specifier}, which is not in src/`);
      pending.push(target);
    }
  }
  return { files, bare };
}

describe("the import graph of src/core.ts", () => {
  const core = importGraph(join(SRC, "core.ts"));

  it("reaches no node: module and no Node built-in, statically or dynamically", () => {
    const builtins = new Set(builtinModules);
    const nodeOnly = [...core.bare].filter(([specifier]) => specifier.startsWith("node:") || builtins.has(specifier));
    expect(nodeOnly.map(([specifier, file]) => `${file}: ${specifier}`)).toEqual([]);
    expect([...core.bare.keys()].sort()).toEqual(["chevrotain", "fast-check", "openai", "re2js", "zod"]);
  });

  it("finds what the main entry adds (the check itself works)", () => {
    const main = importGraph(join(SRC, "index.ts"));
    expect([...main.bare.keys()]).toEqual(expect.arrayContaining(["node:worker_threads", "node:fs/promises"]));
    expect(main.files.size).toBeGreaterThan(core.files.size);
    expect(specifiersOf('import a from "x";\nimport "y";\nexport { b } from "z";\nawait import("w");')).toEqual([
      "x",
      "y",
      "z",
      "w",
    ]);
  });
});
