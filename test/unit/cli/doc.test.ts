import { describe, expect, it } from "vitest";
import { suggestNames } from "../../../src/cli/commands/doc.js";
import { docOf, languageReference } from "../../../src/index.js";
import { cli } from "./harness.js";

describe("ptc doc", () => {
  it("prints the language reference without a name", async () => {
    const result = await cli(["doc"]);
    expect(result).toEqual({ code: 0, stdout: languageReference(), stderr: "" });
  });

  it("prints one function's name, kind, usage, signature and doc", async () => {
    const result = await cli(["doc", "reduce"]);
    const doc = docOf("reduce");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(`reduce (function)\n  ${doc?.usage}\n  ${doc?.signature}\n  ${doc?.doc}\n`);
  });

  it("prints a special form without a signature line", async () => {
    const result = await cli(["doc", "let"]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")).toEqual([
      "let (special-form)",
      `  ${docOf("let")?.usage}`,
      `  ${docOf("let")?.doc}`,
      "",
    ]);
  });

  it("prints pure JSON with --json", async () => {
    const one = await cli(["doc", "str/join", "--json"]);
    expect(one.code).toBe(0);
    expect(one.stderr).toBe("");
    expect(JSON.parse(one.stdout)).toEqual(docOf("str/join"));
    const all = await cli(["doc", "--json"]);
    expect(JSON.parse(all.stdout)).toEqual({ reference: languageReference() });
  });

  it("rejects an unknown name in one line with suggestions, exit 1", async () => {
    const result = await cli(["doc", "redcue"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^ptc: no function or form named "redcue"; did you mean reduce\b.*\?\n$/);
    const json = await cli(["doc", "redcue", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: "unknown_name", name: "redcue" });
    const nothing = await cli(["doc", "qqqqqqqq"]);
    expect(nothing.stderr).toBe('ptc: no function or form named "qqqqqqqq"\n');
  });

  it("takes at most one name and only --json", async () => {
    expect((await cli(["doc", "map", "filter"])).code).toBe(2);
    expect((await cli(["doc", "map", "--data", "x.json"])).code).toBe(2);
  });

  it("suggests near names and names containing the text", () => {
    expect(suggestNames("fitler")[0]).toBe("filter");
    expect(suggestNames("joinn")).toContain("clojure.string/join");
    expect(suggestNames("zzzzzz")).toEqual([]);
  });
});
