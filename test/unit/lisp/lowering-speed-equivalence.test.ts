import { describe, expect, it } from "vitest";
import { type CompileOptions, compile, evaluate, printValue } from "../../../src/index.js";
import type { AnalyzeOptions } from "../../../src/lisp/analyze/analyze.js";
import { type ConstNode, descendants, type Lowered, type Node } from "../../../src/lisp/analyze/ir.js";
import { lowerProgram } from "../../../src/lisp/analyze/lower.js";
import { parse } from "../../../src/lisp/parser/parse.js";

/**
 * The lowering decides some things once per call head, per context and per program (the head's
 * meaning, the context of its arguments, which nils a macro supplied, whether any form names a
 * tool). These pin what each decision must give, whatever shortcut computes it.
 */

function lower(source: string, options: AnalyzeOptions = {}): Lowered {
  return lowerProgram(parse(source).forms, options);
}

function nodes(source: string): Node[] {
  return [...descendants(lower(source).nodes)];
}

/** The nil constants of a program, in source order, each as `synthetic` or `written`. */
function nils(source: string): string[] {
  return nodes(source)
    .filter((node): node is ConstNode => node.kind === "const" && node.value === null && node.form?.kind === "nil")
    .sort((a, b) => a.span.start - b.span.start)
    .map((node) => (node.synthetic === true ? "synthetic" : "written"));
}

/** Each diagnostic of a source as `code: message`. */
function faults(source: string, options: CompileOptions = {}): string[] {
  return compile(source, options).diagnostics.map((diagnostic) => `${diagnostic.code}: ${diagnostic.message}`);
}

const NOT_TAIL = "invalid_form: recur must be in tail position";
const NO_TARGET = "invalid_form: recur must be inside loop or fn";

async function run(source: string): Promise<string> {
  const result = await evaluate(source);
  if (!result.ok) throw new Error(`${source}: ${result.error.code}: ${result.error.message}`);
  return printValue(result.value);
}

describe("nils a macro supplies", () => {
  it("are synthetic; the program's own nils are not, before or after an expansion", () => {
    expect(nils("(if true 1 nil)")).toEqual(["written"]);
    expect(nils("(when true 1)")).toEqual(["synthetic"]);
    expect(nils("[nil (when true nil) nil]")).toEqual(["written", "synthetic", "written", "written"]);
    expect(nils("(cond false 1 nil 2)")).toEqual(["synthetic", "written"]);
    expect(nils("(if-let [x nil] x)")).toEqual(["synthetic", "written"]);
  });

  it("keep their fields in the reader's order", () => {
    const supplied = nodes("(when true 1)").find(
      (node): node is ConstNode => node.kind === "const" && node.synthetic === true,
    );
    expect(Object.keys(supplied?.form ?? {})).toEqual(["kind", "span"]);
    expect(JSON.stringify(supplied?.form)).toBe(JSON.stringify({ kind: "nil", span: supplied?.form?.span }));
  });
});

describe("whether a program can reach a tool", () => {
  it("is true when any form names a tool, quoted, ignored or inside #() included", () => {
    for (const source of [
      "(tool/search {:q 1})",
      "'tool/search",
      "(comment (tool/search {}))",
      "(map #(tool/fetch {:id %}) [1 2])",
      "{:a [1 #{(quote (tool/x))}]}",
      "(case 1 tool/x 2 3)",
    ]) {
      expect(lower(source).resumable, source).toBe(true);
    }
  });

  it("is false when no symbol has the tool namespace", () => {
    for (const source of ['"tool/search"', ":tool/search", "(let [tool 1] tool)", "(str/join [1 2])", ""]) {
      expect(lower(source).resumable, source).toBe(false);
    }
  });

  it("finds a tool deep in nested data", () => {
    const depth = 900;
    expect(lower(`'${"[".repeat(depth)}tool/x${"]".repeat(depth)}`).resumable).toBe(true);
    expect(lower(`'${"(".repeat(depth)}x${")".repeat(depth)}`).resumable).toBe(false);
  });

  it("is true whenever globals are given: they may hold functions that call tools", () => {
    expect(lower("(+ 1 2)", { globals: ["f"] }).resumable).toBe(true);
  });
});

describe("a macro's expansion", () => {
  it("keeps the call's span on its root node when the root has another span", () => {
    const source = "(->> [1 2] (map inc) (filter odd?))";
    const [root] = lower(source).nodes as Node[];
    expect(root?.span.start).toBe(source.indexOf("(filter"));
    expect(root?.expandedFrom).toMatchObject({ start: 0, end: source.length });
  });

  it("has no expandedFrom when the root keeps the call's span", () => {
    const [root] = lower("(when true 1)").nodes as Node[];
    expect(root?.kind).toBe("if");
    expect(root !== undefined && "expandedFrom" in root).toBe(false);
  });

  it("takes the outermost call's span through nested macros", () => {
    const source = "(-> true (when 1))";
    const [root] = lower(source).nodes as Node[];
    expect(root?.kind).toBe("if");
    expect(root?.span.start).toBe(source.indexOf("(when"));
    expect(root?.expandedFrom).toMatchObject({ start: 0, end: source.length });
  });
});

