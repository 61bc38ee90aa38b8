import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** Runs the real `ptc` entry point (through tsx) in a child process. */
function ptc(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", ...args],
      { cwd: root, env: { ...process.env, NO_COLOR: "1" } },
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
});
