// The published package as a user gets it: build, `npm pack`, install the tarball into a scratch
// project with `npm install --offline` (the dependencies come from the local npm cache, filled
// when this repository was installed), then import its entries (`ptc-lisp`, `ptc-lisp/core`,
// `ptc-lisp/testing`) from an ES module and type-check a TypeScript file against their
// declarations.
//
// The build runs in a staging copy (src/, the tsconfigs and the packaged files, with
// node_modules linked), so this test never rewrites the repository's dist/ while other tests
// spawn dist/cli/main.js.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const windows = process.platform === "win32";
const STEP_TIMEOUT_MS = 240_000;
/** Each test spawns node or tsc in the scratch project: seconds, more on a loaded machine. */
const TEST_TIMEOUT_MS = 120_000;

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function exec(command: string, args: readonly string[], cwd: string): Outcome {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    shell: windows && command === "npm",
    timeout: STEP_TIMEOUT_MS,
    env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" },
  });
  return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? String(result.error ?? "") };
}

function must(outcome: Outcome, what: string): Outcome {
  if (outcome.status !== 0) {
    throw new Error(`${what} exited with ${outcome.status}\n${outcome.stdout}\n${outcome.stderr}`);
  }
  return outcome;
}

const npmVersion = exec("npm", ["--version"], root);
const npmAvailable = npmVersion.status === 0;
const SKIP_NOTE = "npm is not available on PATH: the package test needs npm to pack and install";

interface PackInfo {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string }[];
}

let work = "";
let project = "";
let pack: PackInfo | undefined;
let installMode: "offline" | "prefer-offline" = "offline";

