import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { USAGE } from "../../../src/cli/commands.js";
import { cli } from "./harness.js";

const signature = "(orders [{id :int}]) -> :int";
const data = JSON.stringify({ orders: [{ id: 1 }, { id: 2 }] });

describe("--signature", () => {
  it("runs a program whose input and result match the signature", async () => {
    const result = await cli(["eval", "(count data/orders)", "--signature", signature, "--data", "d.json"], {
      files: { "d.json": data },
    });
    expect(result).toEqual({ code: 0, stdout: "2\n", stderr: "" });
  });

  it("fails a run whose result does not match the output type", async () => {
    const result = await cli(["run", "p.clj", "--signature", signature, "--data", "d.json"], {
      files: { "p.clj": "(str (count data/orders))", "d.json": data },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("validation_error");
  });

  it("fails a run whose input does not match the parameters", async () => {
    const result = await cli(["eval", "(count data/orders)", "--signature", signature, "--data", "d.json"], {
      files: { "d.json": JSON.stringify({ orders: [{ id: "one" }] }) },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
  });

  it("type-checks a program before it runs, in check", async () => {
    const files = { "ok.clj": "(count data/orders)", "bad.clj": "(:name (first data/orders))", "str.clj": '(str "a")' };
    const ok = await cli(["check", "ok.clj", "--signature", signature], { files });
    expect(ok).toEqual({ code: 0, stdout: "ok.clj: ok\n", stderr: "" });
    const warned = await cli(["check", "bad.clj", "--signature", signature], { files });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain("unknown_field");
    const wrongType = await cli(["check", "str.clj", "--signature", signature], { files });
    expect(wrongType.code).toBe(1);
    expect(wrongType.stderr).toContain("expected int");
    expect(wrongType.stderr).toContain("str.clj: 1 error");
    const run = await cli(["run", "str.clj", "--signature", signature, "--data", "d.json"], {
      files: { ...files, "d.json": data },
    });
    expect(run).toMatchObject({ code: 1, stdout: "" });
  });

  it("reports a signature that does not parse in one line, exit 1", async () => {
    for (const argv of [
      ["eval", "1", "--signature", "(orders [{id :int}) -> :int"],
      ["check", "p.clj", "--signature", "(orders [{id :int}) -> :int"],
    ]) {
      const result = await cli(argv, { files: { "p.clj": "1" } });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/^ptc: --signature "\(orders \[\{id :int\}\) -> :int": .*column/);
    }
  });
});

describe("--tools", () => {
  const tools = JSON.stringify({
    lookup: { signature: "(id :int) -> {name :string, age :int}", description: "Finds a person." },
  });

  it("stubs each declared tool from its signature: the result has the output type", async () => {
    const program = "(let [p (tool/lookup {:id 3})] [(string? (:name p)) (int? (:age p)) (count (keys p))])";
    const result = await cli(["eval", program, "--tools", "tools.json"], { files: { "tools.json": tools } });
    expect(result).toEqual({ code: 0, stdout: "[true true 2]\n", stderr: "" });
    const again = await cli(["eval", "(tool/lookup {:id 3})", "--tools", "tools.json", "--json"], {
      files: { "tools.json": tools },
    });
    expect(again.code).toBe(0);
    expect(Object.keys(JSON.parse(again.stdout).value).sort()).toEqual(["age", "name"]);
  });

  it("makes an undeclared tool a compile error, in run and check", async () => {
    const files = { "p.clj": "(tool/fetch {:id 1})", "tools.json": tools };
    const run = await cli(["run", "p.clj", "--tools", "tools.json"], { files });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown_tool");
    const check = await cli(["check", "p.clj", "--tools", "tools.json"], { files });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("unknown_tool");
    expect(check.stderr).toContain("p.clj: 1 error");
  });

  it("checks the arguments of a declared tool against its signature", async () => {
    const files = { "p.clj": '(tool/lookup {:id "x"})', "tools.json": tools };
    const result = await cli(["check", "p.clj", "--tools", "tools.json"], { files });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("argument id must be int");
  });

  it("reports a declaration whose signature does not parse", async () => {
    const files = { "tools.json": JSON.stringify({ lookup: { signature: "(id :int -> :int" } }) };
    const result = await cli(["eval", "1", "--tools", "tools.json"], { files });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ptc: tools\.json: tool lookup: /);
  });

  describe("a module", () => {
    const dir = mkdtempSync(join(tmpdir(), "ptc-tools-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("uses the default export of a .mjs module as the tools", async () => {
      const file = join(dir, "tools.mjs");
      writeFileSync(file, "export default { double: (args) => args.n * 2 };\n");
      const result = await cli(["eval", "(tool/double {:n 21})", "--tools", file]);
      expect(result).toEqual({ code: 0, stdout: "42\n", stderr: "" });
      const check = await cli(["check", "p.clj", "--tools", file], { files: { "p.clj": "(tool/triple {:n 1})" } });
      expect(check.code).toBe(1);
      expect(check.stderr).toContain("unknown_tool");
    });

    it("fails in one line for a module without a tools object, or one that does not load", async () => {
      const file = join(dir, "none.mjs");
      writeFileSync(file, "export const x = 1;\n");
      const none = await cli(["eval", "1", "--tools", file]);
      expect(none).toEqual({ code: 1, stdout: "", stderr: `ptc: ${file}: the default export is not a tools object\n` });
      const missing = await cli(["eval", "1", "--tools", join(dir, "missing.js")]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/^ptc: cannot load .*missing\.js: /);
    });
  });
});

describe("help", () => {
  it("documents --signature and --tools for eval, run and check", () => {
    expect(USAGE).toContain("--signature <sig>");
    expect(USAGE).toMatch(/--signature <sig>[\s\S]*\(eval, run, check, cost, verify\)/);
    expect(USAGE).toMatch(/--tools <file>\s+The tools the program may call \(eval, run, check, cost, verify\)/);
  });
});
