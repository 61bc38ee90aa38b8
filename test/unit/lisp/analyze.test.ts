import { describe, expect, it } from "vitest";
import {
  type CompileOptions,
  compile,
  type Diagnostic,
  evaluate,
  formatDiagnostic,
  printValue,
} from "../../../src/index.js";

/** Every diagnostic of a source that must not compile. */
function diagnostics(source: string, options: CompileOptions = {}): readonly Diagnostic[] {
  const result = compile(source, options);
  if (result.ok) throw new Error(`expected ${source} not to compile`);
  return result.diagnostics;
}

/** The one diagnostic of a source that must not compile. */
function only(source: string, options: CompileOptions = {}): Diagnostic {
  const found = diagnostics(source, options);
  expect(found, source).toHaveLength(1);
  return found[0] as Diagnostic;
}

/** The printed value of a program that must compile and run. */
async function run(source: string): Promise<string> {
  const result = await evaluate(source);
  if (!result.ok) throw new Error(`${source}: ${result.error.code}: ${result.error.message}`);
  return printValue(result.value);
}

describe("unbound symbols", () => {
  it("suggests the closest name and locates the symbol itself", () => {
    const diagnostic = only("(let [xs [1 2]]\n  (fitler odd? xs))");
    expect(diagnostic).toMatchObject({
      code: "unbound_symbol",
      phase: "analyze",
      span: { line: 2, column: 4, start: 19, end: 25 },
    });
    expect(diagnostic.message).toContain("fitler");
    expect(diagnostic.hint).toMatch(/\bfilter\b/);
  });

  it("suggests locals in scope, and nothing when no name is close", () => {
    expect(only("(let [total 1] totl)").hint).toMatch(/\btotal\b/);
    const far = only("(qqqqqqqq 1)");
    expect(far.code).toBe("unbound_symbol");
    expect(far.hint).toBeUndefined();
  });

  it("does not resolve a local outside its scope", () => {
    expect(only("(do (let [x 1] x) x)")).toMatchObject({ code: "unbound_symbol", span: { column: 19 } });
  });

  it("renders with the source excerpt and hint", () => {
    const source = "(do\n  (fitler odd? [1]))";
    const text = formatDiagnostic(only(source), source);
    expect(text).toContain("unbound_symbol");
    expect(text).toContain("line 2, column 4");
    expect(text).toContain("(fitler odd? [1]))");
    expect(text).toContain("hint: did you mean `filter`?");
  });
});

describe("namespaces and host interop", () => {
  it("rejects an unknown namespace", () => {
    const diagnostic = only("(foo/bar 1)");
    expect(diagnostic).toMatchObject({ code: "unbound_symbol", span: { line: 1, column: 2 } });
    expect(diagnostic.message).toContain("foo");
  });

  it("resolves known namespaces and aliases", async () => {
    expect(await run('[(clojure.string/upper-case "a") (str/upper-case "b") (clojure.core/inc 1)]')).toBe(
      '["A" "B" 2]',
    );
  });

  it("rejects js/ and (. x m) interop as invalid_form", () => {
    expect(only("js/process")).toMatchObject({ code: "invalid_form", span: { line: 1, column: 1 } });
    expect(only('(js/parseInt "1")').code).toBe("invalid_form");
    expect(only("(let [x 1] (. x m))").code).toBe("invalid_form");
    expect(only("(let [x 1] (new x))").code).toBe("invalid_form");
  });

  it("rejects a tool used as a value", () => {
    const diagnostic = only("(map tool/x [1])");
    expect(diagnostic).toMatchObject({ code: "invalid_form", span: { line: 1, column: 6, start: 5, end: 11 } });
    expect(diagnostic.message).toContain("tool/x");
  });

  it("rejects special forms and macros used as values", () => {
    expect(only("(map if [1])").code).toBe("invalid_form");
    expect(only("(map when [1])").code).toBe("invalid_form");
  });
});