beforeAll(() => {
  if (!npmAvailable) return;
  work = mkdtempSync(join(tmpdir(), "ptc-package-"));

  // 1. Build in a staging copy with the project's own build script.
  const stage = join(work, "stage");
  mkdirSync(stage);
  for (const entry of [
    "package.json",
    "tsconfig.json",
    "tsconfig.build.json",
    "src",
    "scripts/bundle-chevrotain.mjs",
    "grammar",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
  ]) {
    cpSync(join(root, entry), join(stage, entry), { recursive: true });
  }
  symlinkSync(join(root, "node_modules"), join(stage, "node_modules"), windows ? "junction" : "dir");

  must(exec("npm", ["run", "build"], stage), "npm run build");

  // 2. Pack (the build is done: --ignore-scripts skips `prepare`, which would build again).
  const packed = join(work, "packed");
  mkdirSync(packed);
  const output = must(
    exec("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", packed], stage),
    "npm pack",
  );
  const [info] = JSON.parse(output.stdout) as PackInfo[];
  if (info === undefined) throw new Error(`npm pack reported nothing:\n${output.stdout}`);
  pack = info;

  // 3. Install the tarball into a scratch ES-module project, from the npm cache only.
  project = join(work, "project");
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "ptc-lisp-package-check", private: true, type: "module" }, null, 2)}\n`,
  );
  const tarball = join(packed, info.filename);
  const install = (mode: "offline" | "prefer-offline") =>
    exec("npm", ["install", `--${mode}`, "--no-audit", "--no-fund", tarball], project);
  let installed = install("offline");
  // A cache filled by `npm ci` holds the dependencies' tarballs but not always their registry
  // documents; then the first run fetches those documents once and later runs are offline.
  if (installed.status !== 0 && /ENOTCACHED/.test(installed.stderr)) {
    installMode = "prefer-offline";
    installed = install("prefer-offline");
  }
  must(installed, `npm install --${installMode}`);
}, STEP_TIMEOUT_MS * 3);

afterAll(() => {
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

describe("the npm package", () => {
  it(
    "packs the built library with its license, changelog and grammar, and no sources or tests",
    (context) => {
      if (!npmAvailable) return context.skip(SKIP_NOTE);
      if (pack === undefined) throw new Error("npm pack did not run");
      const paths = new Set(pack.files.map((file) => file.path));
      for (const path of [
        "package.json",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "grammar/ptc-lisp.ebnf",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/core.js",
        "dist/core.d.ts",
        "dist/lisp/chevrotain.js",
        "dist/lisp/chevrotain.LICENSES.txt",
        "dist/testing/index.js",
        "dist/testing/index.d.ts",
        "dist/cli/main.js",
      ]) {
        expect(paths.has(path), `${path} in the tarball`).toBe(true);
      }
      expect([...paths].filter((path) => path.startsWith("src/") || path.startsWith("test/"))).toEqual([]);
      expect(pack.unpackedSize).toBeLessThan(10 * 1024 * 1024);
      expect(["offline", "prefer-offline"]).toContain(installMode);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "installs only its runtime dependencies: Chevrotain is bundled into dist, openai is an optional peer",
    (context) => {
      if (!npmAvailable) return context.skip(SKIP_NOTE);
      const modules = join(project, "node_modules");
      for (const name of ["zod", "re2js", "fast-check"]) {
        expect(existsSync(join(modules, name, "package.json")), `${name} installed`).toBe(true);
      }
      for (const name of ["openai", "chevrotain", "lodash-es", "esbuild", "typescript", "vitest"]) {
        expect(existsSync(join(modules, name)), `${name} not installed`).toBe(false);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "works from an ES module through ptc-lisp/core: a program with data and a tool, a diagnostic, an in-memory compile cache",
    (context) => {
      if (!npmAvailable) return context.skip(SKIP_NOTE);
      writeFileSync(
        join(project, "core.mjs"),
        [
          'import { compile, evaluate, formatDiagnostic, memoryAgentStore } from "ptc-lisp/core";',
          "",
          "const run = await evaluate('(reduce + (map :price (tool/items {:kind data/kind})))', {",
          '  data: { kind: "fruit" },',
          "  tools: { items: ({ kind }) => [{ price: kind.length }, { price: 2 }] },",
          "});",
          'const bad = compile("(+ 1");',
          'const isolated = await evaluate("(+ 1 2)", { isolation: "worker" });',
          "process.stdout.write(JSON.stringify({",
          "  total: run.ok ? run.json : run.error.code,",
          "  diagnostic: bad.ok ? null : formatDiagnostic(bad.diagnostics[0], '(+ 1').split('\\n')[0],",
          "  isolated: isolated.ok ? isolated.json : isolated.error.code,",
          "  store: memoryAgentStore().location,",
          "}));",
          "",
        ].join("\n"),
      );
      const outcome = must(exec(process.execPath, ["core.mjs"], project), "node core.mjs");
      expect(JSON.parse(outcome.stdout)).toEqual({
        total: 7,
        diagnostic: expect.stringContaining("parse_error"),
        // The core entry has no worker threads: asking for them is a clear error, not a crash.
        isolated: "node_required",
        store: "(memory)",
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "works from an ES module: ptc-lisp evaluates, ptc-lisp/testing drives an agent",
    (context) => {
      if (!npmAvailable) return context.skip(SKIP_NOTE);
      writeFileSync(
        join(project, "smoke.mjs"),
        [
          'import { defineAgent, evaluate } from "ptc-lisp";',
          'import { scriptedModel } from "ptc-lisp/testing";',
          "",
          'const sum = await evaluate("(+ 1 2)");',
          "const agent = defineAgent({",
          '  name: "adder",',
          '  prompt: "Add {{a}} and {{b}}.",',
          '  signature: "(a :int, b :int) -> {total :int}",',
          '  model: scriptedModel(["```clojure\\n(return {:total (+ data/a data/b)})\\n```"]),',
          "});",
          "const run = await agent.run({ a: 2, b: 5 });",
          "process.stdout.write(JSON.stringify({",
          "  sum: sum.ok ? sum.json : sum.error.code,",
          "  answer: run.ok ? run.json : run.error.code,",
          "  stopReason: run.stopReason,",
          "  modelCalls: run.usage.modelCalls,",
          "}));",
          "",
        ].join("\n"),
      );
      const outcome = must(exec(process.execPath, ["smoke.mjs"], project), "node smoke.mjs");
      expect(JSON.parse(outcome.stdout)).toEqual({
        sum: 3,
        answer: { total: 7 },
        stopReason: "returned",
        modelCalls: 1,
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "openai() says to install the openai package when it is missing, and works once it is installed",
    (context) => {
      if (!npmAvailable) return context.skip(SKIP_NOTE);
      // A one-shot OpenAI-compatible server on 127.0.0.1, in the script's own process.
      writeFileSync(
        join(project, "adapter.mjs"),
        [
          'import { createServer } from "node:http";',
          'import { openai } from "ptc-lisp";',
          "",
          "const server = createServer((request, response) => {",
          "  request.resume();",
          '  request.on("end", () => {',
          '    response.writeHead(200, { "content-type": "application/json" });',
          "    response.end(JSON.stringify({",
          '      id: "c1", object: "chat.completion", created: 1, model: "m",',
          '      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "(+ 1 2)" } }],',
          "      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },",
          "    }));",
          "  });",
          "});",
          'await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));',
          'const baseURL = "http://127.0.0.1:" + server.address().port + "/v1";',
          'const model = openai({ model: "m", baseURL, maxRetries: 0 });',
          "let outcome;",
          "try {",
          '  const reply = await model.doGenerate({ messages: [{ role: "user", content: "hi" }] }, {});',
          "  outcome = { text: reply.text };",
          "} catch (error) {",
          "  outcome = { code: error.code, message: error.message };",
          "}",
          "server.close();",
          "process.stdout.write(JSON.stringify(outcome));",
          "",
        ].join("\n"),
      );
      const missing = must(exec(process.execPath, ["adapter.mjs"], project), "node adapter.mjs");
      expect(JSON.parse(missing.stdout)).toMatchObject({
        code: "model_error",
        message: expect.stringContaining("the openai package is not installed"),
      });
      expect(JSON.parse(missing.stdout).message).toContain("npm install openai@^6");
      must(
        exec("npm", ["install", `--${installMode}`, "--no-audit", "--no-fund", "--no-save", "openai@^6"], project),
        "npm install openai",
      );
      const working = must(exec(process.execPath, ["adapter.mjs"], project), "node adapter.mjs");
      expect(JSON.parse(working.stdout)).toEqual({ text: "(+ 1 2)" });
    },
    TEST_TIMEOUT_MS * 2,
  );

  it(
    "installs the ptc command",
    (context) => {
      if (!npmAvailable) return context.skip(SKIP_NOTE);
      const bin = join(project, "node_modules", "ptc-lisp", "dist", "cli", "main.js");
      expect(existsSync(join(project, "node_modules", ".bin", windows ? "ptc.cmd" : "ptc"))).toBe(true);
      const outcome = must(exec(process.execPath, [bin, "eval", "(+ 1 2)"], project), "ptc eval");
      expect(outcome.stdout.trim()).toBe("3");
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "type-checks a TypeScript user's file against the published declarations",
    (context) => {
      if (!npmAvailable) return context.skip(SKIP_NOTE);
      writeFileSync(
        join(project, "check.ts"),
        [
          'import { defineAgent, evaluate, fileAgentStore, type RunResult } from "ptc-lisp";',
          'import * as core from "ptc-lisp/core";',
          'import { type ScriptedModel, scriptedModel } from "ptc-lisp/testing";',
          "",
          "const store: core.AgentStore = fileAgentStore();",
          "const memory: core.MemoryAgentStore = core.memoryAgentStore();",
          "export const stores: readonly core.AgentStore[] = [store, memory];",
          'const compiled: core.CompileResult = core.compile("(+ 1 2)");',
          "export const diagnostics: readonly core.Diagnostic[] = compiled.ok ? [] : compiled.diagnostics;",
          "// The core entry has no Node-only exports.",
          "// @ts-expect-error fileAgentStore needs files: it is exported by ptc-lisp only",
          "void core.fileAgentStore;",
          "",
          'const result: RunResult = await evaluate("(+ 1 2)");',
          "export const value: unknown = result.ok ? result.json : result.error.code;",
          'const model: ScriptedModel = scriptedModel(["(return {:total 3})"]);',
          "export const agent = defineAgent({",
          '  name: "adder",',
          '  prompt: "Add {{a}} and {{b}}.",',
          '  signature: "(a :int, b :int) -> {total :int}",',
          "  model,",
          "});",
          "// The declarations are real types, not `any`: this misuse must be an error.",
          "// @ts-expect-error evaluate takes the source as a string",
          "void evaluate(42);",
          "",
        ].join("\n"),
      );
      // A strict Node project: the node types come from this repository's @types/node.
      writeFileSync(
        join(project, "tsconfig.json"),
        `${JSON.stringify(
          {
            compilerOptions: {
              target: "ES2022",
              module: "NodeNext",
              moduleResolution: "NodeNext",
              lib: ["ES2023"],
              typeRoots: [join(root, "node_modules", "@types")],
              types: ["node"],
              strict: true,
              exactOptionalPropertyTypes: true,
              noUncheckedIndexedAccess: true,
              skipLibCheck: false,
              noEmit: true,
            },
            files: ["check.ts"],
          },
          null,
          2,
        )}\n`,
      );
      const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
      const outcome = exec(process.execPath, [tsc, "-p", "tsconfig.json"], project);
      expect(outcome.status, `${outcome.stdout}${outcome.stderr}`).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
