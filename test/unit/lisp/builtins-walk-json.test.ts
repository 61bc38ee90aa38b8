import { describe, expect, it } from "vitest";
import { evaluate, type Tools } from "../../../src/index.js";
import { nestedArray } from "../../helpers/odd-values.js";
import { caughtMessage, failureOf, valueOf } from "../../helpers/run-program.js";

/**
 * clojure.walk and clojure.data.json: the error paths, the budgets, and functions that call
 * tools (values are pinned by the conformance cases clj-walk-* and clj-json-*).
 */

describe("json/read-str on bad JSON", () => {
  it.each([
    ['{"a": }', 'line 1, column 7: expected a value, found "}"'],
    ["[1, 2\\n  , tru]", 'line 2, column 5: expected a value, found "tru"'],
    ["[1,]", 'line 1, column 4: expected a value, found "]"'],
    ['{"a" 1}', "line 1, column 6: expected ':' after the key, found \"1\""],
    ["{'a': 1}", "line 1, column 2: expected a string key or '}', found \"'\""],
    ['{"a": 1,}', 'line 1, column 9: expected a string key, found "}"'],
    ['{"a": 1} x', 'line 1, column 10: expected the end of the text, found "x"'],
    ["NaN", 'line 1, column 1: expected a value, found "NaN"'],
    ["01", 'line 1, column 2: expected the end of the text, found "1"'],
    ["1.", "line 1, column 3"],
    ['"a\\\\qb"', "line 1, column 4: expected an escape"],
    ['"\\\\u12G4"', "expected 4 hexadecimal digits after \\u"],
  ])("%s says where it failed", async (text, where) => {
    const message = await caughtMessage(`(json/read-str "${text.replaceAll('"', '\\"')}")`);
    expect(message).toContain("clojure.data.json/read-str: invalid JSON");
    expect(message).toContain(where);
  });

  it("says where the text ends when it ends too early", async () => {
    expect(await caughtMessage('(json/read-str "[1,2")')).toBe(
      "clojure.data.json/read-str: invalid JSON: the text ends at line 1, column 5, where ',' or ']' should follow",
    );
    expect(await caughtMessage('(json/read-str "")')).toContain(
      "the text ends at line 1, column 1, where a value should follow",
    );
    expect(await caughtMessage('(json/read-str "  \\"abc")')).toContain("where '\"' to end the string should follow");
  });

  it("is a type_error when nothing catches it, and a control character in a string is refused", async () => {
    expect(await failureOf('(json/read-str "{")')).toMatchObject({ code: "type_error" });
    expect(await caughtMessage('(json/read-str (str "\\"a" (char 10) "b\\""))')).toContain(
      "control characters must be escaped",
    );
  });

  it("refuses a non-string, unknown options and an option without a value, naming the known ones", async () => {
    expect(await failureOf("(json/read-str 1)")).toMatchObject({ code: "type_error" });
    expect(await caughtMessage('(json/read-str "1" :keywordize? true)')).toBe(
      "clojure.data.json/read-str: unknown option :keywordize?; the options are :key-fn, :value-fn, :eof-error?, :eof-value, :bigdec",
    );
    expect(await caughtMessage('(json/read-str "1" :key-fn)')).toContain("one has no value");
  });
});

describe("json/read-str and write-str under the budgets", () => {
  it("ends a 100,000-deep array with limit_exceeded, never a host stack overflow", async () => {
    const deep = await failureOf('(json/read-str (apply str (concat (repeat 100000 "[") (repeat 100000 "]"))))');
    expect(deep).toEqual({ code: "limit_exceeded", message: "JSON nesting limit exceeded (1001 of 1000 levels)" });
    const written = await failureOf("(json/write-str data/deep)", { data: { deep: nestedArray(100_000) } });
    expect(written.code).toBe("limit_exceeded");
  });

  it("reads 1,000 levels, the depth it can write back", async () => {
    const text = `${"[".repeat(1000)}${"]".repeat(1000)}`;
    expect(await valueOf("(count (json/write-str (json/read-str data/text)))", { data: { text } })).toBe("2000");
  });

  it("ends a 10 MB text with limit_exceeded under the default fuel and under a small memory budget", async () => {
    const text = `[${"1,".repeat(5_000_000)}1]`;
    expect((await failureOf("(count (json/read-str data/text))", { data: { text } })).code).toBe("limit_exceeded");
    const small = { data: { text }, limits: { fuel: Number.POSITIVE_INFINITY, memoryBytes: 8_000_000 } };
    expect(await failureOf("(count (json/read-str data/text))", small)).toMatchObject({
      code: "limit_exceeded",
      message: expect.stringMatching(/^memory limit exceeded/),
    });
  });

  it("charges what it reads: a long string costs more than a short one", async () => {
    const short = await evaluate("(json/read-str data/text)", { data: { text: '"ab"' } });
    const long = await evaluate("(json/read-str data/text)", { data: { text: `"${"a".repeat(16_000)}"` } });
    expect(long.usage.fuel - short.usage.fuel).toBeGreaterThanOrEqual(900);
    expect(long.usage.allocations - short.usage.allocations).toBeGreaterThanOrEqual(30_000);
  });

  it("refuses to write what JSON cannot hold", async () => {
    expect(await caughtMessage("(json/write-str [1 ##Inf])")).toBe(
      "clojure.data.json/write-str: number ##Inf cannot be written as JSON",
    );
    expect(await caughtMessage("(json/write-str {:f inc})")).toMatch(
      /^clojure.data.json\/write-str: function .* cannot be written/,
    );
    expect(await caughtMessage("(json/write-str {nil 1})")).toBe(
      "clojure.data.json/write-str: a JSON object key must be a string, got nil",
    );
    expect(await caughtMessage("(json/write-str {:a 1} :key-fn identity)")).toBe(
      "clojure.data.json/write-str: a JSON object key must be a string, got keyword :a",
    );
    expect((await failureOf("(json/write-str (range))")).code).toBe("limit_exceeded");
  });

  it("calls :key-fn and :value-fn written as closures, and drops a property whose :value-fn returns itself", async () => {
    expect(
      await valueOf(
        '(letfn [(drop-b [k v] (if (= k :b) drop-b v))] (json/read-str "{\\"a\\":1,\\"b\\":2}" :key-fn keyword :value-fn drop-b))',
      ),
    ).toBe("{:a 1}");
    expect(await valueOf("(json/write-str {:a 1 :b 2} {:key-fn name :value-fn (fn [k v] (* 10 v))})")).toBe(
      '"{\\"a\\":10,\\"b\\":20}"',
    );
  });
});

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
