import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** Runs the real `ptc` entry point (through tsx) in a child process. */
function ptc(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  // A developer's real key must never reach a test: the model comes from `env` or a cassette.
  const { OPENAI_API_KEY: _key, OPENAI_BASE_URL: _url, PTC_MODEL: _model, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      // Agent files import the package by name; the condition resolves it to the source.
      ["--conditions=ptc-lisp-source", "--import", "tsx", "src/cli/main.ts", ...args],
      { cwd: root, env: { ...inherited, NO_COLOR: "1", ...env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("the ptc process", () => {
  it("doc: prints a doc, JSON on stdout alone, and an unknown name with exit 1", { timeout: 60_000 }, async () => {
    const [text, json, unknown] = await Promise.all([
      ptc(["doc", "reduce"]),
      ptc(["doc", "map", "--json"]),
      ptc(["doc", "redcue"]),
    ]);
    expect(text).toMatchObject({ code: 0, stderr: "" });
    expect(text.stdout).toMatch(/^reduce \(function\)\n/);
    expect(json).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(json.stdout)).toMatchObject({ name: "map", kind: "function" });
    expect(unknown).toMatchObject({ code: 1, stdout: "" });
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    expect(unknown.stderr).toContain("did you mean reduce");
  });

  it("prompt: loads a JS agent module and prints its preview as JSON", { timeout: 60_000 }, async () => {
    const directory = mkdtempSync(join(tmpdir(), "ptc-process-"));
    try {
      const module = join(directory, "agent.mjs");
      const index = pathToFileURL(join(root, "src/index.ts")).href;
      writeFileSync(
        module,
        `import { defineAgent } from ${JSON.stringify(index)};\n` +
          `export default defineAgent({ name: "count", prompt: "Count {{items}}.", signature: "(items [:string]) -> :int" });\n`,
      );
      const result = await ptc(["prompt", module, "--json"]);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(JSON.parse(result.stdout)).toMatchObject({ totalTokens: expect.any(Number) });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("usage errors: one line on stderr, nothing on stdout, exit 2", { timeout: 60_000 }, async () => {
    const results = await Promise.all([ptc(["frobnicate"]), ptc(["eval", "1", "--fast"]), ptc(["run"])]);
    for (const result of results) {
      expect(result).toMatchObject({ code: 2, stdout: "" });
      expect(result.stderr).toMatch(/^ptc: [^\n]+ \(run 'ptc --help' for usage\)\n$/);
    }
  });

  it("cost and verify --json: one JSON document on stdout, nothing on stderr, exit codes kept", {
    timeout: 60_000,
  }, async () => {
    const directory = mkdtempSync(join(tmpdir(), "ptc-process-"));
    try {
      const good = join(directory, "good.clj");
      const bad = join(directory, "bad.clj");
      writeFileSync(good, "(map inc data/xs)");
      writeFileSync(bad, "(let [x 1] (+ x y))");
      const [cost, passing, failing] = await Promise.all([
        ptc(["cost", good, "--size", "xs=5", "--json"]),
        ptc(["verify", good, "--json"]),
        ptc(["verify", bad, "--json"]),
      ]);
      expect(cost).toMatchObject({ code: 0, stderr: "" });
      expect(JSON.parse(cost.stdout)).toMatchObject({ ok: true, sizes: { xs: 5 } });
      expect(passing).toMatchObject({ code: 0, stderr: "" });
      expect(JSON.parse(passing.stdout)).toMatchObject({ ok: true });
      expect(failing).toMatchObject({ code: 1, stderr: "" });
      expect(JSON.parse(failing.stdout)).toMatchObject({ ok: false, failures: [{ code: "unbound_symbol" }] });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("agent compile then exec: the README demo from its cassette, with zero model calls", {
    timeout: 90_000,
  }, async () => {
    const directory = mkdtempSync(join(tmpdir(), "ptc-process-"));
    try {
      const common = [
        "examples/demo/agent.mjs",
        "--cassette",
        "examples/demo/cassette.jsonl",
        "--cache-dir",
        directory,
      ];
      const compiled = await ptc(["agent", "compile", ...common]);
      expect(compiled.code).toBe(0);
      expect(compiled.stdout).toContain("<- selected (cheapest)");
      // Not a terminal: progress comes as plain lines on stderr, never on stdout.
      expect(compiled.stderr).toMatch(/^ptc agent compile: candidate 2 selected \(cost 4\.07\)$/m);
      expect(compiled.stderr).not.toContain("\r");
      const executed = await ptc(["agent", "exec", ...common, "--inputs", "examples/demo/inputs.json", "--json"]);
      expect(executed.code).toBe(0);
      expect(JSON.parse(executed.stdout).usage).toMatchObject({ inputs: 24, ok: 24, failed: 0, modelCalls: 0 });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("on a terminal, agent progress is one live line rewritten in place and cleared", { timeout: 60_000 }, async () => {
    const directory = mkdtempSync(join(tmpdir(), "ptc-process-"));
    try {
      // Only standard error is the pseudo-terminal's; standard output goes to a file.
      const out = join(directory, "out.txt");
      const command =
        `${process.execPath} --conditions=ptc-lisp-source --import tsx src/cli/main.ts agent compile ` +
        `examples/demo/agent.mjs --cassette examples/demo/cassette.jsonl --cache-dir ${directory} > ${out}`;
      const terminal = await new Promise<string>((resolve) => {
        const child = spawn("script", ["-qfec", command, "/dev/null"], {
          cwd: root,
          stdio: ["ignore", "pipe", "pipe"],
        });
        let text = "";
        child.stdout.on("data", (chunk: Buffer) => {
          text += chunk.toString();
        });
        child.on("close", () => resolve(text));
      });
      expect(terminal).toContain("\r\x1b[K");
      expect(terminal).toMatch(/ptc agent compile \d+\.\ds · [^\n]*model calls \d+/);
      expect(terminal).not.toMatch(/^ptc agent compile: /m);
      expect(terminal.endsWith("\r\x1b[K")).toBe(true);
      expect(readFileSync(out, "utf8")).toContain("<- selected (cheapest)");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("with OPENAI_BASE_URL the agent commands use that server as a real model, and --cassette is only a fallback", {
    timeout: 60_000,
  }, async () => {
    const { startLoopback, json, completion } = await import("../llm/loopback.js");
    const server = await startLoopback();
    try {
      server.reply(json(200, completion("```clojure\n(return {:usd 1.5 :orders (count data/orders)})\n```")));
      const directory = mkdtempSync(join(tmpdir(), "ptc-process-"));
      const input = join(directory, "in.json");
      writeFileSync(input, JSON.stringify({ orders: [{ id: 1, amount: 1.5, currency: "USD" }] }));
      const args = [
        "agent",
        "run",
        "examples/demo/agent.mjs",
        "--input",
        input,
        "--cassette",
        "examples/demo/cassette.jsonl",
      ];
      const result = await ptc([...args, "--model", "local-model"], { OPENAI_BASE_URL: server.baseURL });
      rmSync(directory, { recursive: true, force: true });
      expect(result.stderr).toMatch(/model replied/);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`model: openai local-model at ${server.baseURL}`);
      expect(result.stdout).toContain('answer: {"usd":1.5,"orders":1}');
      expect(server.received).toHaveLength(1);
      expect(server.received[0]?.body).toMatchObject({ model: "local-model" });
    } finally {
      await server.close();
    }
  });

  it("a reader that stops early (| head) ends the process quietly: no EPIPE stack trace", {
    timeout: 60_000,
  }, async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli/main.ts",
        "eval",
        "(dotimes [i 200000] (println i))",
        "--limit",
        "outputBytes=10000000",
      ],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it.each(["xterm-256color", "dumb"])(
    "repl in a pseudo-terminal (TERM=%s): prompts, results, a continued form, an error, Ctrl-C and :quit",
    {
      timeout: 60_000,
    },
    async (term) => {
      // util-linux `script` runs the REPL on a pseudo-terminal, so stdin.isTTY is true as for a person.
      const command = `${process.execPath} --import tsx src/cli/main.ts repl`;
      const child = spawn("script", ["-qfec", command, "/dev/null"], {
        cwd: root,
        stdio: ["pipe", "pipe", "pipe"],
        env: { ...process.env, TERM: term, NO_COLOR: "1" },
      });
      // What the terminal shows, without readline's cursor movements and line clearing.
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString().replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
      });
      const waitFor = async (pattern: RegExp, from: number) => {
        for (let waited = 0; waited < 30_000; waited += 25) {
          if (pattern.test(output.slice(from))) return;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        throw new Error(`timed out waiting for ${pattern} in ${JSON.stringify(output)}`);
      };
      const type = async (text: string, expected: RegExp) => {
        const from = output.length;
        child.stdin.write(text);
        await waitFor(expected, from);
      };
      await waitFor(/ptc=> $/, 0);
      await type("(+ 1 2)\r", /\r?\n3\r?\nptc=> $/);
      await type("(let [x 20]\r", / {2}\.\.\. $/);
      await type("  (* x 2))\r", /40\r?\nptc=> $/);
      await type("(inc nil)\r", /\[[a-z_]+\][^\n]*[\s\S]*ptc=> $/);
      await type("(+ 1\x03", /ptc=> $/);
      await type("*1\r", /40\r?\nptc=> $/);
      child.stdin.write(":quit\r");
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(code).toBe(0);
    },
  );
});