describe("arity at analysis time", () => {
  it("checks builtin arity without running", () => {
    const diagnostic = only("(inc 1 2)");
    expect(diagnostic).toMatchObject({
      code: "arity_error",
      phase: "analyze",
      span: { line: 1, column: 1, start: 0, end: 9 },
    });
    expect(diagnostic.message).toMatch(/inc.*1.*2/);
    expect(only("(get)").code).toBe("arity_error");
  });

  it("checks calls to a known defn", () => {
    const diagnostic = only("(defn f [a] a)\n(f 1 2)");
    expect(diagnostic).toMatchObject({ code: "arity_error", span: { line: 2, column: 1 } });
    expect(only("(defn g ([a] a) ([a b & r] a)) (g)").code).toBe("arity_error");
    expect(compile("(defn g ([a] a) ([a b & r] a)) [(g 1) (g 1 2) (g 1 2 3 4)]").ok).toBe(true);
  });

  it("does not check a name that a local or a later def shadows", async () => {
    expect(await run("(let [inc (fn [a b] (+ a b))] (inc 1 2))")).toBe("3");
    expect(await run("(defn inc [a b] (+ a b)) (inc 1 2)")).toBe("3");
    expect(await run("(defn f [a] a) (let [f (fn [a b] b)] (f 1 2))")).toBe("2");
  });
});

describe("recur", () => {
  it("must be in tail position", () => {
    expect(only("(loop [x 0] (+ 1 (recur x)))")).toMatchObject({ code: "invalid_form", span: { line: 1, column: 18 } });
    expect(only("(fn [x] (do (recur x) 1))").code).toBe("invalid_form");
    expect(only("(loop [x 0] (if (recur 1) 1 2))").code).toBe("invalid_form");
  });

  it("must be inside loop or fn, and not across try", () => {
    expect(only("(recur 1)")).toMatchObject({ code: "invalid_form", span: { line: 1, column: 1 } });
    expect(only("(loop [x 0] (try (recur x)))").code).toBe("invalid_form");
  });

  it("must pass as many values as its target binds", () => {
    expect(only("(loop [x 0] (recur 1 2))")).toMatchObject({ code: "arity_error", span: { column: 13 } });
    expect(only("(fn [a b] (recur a))").code).toBe("arity_error");
    expect(compile("(fn [a & r] (recur a r))").ok).toBe(true);
  });

  it("is allowed in tail branches of if, do, let, cond, when", () => {
    expect(
      compile(
        "(loop [x 0] (if (> x 3) x (do 1 (let [y (inc x)] (cond (odd? y) (recur y) :else (when true (recur y)))))))",
      ).ok,
    ).toBe(true);
  });
});

describe("fn literal placeholders", () => {
  it("% outside #() is unbound", () => {
    expect(only("(+ % 1)")).toMatchObject({ code: "unbound_symbol", span: { line: 1, column: 4 } });
    expect(only("(map (fn [x] %2) [1])").code).toBe("unbound_symbol");
  });

  it("% %2 %& inside #() are parameters", async () => {
    expect(await run("[(#(+ % %2) 1 2) (#(apply + %&) 1 2 3) (#(* % %1) 3) (map #(* 2 %) [1 2])]")).toBe(
      "[3 6 9 (2 4)]",
    );
  });
});

