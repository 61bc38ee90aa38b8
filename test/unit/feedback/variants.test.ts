import { describe, expect, it } from "vitest";
import { HINTS, type HintId } from "../../../src/errors/codes.js";
import { compile, evaluate, formatDiagnostic } from "../../../src/index.js";
import { COMMON_NAME_FIXES, type Fix, INTEROP_FIXES, interopHint } from "../../../src/lisp/analyze/analyze.js";
import { macroFor } from "../../../src/lisp/analyze/macros.js";
import { isSpecialForm } from "../../../src/lisp/analyze/special-forms.js";
import { BUILTINS, lookupBuiltin } from "../../../src/lisp/builtins/registry.js";
import { diagnose, onlyError, SIGNATURE, TOOLS } from "./helpers.js";

/** True when `name` is something a program can write: a builtin, a special form, a macro or a literal. */
function resolves(name: string): boolean {
  if (name === "nil" || name === "true" || name === "false") return true;
  if (isSpecialForm(name) || macroFor(name) !== undefined) return true;
  const slash = name.indexOf("/");
  if (slash > 0 && name !== "/") return lookupBuiltin(name.slice(0, slash), name.slice(slash + 1)) !== undefined;
  return BUILTINS.has(name);
}

/** The code quoted in backticks in a hint. */
function quoted(hint: string): string[] {
  return [...hint.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
}

/** Every quoted name or call in a hint must work in a program (placeholders and elisions excepted). */
function expectQuotedCodeWorks(hint: string): void {
  for (const code of quoted(hint)) {
    if (/[<{]|\.\.\.|^:|^data\/|^tool\//.test(code)) continue;
    if (code.startsWith("(")) {
      const result = compile(`(fn [coll xs ys] ${code})`);
      expect(result.diagnostics, `${hint}: ${code}`).toEqual([]);
    } else {
      expect(resolves(code), `${hint}: ${code}`).toBe(true);
    }
  }
}

const render = (fix: Fix): string => HINTS[fix.hint].replace("{use}", fix.use ?? "");

describe("the fix tables", () => {
  it("suggest only names that resolve, for names that do not", () => {
    for (const [name, fix] of [...COMMON_NAME_FIXES, ...INTEROP_FIXES]) {
      if (fix.use !== undefined) expect(resolves(fix.use), `${name} -> ${fix.use}`).toBe(true);
      expect(resolves(name), name).toBe(false);
      expectQuotedCodeWorks(render(fix));
    }
    for (const id of Object.keys(HINTS) as HintId[]) expectQuotedCodeWorks(HINTS[id]);
  });

  it("answer Math/ and js/Math. names from the registry", () => {
    expect(interopHint("js/Math.abs")).toBe("use `abs`");
    expect(interopHint("js/Math.pow")).toBe("use `pow`");
    expect(interopHint("js/Math.cbrt")).toBe("use `Math/cbrt`");
    expect(interopHint("Math/random")).toMatch(/no randomness/);
    expect(interopHint("js/Math.random")).toMatch(/no randomness/);
    expect(interopHint("java.lang.Integer.")).toBe("use `parse-long`");
    expect(interopHint(".nothingKnown")).toBeUndefined();
  });
});

describe("inputs read without data/", () => {
  it.each([
    ["(get data :orders)", 6, "data_inputs"],
    ["(:orders data)", 10, "data_inputs"],
    ["(data :orders)", 2, "data_inputs"],
    ["(get-in input [:orders])", 9, "data_inputs"],
    ["(count orders)", 8, "input_prefix"],
    ["(count data.orders)", 8, "input_prefix"],
    ["(map :total inputs)", 13, "data_inputs"],
  ])("%s", (source, column, kind) => {
    const diagnostic = onlyError(source);
    expect(diagnostic).toMatchObject({ code: "unbound_symbol", span: { line: 1, column } });
    expect(diagnostic.hint).toContain("data/orders");
    expect(diagnostic.hint).toContain(kind === "data_inputs" ? "inputs are data/orders" : "use `data/orders`");
  });

  it("give the general form without a signature, and hint at unknown namespaces named like the input", () => {
    expect(onlyError("(count data)", { signature: ":any" }).hint).toBe(HINTS.data_namespace);
    expect(compile("(count data)").diagnostics[0]?.hint).toBe(HINTS.data_namespace);
    const namespaced = onlyError("(count input/orders)");
    expect(namespaced).toMatchObject({ code: "unbound_symbol", span: { line: 1, column: 8 } });
    expect(namespaced.hint).toBe("inputs are read as `data/<name>`: use `data/orders`");
  });
});

describe("host interop", () => {
  const cases: [string, string, string][] = [
    ['(.toUpperCase "a")', "unbound_symbol", "clojure.string/upper-case"],
    ['(.toLowerCase "A")', "unbound_symbol", "clojure.string/lower-case"],
    ['(.length "abc")', "unbound_symbol", "count"],
    ['(.trim " a ")', "unbound_symbol", "clojure.string/trim"],
    ['(.split "a,b" ",")', "unbound_symbol", "clojure.string/split"],
    ['(.indexOf "ab" "b")', "unbound_symbol", "clojure.string/index-of"],
    ['(.startsWith "ab" "a")', "unbound_symbol", "clojure.string/starts-with?"],
    ['(.includes "ab" "a")', "unbound_symbol", "clojure.string/includes?"],
    ['(.contains "ab" "a")', "unbound_symbol", "clojure.string/includes?"],
    ['(Integer. "1")', "unbound_symbol", "parse-long"],
    ['(java.lang.Integer. "1")', "unbound_symbol", "parse-long"],
    ['(Long/valueOf "1")', "unbound_symbol", "parse-long"],
    ['(String/join "," ["a"])', "unbound_symbol", "clojure.string/join"],
    ["(System/currentTimeMillis)", "unbound_symbol", "no clock"],
    ["(Date.)", "unbound_symbol", "no clock"],
    ["(java.util.Date.)", "unbound_symbol", "no clock"],
    ["(Math/random)", "unbound_symbol", "no randomness"],
    ['(js/parseInt "1")', "invalid_form", "parse-long"],
    ['(js/parseFloat "1.5")', "invalid_form", "parse-double"],
    ['(js/JSON.parse "{}")', "invalid_form", "json/read-str"],
    ["(js/Math.abs -1)", "invalid_form", "`abs`"],
    ["(js/Math.pow 2 3)", "invalid_form", "`pow`"],
    ["(js/Math.cbrt 8)", "invalid_form", "`Math/cbrt`"],
    ["(js/Date.now)", "invalid_form", "no clock"],
    ['(. "a" toUpperCase)', "invalid_form", "clojure.string/upper-case"],
    ['(. "a" (toLowerCase))', "invalid_form", "clojure.string/lower-case"],
    ['(new Integer "1")', "invalid_form", "parse-long"],
    ["(new Date)", "invalid_form", "no clock"],
    ['(map .toUpperCase ["a"])', "unbound_symbol", "clojure.string/upper-case"],
  ];
  it.each(cases)("%s", (source, code, fix) => {
    const diagnostic = onlyError(source);
    expect(diagnostic.code).toBe(code);
    expect(diagnostic.span?.line).toBe(1);
    expect(diagnostic.message).toMatch(/host interop/);
    expect(diagnostic.hint).toContain(fix);
  });

  it("leaves the existing Math/, Integer/ and Double/ functions working", async () => {
    const result = await evaluate('[(Math/abs -1) (Math/pow 2 3) (Integer/parseInt "7") (Double/parseDouble "1.5")]');
    expect(result.ok && result.json).toEqual([1, 8, 7, 1.5]);
  });

  it("keeps an unknown namespace that is no host class an unknown namespace", () => {
    expect(onlyError("(foo/bar 1)").message).toBe("unknown namespace foo in foo/bar");
  });
});

describe("tool arguments", () => {
  it.each([
    ['(tool/search "q")', 14, 'got string "q"'],
    ["(tool/search 42)", 14, "got number 42"],
    ['(tool/search ["q" 1])', 14, "got vector"],
    ["(tool/search :query)", 14, "got keyword :query"],
    ['(tool/search :query "q" 3)', 1, "got 3 arguments"],
    ['(do\n  (tool/search "q"))', 16, 'got string "q"'],
  ])("%s", (source, column, actual) => {
    const diagnostic = onlyError(source);
    expect(diagnostic).toMatchObject({ code: "invalid_form", phase: "analyze" });
    expect(diagnostic.span?.column).toBe(column);
    expect(diagnostic.message).toContain(actual);
    expect(diagnostic.hint).toBe("tool arguments are one map: `(tool/search {:query ..., :limit ...})`");
  });

  it("use the generic form when the tool declares no arguments", () => {
    expect(onlyError('(tool/untyped "q")').hint).toBe("tool arguments are one map: `(tool/untyped {:name value ...})`");
    expect(compile('(tool/other "q")').diagnostics[0]?.hint).toBe(
      "tool arguments are one map: `(tool/other {:name value ...})`",
    );
  });

  it("keep the valid call forms valid", () => {
    for (const source of [
      "(tool/untyped)",
      "(tool/untyped nil)",
      '(tool/search {:query "x"})',
      '(tool/search :query "x")',
      '(tool/search :query "x" :limit 2)',
      '(let [m {:query "x"}] (tool/search m))',
    ]) {
      expect(
        diagnose(source).filter((d) => d.severity !== "warning"),
        source,
      ).toEqual([]);
    }
  });

  it("give the same hint when the type checker proves a variable argument is not a map", () => {
    const diagnostic = onlyError('(let [q (str "x")] (tool/search q))');
    expect(diagnostic).toMatchObject({ code: "validation_error", span: { line: 1, column: 33 } });
    expect(diagnostic.hint).toBe("tool arguments are one map: `(tool/search {:query ..., :limit ...})`");
  });

  it("give the same hint when a non-map argument is only found at run time", async () => {
    const result = await evaluate('(let [q (str "x")] (tool/untyped q))', { tools: TOOLS });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: "type_error", span: { line: 1, column: 20 } });
    expect(result.error.hint).toBe("tool arguments are one map: `(tool/untyped {:name value ...})`");
  });
});

describe("common names from other languages", () => {
  it.each([...COMMON_NAME_FIXES].map(([name, fix]) => [name, fix] as const))("%s", (name, fix) => {
    const source = name === "else" ? "(cond false 1 else 2)" : `(${name} [1 2])`;
    const diagnostic = onlyError(source);
    expect(diagnostic.code).toBe("unbound_symbol");
    expect(diagnostic.span?.column).toBe(name === "else" ? 15 : 2);
    expect(diagnostic.hint).toBe(render(fix));
    if (fix.use !== undefined) expect(diagnostic.hint).toContain(`\`${fix.use}\``);
  });

  it("still suggests near spellings for names outside the table", () => {
    expect(onlyError("(fitler odd? [1])").hint).toBe("did you mean `filter`?");
    expect(onlyError("(let [total 1] totl)").hint).toBe("did you mean `total`?");
  });
});

describe("depth overflows", () => {
  it.each([
    ["(defn f [n] (if (= n 0) 0 (+ 1 (f (dec n))))) (f 5000)", "f"],
    ["(defn walk [xs] (if (empty? xs) 0 (+ (first xs) (walk (rest xs))))) (walk (range 5000))", "walk"],
    ["(letfn [(ev? [n] (if (= n 0) true (od? (dec n)))) (od? [n] (if (= n 0) false (ev? (dec n))))] (ev? 5001))", ""],
  ])("%s", async (source, name) => {
    const result = await evaluate(source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: "limit_exceeded", limit: "depth" });
    expect(result.error.message).toContain("loop/recur");
    const text = formatDiagnostic(result.error, source);
    const frames = text.split("\n").filter((line) => line.startsWith("  in "));
    expect(frames.length).toBeLessThanOrEqual(10);
    if (name !== "") expect(frames[0]).toMatch(new RegExp(`^ {2}in ${name} \\(line 1, column \\d+\\) × \\d+$`));
  });

  it("collapses runs of identical frames and keeps distinct ones", () => {
    const frame = (name: string, column: number) => ({ name, line: 1, column });
    const stack = [frame("a", 1), frame("b", 2), frame("b", 2), frame("a", 1), frame("a", 1), frame("a", 1)];
    const text = formatDiagnostic({ code: "thrown", phase: "eval", message: "m", details: { stack } });
    expect(text.split("\n").slice(1)).toEqual([
      "  in a (line 1, column 1)",
      "  in b (line 1, column 2) × 2",
      "  in a (line 1, column 1) × 3",
    ]);
    const long = Array.from({ length: 30 }, (_, i) => frame(`f${i}`, i + 1));
    const lines = formatDiagnostic({ code: "thrown", phase: "eval", message: "m", details: { stack: long } }).split(
      "\n",
    );
    expect(lines).toHaveLength(12);
    expect(lines.at(-1)).toBe("  ... 20 more");
  });
});

describe("field reads on known records", () => {
  it.each([
    ["(map :totl data/orders)", "error", "`:total`"],
    ["(map :customer-id data/orders)", "error", "`:customer_id`"],
    ["(map :customerid data/orders)", "error", "`:customer_id`"],
    ["(map :totals data/orders)", "error", "`:total`"],
    ["(let [{:keys [totl]} (first data/orders)] totl)", "error", "`:total`"],
    ["(map #(:custmer_id %) data/orders)", "error", "`:customer_id`"],
    ["(map :discount data/orders)", "warning", undefined],
    ["(map :zzz data/orders)", "warning", undefined],
    ["(:y {:x 1})", "warning", "`:x`"],
  ])("%s", (source, severity, hint) => {
    const result = compile(source, { signature: SIGNATURE });
    const [diagnostic] = result.diagnostics;
    expect(diagnostic).toMatchObject({ code: "unknown_field", span: { line: 1 } });
    expect(diagnostic?.severity ?? "error").toBe(severity);
    expect(result.ok).toBe(severity === "warning");
    expect(diagnostic?.hint).toBe(hint === undefined ? undefined : `did you mean ${hint}?`);
  });
});
