import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { progressReporter } from "../../../src/cli/agent/progress.js";
import { DEMO_PROGRAMS } from "../../fixtures/demo-cassette.js";
import { cli } from "./harness.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const demo = join(root, "examples/demo/agent.mjs");
const cassette = join(root, "examples/demo/cassette.jsonl");
const inputs = join(root, "examples/demo/inputs.json");

let directory: string;
let cacheDir: string;
/** An agent module with its own scripted model: the first program misspells a function, the second answers. */
let scripted: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "ptc-agent-cli-"));
  cacheDir = join(directory, "cache");
  scripted = join(directory, "scripted.mjs");
  const src = (path: string) => JSON.stringify(pathToFileURL(join(root, path)).href);
  writeFileSync(
    scripted,
    `import { defineAgent } from ${src("src/index.ts")};
import { scriptedModel } from ${src("src/testing/index.ts")};
export default defineAgent({
  name: "doubler",
  prompt: "Double every number of {{xs}}.",
  signature: "(xs [:int]) -> [:int]",
  model: scriptedModel((request) => {
    const turn = request.messages.filter((message) => message.role === "assistant").length;
    return turn === 0 ? "(mapv dubble data/xs)" : "(return (mapv #(* 2 %) data/xs))";
  }),
});
export const samples = [{ input: { xs: [1, 2] }, output: [2, 4] }];
`,
  );
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

const files = (entries: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(entries).map(([name, value]) => [name, JSON.stringify(value)]));

