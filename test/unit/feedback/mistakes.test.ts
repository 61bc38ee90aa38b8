import { describe, expect, it } from "vitest";
import { compile, evaluate, formatDiagnostic } from "../../../src/index.js";
import { diagnose, first, onlyError, SIGNATURE, TOOLS } from "./helpers.js";

/** One test per class of mistake models make most: the code, the place, and a hint that names the fix. */
describe("the feedback names the fix", () => {
  it("an input read without data/ lists the signature's inputs", () => {
    const diagnostic = onlyError("(count\n  (get data :orders))");
    expect(diagnostic).toMatchObject({ code: "unbound_symbol", span: { line: 2, column: 8 } });
    expect(diagnostic.hint).toBe("inputs are read as `data/<name>`; this program's inputs are data/orders");
  });

  it("host interop is unsupported, with the Clojure function to use", () => {
    const diagnostic = onlyError('(let [s "a"]\n  (.toUpperCase s))');
    expect(diagnostic).toMatchObject({ code: "unbound_symbol", span: { line: 2, column: 4 } });
    expect(diagnostic.message).toMatch(/host interop/);
    expect(diagnostic.hint).toBe("use `clojure.string/upper-case`");
    const js = onlyError('(js/parseInt "1")');
    expect(js).toMatchObject({ code: "invalid_form", span: { line: 1, column: 2 } });
    expect(js.hint).toBe("use `parse-long`");
  });

  it("a tool called with a positional argument is found before the run, with its argument names", () => {
    const diagnostic = onlyError('(tool/search "q")');
    expect(diagnostic).toMatchObject({ code: "invalid_form", phase: "analyze", span: { line: 1, column: 14 } });
    expect(diagnostic.hint).toBe("tool arguments are one map: `(tool/search {:query ..., :limit ...})`");
  });

  it("a common name from another language points at the PTC-Lisp function", () => {
    const diagnostic = onlyError("(sum (map :total data/orders))");
    expect(diagnostic).toMatchObject({ code: "unbound_symbol", span: { line: 1, column: 2 } });
    expect(diagnostic.hint).toContain("`(reduce + coll)`");
    expect(diagnostic.hint).toContain("`(sum-by :field coll)`");
    expect(onlyError("(len [1 2])").hint).toBe("use `count`");
  });

  it("a depth overflow says to use loop/recur, and the repeated frame is one line", async () => {
    const source = "(defn f [n] (if (= n 0) 0 (+ 1 (f (dec n)))))\n(f 100000)";
    const result = await evaluate(source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const diagnostic = result.error;
    expect(diagnostic).toMatchObject({ code: "limit_exceeded", limit: "depth", span: { line: 1, column: 32 } });
    expect(diagnostic.message).toMatch(/loop\/recur/);
    const text = formatDiagnostic(diagnostic, source);
    const frames = text.split("\n").filter((line) => line.startsWith("  in "));
    expect(frames).toEqual([expect.stringMatching(/^ {2}in f \(line 1, column 32\) × \d+$/)]);
  });

  it("a near spelling of a known field is an error; an unknown field with no near spelling stays a warning", () => {
    const misspelled = onlyError("(map (fn [o] (:customer-id o)) data/orders)");
    expect(misspelled).toMatchObject({ code: "unknown_field", span: { line: 1, column: 15 } });
    expect(misspelled.severity).toBeUndefined();
    expect(misspelled.hint).toBe("did you mean `:customer_id`?");
    expect(onlyError("(map :totl data/orders)").hint).toBe("did you mean `:total`?");
    const absent = compile("(map :discount data/orders)", { signature: SIGNATURE });
    expect(absent.ok).toBe(true);
    expect(absent.diagnostics).toMatchObject([{ code: "unknown_field", severity: "warning" }]);
  });

  it("a hint quoting a name ending in ? never doubles the question mark", () => {
    const constructor = onlyError('(Integer. "1")');
    expect(constructor.hint).toBe("use `parse-long`");
    const typo = onlyError("(integr? 1)");
    expect(typo.hint).toBe("did you mean `integer?`?");
    for (const hint of [constructor.hint, typo.hint, onlyError("null").hint]) expect(hint).not.toMatch(/\?\?/);
  });

  it("diagnostics are in source order, errors and warnings together", () => {
    const source = "[(:discount (first data/orders))\n (:totl (first data/orders))\n (:zzz (first data/orders))]";
    const positions = diagnose(source).map((d) => [d.span?.line, d.severity ?? "error"]);
    expect(positions).toEqual([
      [1, "warning"],
      [2, "error"],
      [3, "warning"],
    ]);
    const analyzer = diagnose("(do (foo)\n  (bar))\n(baz)", { tools: TOOLS });
    expect(analyzer.map((d) => d.span?.line)).toEqual([1, 2, 3]);
    expect(first("(sum 1)").code).toBe("unbound_symbol");
  });
});