describe("malformed special forms", () => {
  it.each([
    ["(if)", 1],
    ["(if 1 2 3 4)", 1],
    ["(let x 1)", 6],
    ["(let [x 1 y] x)", 6],
    ["(let [x] x)", 6],
    ["(def 1 2)", 6],
    ["(def)", 1],
    ["(fn)", 1],
    ["(fn 1)", 5],
    ["(fn [a &] a)", 8],
    ["(fn ([a] a) [b])", 13],
    ["(defn 1 [] 1)", 7],
    ["(let [1 2] 1)", 7],
    ["(quote 1 2)", 1],
    ["(throw)", 1],
    ["(set! x 1)", 1],
    ["(loop [x] x)", 7],
    ["(for [x] x)", 6],
    ["(for [x [1]] x x)", 1],
    ["(doseq [:when true] 1)", 9],
    ["(letfn [f] 1)", 9],
    ["(case)", 1],
    ["(when)", 1],
    ["(cond 1)", 1],
    ["(if-let [x] 1)", 9],
    ["(if-let [x 1 y 2] 1)", 9],
    ["(dotimes [1 2] 1)", 11],
    ["(as-> 1 2)", 9],
  ])("%s is invalid_form at column %i", (source, column) => {
    expect(only(source)).toMatchObject({ code: "invalid_form", phase: "analyze", span: { line: 1, column } });
  });

  it("rejects return and fail inside a parallel branch", () => {
    expect(only("(pmap (fn [x] (return x)) [1])")).toMatchObject({ code: "invalid_form", span: { column: 15 } });
    expect(only("(pmap #(fail %) [1])").code).toBe("invalid_form");
    expect(only("(pcalls (fn [] (return 1)))").code).toBe("invalid_form");
    expect(compile("(map (fn [x] (return x)) [1])").ok).toBe(true);
  });
});

describe("tools known at compile time", () => {
  const tools = { get_users: () => [], search: () => [] };

  it("rejects an unknown tool with a suggestion", () => {
    const diagnostic = only("(do\n  (tool/get-usrs {}))", { tools });
    expect(diagnostic).toMatchObject({ code: "unknown_tool", phase: "analyze", span: { line: 2, column: 4 } });
    expect(diagnostic.hint).toContain("tool/get-users");
  });

  it("accepts tools by their own name and in kebab-case", () => {
    expect(compile("[(tool/get-users {}) (tool/get_users {}) (tool/search :q 1)]", { tools }).ok).toBe(true);
  });

  it("accepts any tool when none are declared", () => {
    expect(compile("(tool/anything {})").ok).toBe(true);
  });

  it("rejects an odd number of keyword arguments", () => {
    expect(only("(tool/search :q 1 :r)", { tools })).toMatchObject({ code: "invalid_form", span: { column: 1 } });
  });
});

describe("reporting", () => {
  it("reports every fault of a source, in source order", () => {
    const found = diagnostics("(do (fitler odd? [1])\n    (inc 1 2)\n    (recur 1))");
    expect(found.map((d) => [d.code, d.span?.line, d.span?.column])).toEqual([
      ["unbound_symbol", 1, 6],
      ["arity_error", 2, 5],
      ["invalid_form", 3, 5],
    ]);
  });

  it("evaluate returns the first diagnostic and lists them all", async () => {
    const result = await evaluate("(fitler 1) (inc 1 2)");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("unbound_symbol");
    expect(((result.error.details?.["diagnostics"] ?? []) as Diagnostic[]).map((d) => d.code)).toEqual([
      "unbound_symbol",
      "arity_error",
    ]);
    expect(result.usage.passes).toBe(0);
  });

  it("a clean program has no diagnostics", () => {
    const result = compile("(defn f [x] (* x 2)) (f 2)");
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([]);
  });
});

