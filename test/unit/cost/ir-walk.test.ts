import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { estimateCost } from "../../../src/cost/estimate-cost.js";

const calls = (source: string) =>
  Object.fromEntries(Object.entries(estimateCost(source).toolCalls).map(([tool, count]) => [tool, count.toString()]));

describe("the estimator walks the analyzed IR", () => {
  it("bounds loops whose test a macro wrote", () => {
    expect(calls("(loop [i 0] (when (< i 4) (tool/x {}) (recur (inc i))))")).toEqual({ x: "4" });
    expect(calls("(let [n 3] (dotimes [i n] (tool/x {})))")).toEqual({ x: "3" });
    expect(calls("(loop [xs data/ids] (when (-> xs seq) (tool/x {}) (recur (rest xs))))")).toEqual({ x: "|ids|" });
    expect(calls("(loop [xs data/ids] (if-not (empty? xs) (do (tool/x {}) (recur (rest xs))) 0))")).toEqual({
      x: "|ids|",
    });
    expect(calls("(loop [i 0] (cond (< i 3) (do (tool/x {}) (recur (inc i))) :else nil))")).toEqual({ x: "3" });
    expect(estimateCost("(dotimes [i 7] (tool/x {}))").assumed).toEqual([]);
    expect(calls("(->> data/ids (map #(tool/x {:id %})))")).toEqual({ x: "|ids|" });
  });

  it("reads a counter's limit through the locals that hold it", () => {
    expect(calls("(let [n (count data/ids)] (loop [i 0] (when (< i n) (tool/x {}) (recur (inc i)))))")).toEqual({
      x: "|ids|",
    });
  });

  it("resolves a local named like a builtin or a tool as the local", () => {
    expect(calls("(let [map (fn [f xs] (tool/x {}))] (map inc data/ids))")).toEqual({ x: "1" });
    expect(calls("(let [search (fn [q] (tool/search {:q q}))] (map search data/qs))")).toEqual({ search: "|qs|" });
    expect(calls("(let [xs data/a] (let [xs data/b] (map #(tool/x {:v %}) xs)))")).toEqual({ x: "|b|" });
  });

  it("follows named fns, letfn, variadic arities and keyword defaults", () => {
    const self = estimateCost("((fn f [n] (when (pos? n) (tool/t {}) (f (dec n)))) 3)", { loopBound: 4 });
    expect(self.toolCalls["t"]?.toString()).toBe("4");
    expect(self.assumed[0]?.what).toBe("recursion of f");
    const mutual = estimateCost("(letfn [(a [n] (tool/t {}) (b n)) (b [n] (a n))] (a 1))", { loopBound: 4 });
    expect(mutual.toolCalls["t"]?.toString()).toBe("4");
    expect(calls("(defn f ([x] (tool/a {})) ([x & more] (tool/b {}))) (f 1 2 3)")).toEqual({ b: "1" });
    expect(calls("(defn f [& xs] (map #(tool/a {:v %}) xs)) (f 1 2 3)")).toEqual({ a: "3" });
    expect(calls("(:a {:a 1} (tool/y {}))")).toEqual({ y: "1" });
  });

  it("estimates what lowered of a program that does not analyze", () => {
    expect(calls("(tool/anything {})")).toEqual({ anything: "1" });
    expect(calls("(do (tool/x {}) (no-such-function 1))")).toEqual({ x: "1" });
  });
});

describe("cost/ and verify/ leave macros and special forms to the analyzer", () => {
  const root = join(import.meta.dirname, "../../../src");
  const files = ["cost", "verify"].flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".ts"))
      .map((name) => join(root, folder, name)),
  );

  it("imports nothing from macros.ts, special-forms.ts or fn-literal.ts", () => {
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const imports = [...readFileSync(file, "utf8").matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1]);
      expect(
        imports.filter((path) => /\/(macros|special-forms|fn-literal)\.js$/.test(path ?? "")),
        file,
      ).toEqual([]);
    }
  });
});