describe("a call head", () => {
  it("is a local before a special form, a macro or a builtin", async () => {
    expect(await run("(let [if (fn [a b c] :mine)] (if 1 2 3))")).toBe(":mine");
    expect(await run("(let [when (fn [a b] :mine)] (when true 1))")).toBe(":mine");
    expect(await run("(let [inc (fn [x] (* 2 x))] (inc 5))")).toBe("10");
  });

  it("is a global before a macro or a builtin, not before a special form", async () => {
    expect(await run("(defn when [a b] :global) (when true 1)")).toBe(":global");
    expect(await run("(defn inc [x] (* 10 x)) (inc 1)")).toBe("10");
    expect(faults("(defn if [a] a) (if 1)")).toEqual([
      "invalid_form: if: expects a test, a then branch and an optional else branch",
    ]);
  });

  it("is a referred function before the builtin of the same name", async () => {
    expect(await run('(require \'[clojure.string :refer [join]]) (join "," [1 2])')).toBe('"1,2"');
  });

  it("checks a global function's arity unless a local shadows it", async () => {
    expect(faults("(defn f [a] a) (f 1 2)")).toEqual(["arity_error: f expects 1 argument(s), got 2"]);
    expect(await run("(defn f [a] a) (let [f (fn [a b] b)] (f 1 2))")).toBe("2");
    expect(faults("(inc 1 2)")).toEqual(["arity_error: inc expects 1 argument(s), got 2"]);
    expect(faults("(let [inc (fn [a b] b)] (inc 1 2))")).toEqual([]);
  });

  it("starting with a dot is unbound, with the interop hint", () => {
    expect(faults('(.toUpperCase "a")')).toEqual([
      "unbound_symbol: unable to resolve symbol .toUpperCase: host interop (Java/JavaScript methods and classes) is not available in PTC-Lisp",
    ]);
  });
});

describe("the context of a form's parts", () => {
  it("takes collection items and call arguments out of tail position", () => {
    for (const source of [
      "(loop [i 0] [(recur 1)])",
      "(loop [i 0] {:a (recur 1)})",
      "(loop [i 0] (inc (recur 1)))",
      "(loop [i 0] ((fn [x] x) (recur 1)))",
      "(loop [i 0] ((recur 1) 2))",
      "(loop [i 0] (:k (recur 1)))",
      "(loop [i 0] (do (recur 1) i))",
      "(loop [i 0] (or (and (< i 3) (recur (inc i))) i))",
      "(loop [i 0] (let [{:keys [a] :or {a (recur 1)}} {}] a))",
    ]) {
      expect(faults(source), source).toEqual([NOT_TAIL]);
    }
  });

  it("keeps the tail through if, do, let and the last of and/or", async () => {
    expect(await run("(loop [i 0] (if (< i 3) (do (let [j (inc i)] (recur j))) i))")).toBe("3");
    expect(await run("(loop [i 0] (if (< i 3) (and true (recur (inc i))) i))")).toBe("3");
  });

  it("has no recur target inside try, for, doseq and parameter defaults", () => {
    for (const source of [
      "(loop [i 0] (try (recur 1)))",
      "(loop [i 0] (try 1 (catch Exception e (recur 1))))",
      "(loop [i 0] (for [x [1]] (recur x)))",
      "(loop [i 0] (doseq [x [1]] (recur x)))",
      "(loop [i 0] (fn [{:keys [a] :or {a (recur 1)}}] a))",
    ]) {
      expect(faults(source), source).toEqual([NO_TARGET]);
    }
  });

  it("marks the arguments of a parallel builtin, and what they contain, as parallel", () => {
    expect(faults("(pmap (fn [x] (return x)) [1])")).toEqual([
      "invalid_form: return cannot be used inside a parallel branch (pmap, pcalls)",
    ]);
    expect(faults("(pcalls #(fail 1))")).toEqual([
      "invalid_form: fail cannot be used inside a parallel branch (pmap, pcalls)",
    ]);
    expect(faults("(map (fn [x] (return x)) [1])")).toEqual([]);
  });

  it("resolves % inside a function nested in #()", async () => {
    expect(await run("(#(map (fn [y] (+ % y)) [1 2]) 10)")).toBe("(11 12)");
  });
});
