// Runs every example in examples/ as a user would (`node --import tsx examples/NAME.ts`), offline:
// each must exit 0 and print the lines that show what it demonstrates. The *-definition.ts
// files are modules the examples import, not examples. A new example needs an entry here.
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Lines (or parts of lines) each example must print on stdout. */
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  "evaluate.ts": ["total in USD: 200", "{:EUR 184, :GBP 158}"],
  "agent.ts": [
    'answer: [{"customer":"initech","usd":300},{"customer":"globex","usd":242},{"customer":"acme","usd":129.6}]',
    "usage: 2 model calls",
  ],
  "compile.ts": ["input 1: {", "executed 4 inputs: 6 model calls, all inside the LLM tool"],
  "llm-tool-and-subagent.ts": [
    "ticket 102 (billing): not urgent, no reply drafted",
    "1 by the support agent + 3 by the triage LLM tool + 4 by the answer_question sub-agent = 8 in the support agent's usage",
    "with maxModelCalls 6: ok false, stop reason budget, 6 model calls",
  ],
  "property-test.ts": [
    "crashes: FAIL after",
    '[property_failed] fails on input {"orders":[],"n":-1}',
    "wrong order: ok",
    'on {"orders":[{"id":0,"amount":0},{"id":0,"amount":1}],"n":1}: amounts [0], expected [1]',
    "fixed: ok, the invariant held on 200 generated inputs",
  ],
  "replay.ts": [
    "2 model calls answered from the file, 0 live",
    "0 live model calls, 6 tool results taken from the trace",
    "[cassette_miss]",
  ],
};

const examples = readdirSync(new URL("../../examples/", import.meta.url))
  .filter((name) => name.endsWith(".ts") && !name.endsWith("-definition.ts"))
  .sort();

/** The environment without a model key or cassette mode, so every example runs offline. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "PTC_CASSETTE", "PTC_MODEL"]) delete env[name];
  return env;
}

function run(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", `examples/${file}`],
      { cwd: root, env: offlineEnv(), encoding: "utf8", timeout: 100_000 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : null, stdout, stderr });
      },
    );
  });
}

describe.concurrent("examples", () => {
  it("every example has expected output here", () => {
    expect(examples.filter((name) => EXPECTED[name] === undefined)).toEqual([]);
    expect(Object.keys(EXPECTED).filter((name) => !examples.includes(name))).toEqual([]);
  });

  for (const file of examples) {
    it(`${file} runs offline and prints what it shows`, { timeout: 120_000 }, async () => {
      const { code, stdout, stderr } = await run(file);
      expect(code, `examples/${file} failed:\n${stdout}\n${stderr}`).toBe(0);
      for (const line of EXPECTED[file] ?? []) expect(stdout).toContain(line);
    });
  }
});
