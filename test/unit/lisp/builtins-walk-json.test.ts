import { describe, expect, it } from "vitest";
import { evaluate, type Tools } from "../../../src/index.js";
import { nestedArray } from "../../helpers/odd-values.js";
import { failureOf, valueOf } from "../../helpers/run-program.js";

/**
 * clojure.walk: the budgets, and functions that call tools (values are pinned by the
 * conformance cases clj-walk-*).
 */

describe("clojure.walk on deep and large data", () => {
  const deep = { data: { deep: nestedArray(100_000) } };

  it.each([
    "(walk/postwalk identity data/deep)",
    "(walk/prewalk identity data/deep)",
    "(walk/keywordize-keys data/deep)",
    "(walk/postwalk-replace {1 2} data/deep)",
  ])("%s ends with limit_exceeded on a 100,000-deep vector", async (source) => {
    const result = await failureOf(source, deep);
    expect(result.code).toBe("limit_exceeded");
    expect(result.message).toMatch(/^depth limit exceeded/);
  });

  it("walks as deep as the depth limit allows", async () => {
    const data = { data: { deep: nestedArray(900) } };
    expect(await valueOf("(count (flatten (walk/postwalk (fn [x] (if (number? x) (inc x) x)) data/deep)))", data)).toBe(
      "1",
    );
    expect((await failureOf("(walk/postwalk identity data/deep)", { ...data, limits: { depth: 500 } })).code).toBe(
      "limit_exceeded",
    );
  });

  it("charges fuel per node: a large structure runs out of fuel", async () => {
    const wide = { data: { wide: Array.from({ length: 50_000 }, (_, i) => ({ id: i })) }, limits: { fuel: 100_000 } };
    expect((await failureOf("(walk/postwalk identity data/wide)", wide)).code).toBe("limit_exceeded");
    expect((await failureOf("(walk/keywordize-keys data/wide)", wide)).code).toBe("limit_exceeded");
  });

  it("keeps the depth it used after a caught error inside the walk", async () => {
    const source =
      '(do (try (walk/postwalk (fn [x] (if (= x 3) (throw (ex-info "three" {})) x)) [[[[1 2 3]]]]) (catch :default e nil)) (walk/postwalk identity data/deep))';
    expect(await valueOf(source, { data: { deep: nestedArray(990) } })).toMatch(/^\[\[\[/);
  });

  it("refuses a replacement map that is not a map, and an infinite seq", async () => {
    expect(await failureOf("(walk/postwalk-replace [1] [1])")).toMatchObject({ code: "type_error" });
    expect((await failureOf("(walk/postwalk identity (range))")).code).toBe("limit_exceeded");
  });
});

describe("clojure.walk with functions that call tools", () => {
  function doubling(): { tools: Tools; calls: () => number } {
    let calls = 0;
    return {
      tools: {
        double: async ({ n }: Record<string, unknown>) => {
          calls++;
          return Number(n) * 2;
        },
      },
      calls: () => calls,
    };
  }

  it("postwalk, prewalk and walk wait in place for each call", async () => {
    const { tools, calls } = doubling();
    const post = "(walk/postwalk (fn [x] (if (number? x) (tool/double {:n x}) x)) {:a [1 2] :b {:c 3}})";
    expect(await valueOf(post, { tools })).toBe("{:a [2 4], :b {:c 6}}");
    expect(calls()).toBe(3);
    const pre = "(walk/prewalk (fn [x] (if (number? x) (tool/double {:n x}) x)) [1 [2]])";
    expect(await valueOf(pre, { tools })).toBe("[2 [4]]");
    const once = "(walk/walk (fn [x] (tool/double {:n x})) (fn [v] (reduce + v)) [1 2 3])";
    expect(await valueOf(once, { tools })).toBe("12");
  });

  it("does not re-walk the nodes before a call: the fuel grows linearly with the calls", async () => {
    const fuel = async (n: number) => {
      const data = { data: { xs: Array.from({ length: n }, (_, i) => i) }, tools: doubling().tools };
      const result = await evaluate("(walk/postwalk (fn [x] (if (number? x) (tool/double {:n x}) x)) data/xs)", data);
      expect(result.ok).toBe(true);
      return result.usage.fuel;
    };
    const [ten, forty] = [await fuel(10), await fuel(40)];
    expect(forty).toBeLessThan(ten * 5);
  });
});
