import { describe, expect, it } from "vitest";
import { evaluate, printValue, type RunResult } from "../../../src/index.js";
import { isMacro, macroDocs } from "../../../src/lisp/analyze/macros.js";
import { isSpecialForm, specialFormDocs } from "../../../src/lisp/analyze/special-forms.js";
import { describeDoc, docOf, documentedNames, searchNames, shortName } from "../../../src/lisp/builtins/docs.js";
import { BUILTINS } from "../../../src/lisp/builtins/registry.js";
import { REFERENCE_GROUPS } from "../../../src/lisp/builtins/types.js";

async function run(source: string): Promise<{ value: string; prints: readonly string[]; result: RunResult }> {
  const result = await evaluate(source);
  return { value: result.ok ? printValue(result.value) : `!! ${result.error.code}`, prints: result.prints, result };
}

describe("declared documentation", () => {
  const forms = [...specialFormDocs(), ...macroDocs()];

  it("gives every special form and macro a usage and a one-line doc", () => {
    expect(forms.length).toBeGreaterThan(40);
    for (const [name, { usage, doc }] of forms) {
      expect(isSpecialForm(name) || isMacro(name), name).toBe(true);
      expect(usage.startsWith(`(${name}`), `${name}: ${usage}`).toBe(true);
      expect(doc, name).toMatch(/^\S.*\.$/);
      expect(doc, name).not.toMatch(/\n/);
    }
    for (const name of ["let", "fn", "loop", "recur", "try", "if", "def", "defn", "for", "case"])
      expect(isSpecialForm(name) && docOf(name)?.kind, name).toBe("special-form");
    for (const name of ["->", "->>", "when", "cond", "if-let", "some->", "dotimes"])
      expect(isMacro(name) && docOf(name)?.kind, name).toBe("macro");
    expect(isSpecialForm("fn-literal")).toBe(false);
  });

  it("gives every builtin a one-line doc and a known reference group", () => {
    const groups = new Set<string>(REFERENCE_GROUPS);
    for (const builtin of new Set(BUILTINS.values())) {
      expect(builtin.spec.doc, builtin.name).toMatch(/^\S[^\n]*$/);
      if (builtin.spec.reference !== undefined) expect(groups.has(builtin.spec.reference), builtin.name).toBe(true);
    }
    const listed = [...new Set(BUILTINS.values())].filter((builtin) => builtin.spec.reference !== undefined);
    expect(listed.length).toBeGreaterThanOrEqual(100);
    expect(listed.length).toBeLessThanOrEqual(200);
  });

  it("documents every builtin, special form and macro under one sorted list of names", () => {
    const names = documentedNames();
    const core = names.filter((name) => !/.\//.test(name));
    const qualified = names.filter((name) => /.\//.test(name));
    expect(names).toEqual([...core, ...qualified]);
    expect([...core].sort()).toEqual(core);
    expect([...qualified].sort()).toEqual(qualified);
    expect(new Set(names).size).toBe(names.length);
    for (const builtin of new Set(BUILTINS.values())) expect(names.includes(builtin.name), builtin.name).toBe(true);
    for (const [name] of forms) expect(names.includes(name), name).toBe(true);
  });

  it("resolves names as programs write them", () => {
    expect(docOf("map")).toMatchObject({ name: "map", kind: "function", usage: "(map f & colls)" });
    expect(docOf("str/join")?.name).toBe("clojure.string/join");
    expect(docOf("string/join")?.name).toBe("clojure.string/join");
    expect(docOf("join")?.name).toBe("clojure.string/join");
    expect(docOf("clojure.core/let")?.kind).toBe("special-form");
    expect(docOf("core/map")?.name).toBe("map");
    expect(docOf("set/union")?.name).toBe("clojure.set/union");
    expect(docOf("Math/sqrt")?.name).toBe("Math/sqrt");
    expect(docOf("/")?.name).toBe("/");
    expect(docOf("where")?.kind).toBe("function");
    expect(docOf("reduce")?.usage).toBe("(reduce f init? coll)");
    expect(docOf("get")?.usage).toBe("(get coll key not-found?)");
    expect(docOf("tree-seq")?.usage).toBe("(tree-seq branch? children root)");
    for (const missing of ["mapp", "nope/map", "str/", "tool/fetch", "data/x", ""])
      expect(docOf(missing), missing).toBe(undefined);
  });

  it("searches names ignoring case, sorted", () => {
    expect(searchNames("join")).toEqual(["clojure.string/join"]);
    expect(searchNames("UPPER")).toEqual(["clojure.string/upper-case"]);
    expect(searchNames("trim")).toEqual([
      "clojure.string/trim",
      "clojure.string/trim-newline",
      "clojure.string/triml",
      "clojure.string/trimr",
    ]);
    expect(searchNames("union")).toEqual(["clojure.set/union"]);
    expect(searchNames("abs")).toEqual(["abs", "Math/abs"]);
    expect(searchNames("sum-by")).toEqual(["sum-by"]);
    expect(searchNames("no such name")).toEqual([]);
    expect(searchNames("").length).toBe(documentedNames().length);
  });

  it("writes namespaced names with their short prefix for the reference", () => {
    expect(shortName("clojure.string/join")).toBe("str/join");
    expect(shortName("clojure.set/union")).toBe("set/union");
    expect(shortName("Math/sqrt")).toBe("Math/sqrt");
    expect(shortName("map")).toBe("map");
    expect(shortName("/")).toBe("/");
  });
});

describe("(doc name)", () => {
  const mapDoc = describeDoc(docOf("map") as NonNullable<ReturnType<typeof docOf>>);

  it.each([
    ["(doc map)", mapDoc],
    ["(doc 'map)", mapDoc],
    ['(doc "map")', mapDoc],
    ["(doc clojure.core/map)", mapDoc],
    ['(doc (symbol "map"))', mapDoc],
  ])("%s prints the doc of map and returns nil", async (source, printed) => {
    const { value, prints } = await run(source);
    expect(value).toBe("nil");
    expect(prints).toEqual([printed]);
  });

  it("prints name, usage, signature and doc of a builtin, Clojure REPL style", async () => {
    expect((await run("(doc str/join)")).prints).toEqual([
      [
        "clojure.string/join",
        "(clojure.string/join separator? coll)",
        "(separator :string?, coll [:any]) -> :string",
        `  ${docOf("clojure.string/join")?.doc}`,
      ].join("\n"),
    ]);
    expect((await run("(doc join)")).prints[0]?.split("\n")[0]).toBe("clojure.string/join");
  });

  it("prints usage and kind of special forms and macros", async () => {
    expect((await run("(doc let)")).prints).toEqual([
      `let\n(let [bindings*] body*)\nSpecial Form\n  ${docOf("let")?.doc}`,
    ]);
    expect((await run("(doc ->>)")).prints).toEqual([`->>\n(->> x forms*)\nMacro\n  ${docOf("->>")?.doc}`]);
    expect((await run("(doc doc)")).prints[0]).toMatch(/^doc\n\(doc name\)\n/);
  });

  it("prints a suggestion for an unknown name and returns nil", async () => {
    expect(await run("(doc mapp)")).toMatchObject({ value: "nil", prints: ["no doc for mapp; did you mean map?"] });
    expect((await run("(doc zzzzqqqq)")).prints).toEqual(['no doc for zzzzqqqq; (apropos "text") searches the names']);
    expect((await run("(doc str/joinn)")).prints[0]).toMatch(/^no doc for str\/joinn; /);
  });

  it("takes exactly one symbol or string", async () => {
    expect((await run("(doc)")).value).toBe("!! arity_error");
    expect((await run("(doc map filter)")).value).toBe("!! arity_error");
    expect((await run("(doc 42)")).value).toBe("!! type_error");
    expect((await run("(doc :map)")).value).toBe("!! type_error");
  });

  it("is catchable as a value, and a user definition of doc wins", async () => {
    expect((await run('(try (doc 1) (catch :default e "caught"))')).value).toBe('"caught"');
    expect((await run("(defn doc [x] (* x 2)) (doc 21)")).value).toBe("42");
    expect((await run("(let [doc inc] (doc 1))")).value).toBe("2");
    expect((await run('(do (mapv doc ["inc" "dec"]) nil)')).prints).toHaveLength(2);
  });

  it("is deterministic and charged", async () => {
    const first = await run("(doc update-in) (doc cond)");
    const second = await run("(doc update-in) (doc cond)");
    expect(first.prints).toEqual(second.prints);
    expect(first.result.usage.fuel).toBe(second.result.usage.fuel);
    expect(first.result.usage.fuel).toBeGreaterThanOrEqual(2 * documentedNames().length);
    const tight = await evaluate("(doc map)", { limits: { fuel: 10 } });
    expect(tight.ok ? "ok" : tight.error.code).toBe("limit_exceeded");
    const quiet = await evaluate("(dotimes [i 100] (doc map))", { limits: { outputBytes: 2_000 } });
    expect(quiet.ok ? "ok" : quiet.error.code).toBe("limit_exceeded");
  });
});

describe("(apropos text)", () => {
  it.each([
    ['(apropos "join")', "(clojure.string/join)"],
    ['(apropos "sum-")', "(sum-by)"],
    ['(apropos "UPDATE-I")', "(update-in)"],
    ['(apropos "zzzz")', "()"],
    ['(apropos #"^re-")', "(re-find re-matches re-pattern re-seq re-split)"],
    ['(map symbol? (apropos "join"))', "(true)"],
    ['(first (apropos "when-l"))', "when-let"],
    ['(= (apropos "map") (sort (apropos "map")))', "true"],
  ])("%s is %s", async (source, expected) => {
    expect((await run(source)).value).toBe(expected);
  });

  it("finds special forms, macros and namespaced builtins", async () => {
    const { value } = await run('(apropos "let")');
    for (const name of ["let", "if-let", "when-let", "letfn"]) expect(value.split(/[ ()]/)).toContain(name);
    expect((await run('(apropos "upper")')).value).toBe("(clojure.string/upper-case)");
  });

  it("rejects anything but a string or a regex, and is charged", async () => {
    expect((await run("(apropos 'join)")).value).toBe("!! type_error");
    expect((await run("(apropos)")).value).toBe("!! arity_error");
    const tight = await evaluate('(apropos "a")', { limits: { fuel: 10 } });
    expect(tight.ok ? "ok" : tight.error.code).toBe("limit_exceeded");
  });
});
