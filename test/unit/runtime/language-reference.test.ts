import { describe, expect, it } from "vitest";
import { REFERENCE_GROUPS } from "../../../src/lisp/builtins/types.js";
import {
  docOf,
  languageReference,
  MAX_REFERENCE_CHARS,
  REFERENCE_VERSION,
  referenceRuleNames,
  searchNames,
} from "../../../src/runtime/language-reference.js";

const reference = languageReference();
const groupLines = reference
  .split("\n")
  .map((line) => /^([a-z]+): (.+)$/.exec(line))
  .filter(
    (match): match is RegExpExecArray =>
      match !== null && (REFERENCE_GROUPS as readonly string[]).includes(match[1] as string),
  );

describe("languageReference", () => {
  it("is the same string on every call, within the size budget", () => {
    expect(languageReference()).toBe(reference);
    expect(reference.length).toBeLessThanOrEqual(MAX_REFERENCE_CHARS);
    expect(MAX_REFERENCE_CHARS).toBe(3_500);
    expect(reference).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(reference.endsWith("\n")).toBe(true);
  });

  it("states the rules models get wrong", () => {
    for (const text of [
      "data/<name>",
      "(tool/<name> {:arg value}), ONE map argument",
      "(return v) ends the program",
      "(fail v) gives up",
      "println output is shown back to you",
      "def persists across turns",
      "No host interop",
      "loop/recur",
      "(doc f)",
      '(apropos "text")',
    ])
      expect(reference, text).toContain(text);
    expect(reference).toContain(`v${REFERENCE_VERSION}`);
  });

  it("names only real builtins, special forms and macros", () => {
    for (const name of referenceRuleNames()) expect(docOf(name), name).toBeDefined();
    const names = groupLines.flatMap((match) => (match[2] as string).split(" "));
    expect(names.length).toBeGreaterThan(150);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(docOf(name), name).toBeDefined();
  });

  it("lists the groups in their declared order, each sorted, namespaced names short", () => {
    const groups = groupLines.map((match) => match[1]);
    expect(groups).toEqual(REFERENCE_GROUPS.filter((group) => groups.includes(group)));
    expect(groups).toEqual(expect.arrayContaining(["forms", "sequences", "maps", "strings", "ptc"]));
    for (const match of groupLines) {
      const names = (match[2] as string).split(" ");
      expect([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(names);
    }
    const line = (group: string) => groupLines.find((match) => match[1] === group)?.[2]?.split(" ") ?? [];
    expect(line("strings")).toEqual(expect.arrayContaining(["str/join", "str/split", "str"]));
    expect(line("sets")).toContain("set/union");
    expect(line("sequences")).toEqual(expect.arrayContaining(["map", "filter", "reduce", "group-by", "sort-by"]));
    expect(line("maps")).toEqual(expect.arrayContaining(["get-in", "assoc", "update", "select-keys"]));
    expect(line("ptc")).toEqual(expect.arrayContaining(["return", "fail", "sum-by", "pluck", "where", "pmap"]));
    expect(line("forms")).toEqual(expect.arrayContaining(["let", "fn", "defn", "loop", "recur", "->>", "cond", "try"]));
    expect(reference).not.toMatch(/clojure\.string\//);
  });
});

describe("docOf and searchNames", () => {
  it("returns the documentation of functions, special forms and macros", () => {
    expect(docOf("str/join")).toEqual({
      name: "clojure.string/join",
      kind: "function",
      usage: "(clojure.string/join separator? coll)",
      doc: expect.stringContaining("Joins"),
      signature: "(separator :string?, coll [:any]) -> :string",
    });
    expect(docOf("let")).toEqual({
      name: "let",
      kind: "special-form",
      usage: "(let [bindings*] body*)",
      doc: expect.any(String),
    });
    expect(docOf("->")?.kind).toBe("macro");
    expect(docOf("no-such-thing")).toBeUndefined();
  });

  it("searches names as apropos does", () => {
    expect(searchNames("join")).toEqual(["clojure.string/join"]);
    expect(searchNames("when-")).toEqual(["when-first", "when-let", "when-not", "when-some"]);
  });
});