describe("ptc agent: usage", () => {
  it.each([
    [["agent"], "agent needs a subcommand: compile, run or exec"],
    [["agent", "build", "x.mjs"], 'unknown agent subcommand "build"'],
    [["agent", "compile"], "agent compile takes one agent file"],
    [["agent", "compile", "a.mjs", "b.mjs"], "agent compile takes one agent file"],
    [["agent", "compile", "a.mjs", "--input", "x.json"], "agent compile does not take --input"],
    [["agent", "exec", "a.mjs", "--jit"], "agent exec does not take --jit"],
    [["agent", "run", "a.mjs", "--bogus"], "unknown option '--bogus'"],
    [["agent", "compile", "a.mjs", "--candidates", "0"], "--candidates 0: expected a positive integer"],
    [["agent", "compile", "a.mjs", "--model", "gpt-x"], "--model needs a provider"],
    [["agent", "compile", "a.mjs", "--record", "out.jsonl"], "--record needs a real model"],
  ])("%j is one line and a pointer to --help, exit 2", async (argv, message) => {
    const { code, stdout, stderr } = await cli(argv);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain(message);
    expect(stderr).toContain("run 'ptc --help' for usage");
  });

  it("agent --help lists the subcommands and the model rule", async () => {
    const { code, stdout } = await cli(["agent", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/compile <agent>/);
    expect(stdout).toMatch(/exec <agent>/);
    expect(stdout).toMatch(/OPENAI_API_KEY/);
    expect((await cli(["--help"])).stdout).toMatch(/agent compile <agent>/);
  });

  it("run and exec need their inputs", async () => {
    expect((await cli(["agent", "run", scripted])).stderr).toContain("agent run needs --input <file>");
    const both = await cli(["agent", "exec", scripted, "--input", "a.json", "--inputs", "b.json"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("needs one of --input <file> or --inputs <file>");
  });

  it("a missing agent file or one that is not an agent fails in one line, exit 1", async () => {
    const missing = await cli(["agent", "compile", join(directory, "nope.mjs")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^ptc: cannot load .*nope\.mjs/);
    const notAgent = join(directory, "not-agent.mjs");
    writeFileSync(notAgent, "export default { run() {} };\n");
    const wrong = await cli(["agent", "run", notAgent, "--input", "in.json"], { files: files({ "in.json": {} }) });
    expect(wrong.stderr).toContain("the default export is not an agent made by defineAgent");
  });
});

describe("ptc agent compile and exec: the README demo", () => {
  it("compiles from the cassette: two candidates, the cheaper selected, its program, cost and verification", async () => {
    const { code, stdout, stderr } = await cli([
      "agent",
      "compile",
      demo,
      "--cassette",
      cassette,
      "--cache-dir",
      cacheDir,
      "--refresh",
    ]);
    expect(stderr).toContain("candidate 2, turn 1: program rejected: [unbound_symbol]");
    expect(stderr).toContain("candidate 2 selected");
    expect(code).toBe(0);
    expect(stdout).toContain(`model: replies replayed from ${cassette}`);
    expect(stdout).toMatch(/compiled order-totals in \d+ ms: 2 candidates, 7 model calls/);
    expect(stdout).toMatch(/candidate 1: verified, cost 40\.04\n/);
    expect(stdout).toMatch(/candidate 2: verified, cost 4\.07 {2}<- selected \(cheapest\)/);
    expect(stdout).toContain("tool/usd-rate {:currency c}");
    expect(stdout).not.toContain("tool/convert");
    expect(stdout).toContain("tool calls: usd-rate |orders|");
    expect(stdout).toMatch(/verified: parses ok, analyzes ok, typeChecks ok, samples ok, propertyCheck ok/);
    expect(stdout).toContain("needs a model to execute: no");
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it("a second compile is a cache hit with no model call", async () => {
    const { code, stdout } = await cli(["agent", "compile", demo, "--cassette", cassette, "--cache-dir", cacheDir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/compiled order-totals: from the cache \(.*\), no model call/);
  });

  it("exec runs the cached program on 24 inputs with zero model calls", async () => {
    const { code, stdout } = await cli(
      ["agent", "exec", demo, "--cassette", cassette, "--cache-dir", cacheDir, "--inputs", inputs, "--quiet"],
      { files: { [inputs]: readFileSync(inputs, "utf8") } },
    );
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(25);
    expect(lines[0]).toBe(' 1  {"usd":1267.14,"orders":4}');
    expect(lines[24]).toMatch(/^executed 24 inputs in \d+ ms: 24 ok, 0 failed; 0 model calls, \d+ tool calls/);
  });

  it("exec --json is one JSON document: every result and the totals", async () => {
    const { code, stdout } = await cli(
      ["agent", "exec", demo, "--cassette", cassette, "--cache-dir", cacheDir, "--inputs", inputs, "--json"],
      { files: { [inputs]: readFileSync(inputs, "utf8") } },
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ ok: true, agent: "order-totals", usage: { inputs: 24, ok: 24, modelCalls: 0 } });
    expect(report.results[0]).toMatchObject({ ok: true, json: { usd: 1267.14, orders: 4 } });
  });

  it("exec reports a bad input as a failed line with its code, and exits 1", async () => {
    const bad = [{ orders: [{ id: 1, amount: 5, currency: "XYZ" }] }, { orders: "none" }];
    const { code, stdout } = await cli(
      ["agent", "exec", demo, "--cassette", cassette, "--cache-dir", cacheDir, "--inputs", "bad.json"],
      { files: files({ "bad.json": bad }) },
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/^1 {2}\[tool_error\] .*unknown currency XYZ/m);
    expect(stdout).toMatch(/^2 {2}\[validation_error\]/m);
    expect(stdout).toMatch(/0 ok, 2 failed/);
  });

  it("exec --inputs reads JSON Lines for a .jsonl file and names a bad line", async () => {
    const good = await cli(
      ["agent", "exec", demo, "--cassette", cassette, "--cache-dir", cacheDir, "--inputs", "in.jsonl", "--quiet"],
      { files: { "in.jsonl": '{"orders":[]}\n\n{"orders":[{"id":1,"amount":2,"currency":"EUR"}]}\n' } },
    );
    expect(good.stdout).toContain('1  {"usd":0,"orders":0}\n2  {"usd":2.16,"orders":1}');
    const bad = await cli(
      ["agent", "exec", demo, "--cassette", cassette, "--cache-dir", cacheDir, "--inputs", "in.jsonl"],
      { files: { "in.jsonl": '{"orders":[]}\n{oops\n' } },
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--inputs in.jsonl, line 2: not JSON");
  });

  it("exec before any compile says how to compile, in one line, exit 1", async () => {
    const { code, stderr } = await cli(
      ["agent", "exec", demo, "--cassette", cassette, "--cache-dir", join(directory, "empty"), "--input", "in.json"],
      { files: files({ "in.json": { orders: [] } }) },
    );
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain(`run 'ptc agent compile ${demo}'`);
  });

  it("compile --out writes the artifact, and exec --artifact runs it", async () => {
    const out = join(directory, "order-totals.json");
    const compiled = await cli([
      "agent",
      "compile",
      demo,
      "--cassette",
      cassette,
      "--no-cache",
      "--out",
      out,
      "--json",
    ]);
    expect(compiled.code).toBe(0);
    const report = JSON.parse(compiled.stdout);
    expect(report).toMatchObject({ ok: true, fromCache: false, file: null, out, selected: 1 });
    expect(report.candidates).toEqual([
      { candidate: 0, ok: true, cost: expect.any(Number) },
      { candidate: 1, ok: true, cost: expect.any(Number) },
    ]);
    expect(report.artifact.source).toBe(DEMO_PROGRAMS.perCurrency);
    const executed = await cli(["agent", "exec", demo, "--artifact", out, "--input", "in.json", "--json"], {
      files: files({ "in.json": { orders: [{ id: 1, amount: 10, currency: "GBP" }] } }),
    });
    expect(JSON.parse(executed.stdout).results[0].json).toEqual({ usd: 12.7, orders: 1 });
  });

  it("exec --artifact of a tampered file is compiled_agent_invalid in one line", async () => {
    const out = join(directory, "tampered.json");
    await cli(["agent", "compile", demo, "--cassette", cassette, "--no-cache", "--out", out, "--quiet"]);
    writeFileSync(out, readFileSync(out, "utf8").replace("usd-rate {:currency c}", 'usd-rate {:currency \\"EUR\\"}'));
    const { code, stderr } = await cli(["agent", "exec", demo, "--artifact", out, "--input", "in.json"], {
      files: files({ "in.json": { orders: [] } }),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot load --artifact .*\[compiled_agent_invalid\]/);
  });

  it("compile without any model says how to give one", async () => {
    const { code, stderr } = await cli(["agent", "compile", demo, "--no-cache"]);
    expect(code).toBe(1);
    expect(stderr).toContain("[agent_invalid] model is missing");
    expect(stderr).toContain("set OPENAI_API_KEY");
  });

  it("a cassette that lacks a request fails closed with cassette_miss", async () => {
    const { code, stderr } = await cli([
      "agent",
      "compile",
      demo,
      "--cassette",
      join(root, "examples/cassettes/agent.jsonl"),
      "--no-cache",
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain("cassette_miss");
  });
});

describe("ptc agent run", () => {
  it("runs the loop with the agent file's own model: a repaired program, then the answer", async () => {
    const { code, stdout, stderr } = await cli(["agent", "run", scripted, "--input", "in.json"], {
      files: files({ "in.json": { xs: [1, 2, 3] } }),
    });
    expect(code).toBe(0);
    expect(stdout).toContain("model: the agent's own model");
    expect(stdout).toContain("answer: [2,4,6]");
    expect(stdout).toMatch(/2 turns, 2 model calls/);
    expect(stderr).toContain("turn 1: program rejected: [unbound_symbol]");
  });

  it("--json: the answer, the program, each turn and the usage", async () => {
    const { code, stdout } = await cli(["agent", "run", scripted, "--input", "in.json", "--json"], {
      files: files({ "in.json": { xs: [5] } }),
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ ok: true, json: [10], stopReason: "returned", usage: { modelCalls: 2 } });
    expect(report.turns.map((turn: { outcome: string }) => turn.outcome)).toEqual(["rejected", "returned"]);
  });

  it("--jit runs candidates and answers", async () => {
    const { code, stdout } = await cli(["agent", "run", scripted, "--input", "in.json", "--jit", "--quiet"], {
      files: files({ "in.json": { xs: [4] } }),
    });
    expect(code).toBe(0);
    expect(stdout).toContain("answer: [8]");
  });

  it("an input that does not match the signature fails with validation_error, exit 1", async () => {
    const { code, stderr } = await cli(["agent", "run", scripted, "--input", "in.json", "--quiet"], {
      files: files({ "in.json": { xs: "many" } }),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/agent doubler failed: \[validation_error\]/);
  });

  it("--input that is not an object, or not JSON, is one line", async () => {
    const array = await cli(["agent", "run", scripted, "--input", "in.json"], { files: files({ "in.json": [1] }) });
    expect(array.stderr).toContain("expected a JSON object of the signature's parameters");
    const text = await cli(["agent", "run", scripted, "--input", "in.json"], { files: { "in.json": "{" } });
    expect(text.stderr).toMatch(/--input in\.json: not JSON/);
  });
});

describe("progress on standard error", () => {
  const events = [
    { type: "run-start", agent: "a", mode: "compile" },
    { type: "candidate-start", turn: 1, candidate: 0 },
    { type: "model-call-start", turn: 1, candidate: 0, estimatedTokens: 10 },
    {
      type: "model-call-end",
      turn: 1,
      candidate: 0,
      ok: true,
      ms: 12.4,
      attempts: 1,
      usage: { inputTokens: 10, outputTokens: 5 },
    },
    { type: "tool-call-start", name: "t", args: {}, callId: 1 },
    { type: "candidate-end", turn: 1, candidate: 0, ok: true, cost: 2.5 },
    { type: "candidate-selected", candidate: 0, cost: 2.5 },
    { type: "run-end", ok: true, stopReason: "returned", turns: 0 },
  ] as const;

  it("writes plain lines when standard error is not a terminal", () => {
    let text = "";
    const progress = progressReporter({ write: (chunk: string) => (text += chunk) }, "agent compile");
    for (const event of events) progress.onEvent(event as never);
    progress.done();
    expect(text.split("\n").filter(Boolean)).toEqual([
      "ptc agent compile: candidate 1, turn 1: model replied in 12 ms (10 in, 5 out)",
      "ptc agent compile: candidate 1, turn 1: verified, cost 2.50",
      "ptc agent compile: candidate 1 selected (cost 2.50)",
      "ptc agent compile: done",
    ]);
  });

  it("rewrites one live line on a terminal and clears it at the end", () => {
    let text = "";
    const progress = progressReporter({ write: (chunk: string) => (text += chunk), isTTY: true }, "agent compile");
    for (const event of events) progress.onEvent(event as never);
    expect(text).not.toContain("\n");
    expect(text.startsWith("\r\x1b[K")).toBe(true);
    expect(text).toMatch(/ptc agent compile \d+\.\ds · done · model calls 1 \(15 tokens\) · tool calls 1$/);
    progress.done();
    expect(text.endsWith("\r\x1b[K")).toBe(true);
  });

  it("--quiet writes nothing", () => {
    let text = "";
    const progress = progressReporter({ write: (chunk: string) => (text += chunk) }, "agent run", true);
    for (const event of events) progress.onEvent(event as never);
    progress.done();
    expect(text).toBe("");
  });
});
