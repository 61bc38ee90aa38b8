import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { USAGE } from "../../../src/cli/commands.js";
import { cli } from "./harness.js";

const definition = {
  name: "totals",
  prompt: "Sum the totals of {{orders}}.",
  signature: "(orders [{id :int, total :float}]) -> :float",
  tools: { lookup: { signature: "(id :int) -> {name :string}", description: "Finds a customer." } },
};
const files = {
  "agent.json": JSON.stringify(definition),
  "input.json": JSON.stringify({ orders: [{ id: 1, total: 2.5 }] }),
};

const scratch = mkdtempSync(join(tmpdir(), "ptc-prompt-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("ptc prompt", () => {
  it("prints each section's token estimate, the total, the system prompt and the first message", async () => {
    const result = await cli(["prompt", "agent.json", "--input", "input.json"], { files });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^Sections:\n {2}language +\d+ tokens\n/);
    expect(result.stdout).toMatch(/\n {2}tools +\d+ tokens\n/);
    expect(result.stdout).toMatch(/\n {2}total +\d+ tokens\n\n--- system ---\nPTC-Lisp/);
    expect(result.stdout).toContain("lookup");
    expect(result.stdout).toContain("Finds a customer.");
    expect(result.stdout).toMatch(/\n--- user ---\n[\s\S]*Sum the totals of/);
  });

  it("prints the preview as pure JSON with --json, tokens adding up to the total", async () => {
    const result = await cli(["prompt", "agent.json", "--json"], { files });
    expect(result.code).toBe(0);
    const preview = JSON.parse(result.stdout) as {
      system: string;
      messages: { role: string; content: string }[];
      sections: { name: string; tokens: number }[];
      totalTokens: number;
    };
    expect(preview.sections.map((section) => section.name)).toContain("mission");
    expect(preview.totalTokens).toBe(preview.sections.reduce((sum, section) => sum + section.tokens, 0));
    expect(preview.messages[0]?.role).toBe("user");
  });

  it("loads a JS module whose default export is an agent", async () => {
    const module = join(scratch, "agent.mjs");
    const index = new URL("../../../src/index.ts", import.meta.url).href;
    writeFileSync(
      module,
      `import { defineAgent } from ${JSON.stringify(index)};\n` +
        `export default defineAgent({ name: "count", prompt: "Count {{items}}.", signature: "(items [:string]) -> :int" });\n`,
    );
    const result = await cli(["prompt", module]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Count data/items.");
    const notAgent = join(scratch, "other.mjs");
    writeFileSync(notAgent, "export default { name: 'x' };\n");
    const rejected = await cli(["prompt", notAgent]);
    expect(rejected).toMatchObject({ code: 1, stdout: "" });
    expect(rejected.stderr).toMatch(/the default export is not an agent made by defineAgent\n$/);
  });

  it("fails in one line for a bad definition, a bad tool signature or input that does not match", async () => {
    const bad = (agent: unknown) => cli(["prompt", "a.json"], { files: { "a.json": JSON.stringify(agent) } });
    const noPrompt = await bad({ name: "x", signature: "() -> :int" });
    expect(noPrompt).toMatchObject({ code: 1, stdout: "", stderr: 'ptc: a.json: "prompt" must be a string\n' });
    const badTool = await bad({ ...definition, tools: { t: { signature: "(((" } } });
    expect(badTool.code).toBe(1);
    expect(badTool.stderr).toMatch(/^ptc: a\.json: tool t: /);
    const wrongInput = await cli(["prompt", "agent.json", "--input", "wrong.json"], {
      files: { ...files, "wrong.json": JSON.stringify({ orders: "none" }) },
    });
    expect(wrongInput.code).toBe(1);
    expect(wrongInput.stderr.trim().split("\n")).toHaveLength(1);
    expect((await cli(["prompt", "missing.json"])).code).toBe(1);
    expect((await cli(["prompt"])).code).toBe(2);
  });

  it("documents both agent file forms in the help", () => {
    expect(USAGE).toContain("JavaScript module (.js or .mjs) whose default export is an agent made by defineAgent");
    expect(USAGE).toContain('"signature"');
  });
});