describe("macros", () => {
  it.each([
    ["(-> 1 inc (* 10) (- 1))", "19"],
    ["(-> {:a {:b 2}} :a :b)", "2"],
    ["(->> [1 2 3] (map inc) (reduce +))", "9"],
    ["(->> 5 (- 10))", "5"],
    ["(some-> {:a {:b 1}} :a :b inc)", "2"],
    ["(some-> {:a nil} :a :b inc)", "nil"],
    ["(some->> [1 2] (map inc) first)", "2"],
    ["(cond-> 1 true inc false (* 100) (odd? 3) (* 10))", "20"],
    ["(cond->> [1 2] true (map inc) false (map -))", "(2 3)"],
    ["(as-> 1 x (inc x) (* x x) [x])", "[4]"],
    ["(if-let [x nil] :y :n)", ":n"],
    ["(if-let [x false] :y)", "nil"],
    ["(if-let [[a b] [1 2]] (+ a b) :n)", "3"],
    ["(if-some [x false] [x] :n)", "[false]"],
    ["(when-let [x 5] 1 (* x 2))", "10"],
    ["(when-let [x nil] (* x 2))", "nil"],
    ["(when-some [x false] [x])", "[false]"],
    ["(when-first [x [7 8]] [x])", "[7]"],
    ["(when-first [x []] :never)", "nil"],
    ["(when-not false 1 2)", "2"],
    ["(if-not true 1 2)", "2"],
    ["(cond (< 1 0) :a (= 1 1) :b :else :c)", ":b"],
    ["(cond false 1)", "nil"],
    ["(cond)", "nil"],
    ["(condp = 2 1 :one 2 :two :other)", ":two"],
    ["(condp = 9 1 :one :other)", ":other"],
    ["(condp some [3 4] #{1 2} :low #{4 5} :high)", ":high"],
    ["(case 3 (1 2) :low (3 4) :mid :default)", ":mid"],
    ["(case 9 1 :a :default)", ":default"],
    ["(case :b :a 1 (:b :c) 2 3)", "2"],
    ['(case "x" "x" :str :x :kw)', ":str"],
    ["(case [1 2] [1 2] :vec :no)", ":vec"],
    ["(case '(1 2) (1 2) :one-or-two ((1 2)) :list)", ":list"],
    ["(case nil nil :nil :other)", ":nil"],
    ["(let [a (atom [])] (doseq [x [1 2] y [:a :b]] (swap! a conj [x y])) @a)", "[[1 :a] [1 :b] [2 :a] [2 :b]]"],
    ["(doseq [x [1 2]] x)", "nil"],
    ["(for [x (range 10) :let [y (* x x)] :when (odd? x) :while (< y 50)] [x y])", "([1 1] [3 9] [5 25] [7 49])"],
    ["(for [x [1 2] y [10 20] :when (not= y 20)] (+ x y))", "(11 12)"],
    ["(for [x [1 2 3] :while (< x 3) y [x]] y)", "(1 2)"],
    ["(for [[k v] {:a 1 :b 2}] [v k])", "([1 :a] [2 :b])"],
    ["(for [x []] x)", "()"],
    ["(let [a (atom [])] (dotimes [i 4] (swap! a conj i)) @a)", "[0 1 2 3]"],
    ['(dotimes [i 0] (throw (ex-info "never" {})))', "nil"],
    [
      "(letfn [(ev? [n] (if (zero? n) true (od? (dec n)))) (od? [n] (if (zero? n) false (ev? (dec n))))] [(ev? 10) (od? 7) (ev? 3)])",
      "[true true false]",
    ],
    ["(let [a (atom 0) out (atom [])] (while (< @a 3) (swap! out conj @a) (swap! a inc)) [@out @a])", "[[0 1 2] 3]"],
    ["(comment (fitler 1) anything)", "nil"],
  ])("%s => %s", async (source, expected) => {
    expect(await run(source)).toBe(expected);
  });

  it("case and condp without a matching clause fail", async () => {
    const caseResult = await evaluate("(case 9 1 :a)");
    expect(caseResult.ok || caseResult.error.code).toBe("type_error");
    const condpResult = await evaluate("(condp = 9 1 :one)");
    expect(condpResult.ok).toBe(false);
  });

  it("evaluates each threaded step once", async () => {
    expect(
      await run("(let [a (atom 0)] (some-> (swap! a inc) inc inc) (cond-> (swap! a inc) true inc true inc) @a)"),
    ).toBe("2");
  });

  it("a local shadows a macro of the same name", async () => {
    expect(await run("(let [when (fn [x] (* 2 x))] (when 4))")).toBe("8");
  });

  it("expansions keep the user's spans", () => {
    expect(only("(-> 1\n  (fitler odd?))")).toMatchObject({ code: "unbound_symbol", span: { line: 2, column: 4 } });
    expect(only("(when true\n  (inc 1 2))")).toMatchObject({ code: "arity_error", span: { line: 2, column: 3 } });
  });
});
