import { describe, expect, it } from "vitest";
import { type CompileOptions, compile, type Diagnostic, defineTool, type Tools } from "../../../src/index.js";

const tools: Tools = {
  search: defineTool({
    name: "search",
    input: "(query :string, limit :int?)",
    output: "[{id :int, title :string, score :float}]",
    execute: () => [],
  }),
  "get-customer": defineTool({
    name: "get-customer",
    input: "(customer_id :int)",
    output: '{id :int, name :string, tier "gold" | "basic"}',
    execute: () => null,
  }),
  untyped: async () => 1,
};

const ORDERS = "(orders [{id :int, customer_id :int, total :float, status :string}], limit :int?)";

function check(source: string, signature?: string, options: Partial<CompileOptions> = {}) {
  const result = compile(source, { tools, ...(signature === undefined ? {} : { signature }), ...options });
  const errors = result.diagnostics.filter((d) => d.severity !== "warning");
  const warnings = result.diagnostics.filter((d) => d.severity === "warning");
  return { ok: result.ok, errors, warnings, all: result.diagnostics };
}

function text(source: string, diagnostic: Diagnostic | undefined): string {
  const span = diagnostic?.span;
  if (span === undefined) throw new Error("diagnostic without a span");
  return source.slice(span.start, span.end);
}

function clean(source: string, signature: string): void {
  const result = check(source, signature);
  expect(result.all.map((d) => d.message)).toEqual([]);
  expect(result.ok).toBe(true);
}

describe("data keys", () => {
  it("are errors when the parameter list is closed, with a hint", () => {
    const source = "(count data/order)";
    const result = check(source, `${ORDERS} -> :int`);
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({
      code: "unknown_data_key",
      phase: "analyze",
      message: "data/order is not an input of this program; the inputs are data/orders, data/limit",
      hint: "did you mean `data/orders`?",
    });
    expect(text(source, result.errors[0])).toBe("data/order");
  });

  it("are not checked for open parameter lists or the output-only shorthand", () => {
    clean("(count data/anything)", "(orders [:any], ...) -> :int");
    clean("(count data/anything)", ":int");
  });

  it("take the parameter types", () => {
    const result = check("(:totl (first data/orders))", `${ORDERS} -> :any`);
    expect(result.errors.map((d) => d.message)).toEqual(["map {id, customer_id, total, status} has no field :totl"]);
  });
});

describe("tool arguments", () => {
  it("report a missing argument at the call", () => {
    const source = "(tool/search {:limit 3})";
    const result = check(source, ":any");
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({
      code: "validation_error",
      phase: "analyze",
      message: "tool/search: missing required argument query (string)",
    });
    expect(text(source, result.errors[0])).toBe("{:limit 3}");
    expect(check("(tool/search)", ":any").errors[0]?.message).toBe(
      "tool/search: missing required argument query (string)",
    );
  });

  it("report an unknown argument at its key and a wrong type at its value", () => {
    const source = '(tool/search {:query "x" :max 3 :limit "ten"})';
    const result = check(source, ":any");
    expect(result.errors.map((d) => [d.message, text(source, d)])).toEqual([
      ["tool/search: unknown argument max; its input is {query :string, limit :int?}", ":max"],
      ['tool/search: argument limit must be int, got string "ten"', '"ten"'],
    ]);
  });

  it("accept kebab-case keys, keyword/value pairs and strings the run will coerce", () => {
    clean('(tool/get-customer {:customer-id "42"})', ":any");
    clean('(tool/search :query "x" :limit 2)', ":any");
    clean("(let [args {:query (str 1)}] (tool/search args))", ":any");
  });

  it("warn about strings that may not coerce, and check arguments built in variables", () => {
    const warned = check("(fn [s] (tool/get-customer {:customer_id (str s)}))", ":any");
    expect(warned.ok).toBe(true);
    expect(warned.warnings[0]?.message).toBe("tool/get-customer: argument customer_id must be int, got string");
    const source = "(let [args {:q 1}] (tool/search args))";
    const result = check(source, ":any");
    expect(result.errors.map((d) => [d.message, text(source, d)])).toEqual([
      ["tool/search: unknown argument q; its input is {query :string, limit :int?}", ":q"],
      ["tool/search: missing required argument query (string)", "args"],
    ]);
  });

  it("type the results with the tool's output, and leave untyped tools alone", () => {
    expect(check('(:titel (first (tool/search {:query "x"})))', ":any").errors[0]?.message).toBe(
      "map {id, title, score} has no field :titel",
    );
    clean("(:whatever (tool/untyped {:a 1}))", ":any");
  });

  it("unknown tools are errors (from the analyzer)", () => {
    const result = check('(tool/serch {:query "x"})', ":any");
    expect(result.errors[0]).toMatchObject({ code: "unknown_tool", hint: "did you mean `tool/search`?" });
  });
});

describe("field reads", () => {
  it("are errors where the name is a near spelling of a field, with a hint", () => {
    const source = "(map :customer-id data/orders)";
    const result = check(source, `${ORDERS} -> :any`);
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({
      code: "unknown_field",
      message: "map {id, customer_id, total, status} has no field :customer-id",
      hint: "did you mean `:customer_id`?",
    });
    expect(result.errors[0]?.severity).toBeUndefined();
    expect(text(source, result.errors[0])).toBe(":customer-id");
  });

  it("warn where the type says a field cannot exist and no field is near", () => {
    const result = check("(map :discount data/orders)", `${ORDERS} -> :any`);
    expect(result.ok).toBe(true);
    expect(result.warnings[0]).toMatchObject({ code: "unknown_field", severity: "warning" });
  });

  it("follow let, destructuring, fn, threading, filter, group-by, sort-by and the aggregation helpers", () => {
    const source = `(let [paid (filter #(= "paid" (:status %)) data/orders)
      {:keys [id totl]} (first paid)
      groups (group-by :customer_id paid)]
  (->> groups
       (map (fn [[k os]] {:k k :sum (sum-by :amount os)}))
       (sort-by :summ)))`;
    const result = check(source, `${ORDERS} -> :any`);
    expect(result.all.map((d) => [d.message, text(source, d), d.severity ?? "error"])).toEqual([
      ["map {id, customer_id, total, status} has no field :totl", "totl", "error"],
      ["map {id, customer_id, total, status} has no field :amount", ":amount", "warning"],
      ["map {k, sum} has no field :summ", ":summ", "error"],
    ]);
  });

  it("warn when a field is read from a list, suggesting the elements", () => {
    const result = check("(:total data/orders)", `${ORDERS} -> :any`);
    expect(result.warnings[0]?.message).toBe("list of map {id, customer_id, total, status} has no field :total");
    expect(result.warnings[0]?.hint).toBe("it is a list of maps; read each element's field, e.g. `(map :total ...)`");
  });

  it("stay silent on maps of unknown shape", () => {
    clean("(:anything data/m)", "(m :map) -> :any");
    clean("(:anything (get data/m :x))", "(m {:string :any}) -> :any");
    clean("(:anything data/x)", "(x :any) -> :any");
  });
});

describe("return values", () => {
  it("are errors when they certainly cannot match, pointing at the offending form", () => {
    const source = `{:count (count data/orders) :total "none"}`;
    const result = check(source, `${ORDERS} -> {count :int, total :float}`);
    expect(result.errors.map((d) => [d.code, d.message, text(source, d)])).toEqual([
      [
        "validation_error",
        'the return value does not match the output signature at total: expected float, got string "none"',
        '"none"',
      ],
    ]);
  });

  it("report missing and extra fields", () => {
    const source = "{:count 1 :extra 2}";
    const result = check(source, "{count :int, total :float}");
    expect(result.errors.map((d) => [d.message, text(source, d)])).toEqual([
      ["the return value lacks the field total (float) that the output signature requires", source],
      [
        "the return value has the field extra, which the output signature {count :int, total :float} does not allow",
        ":extra",
      ],
    ]);
  });

  it("check through branches, lets, threading and list elements", () => {
    const source = `(if (empty? data/orders)
  {:top []}
  {:top (->> data/orders (sort-by :total >) (take 3) (map :status))})`;
    const result = check(source, `${ORDERS} -> {top [:int]}`);
    expect(result.errors.map((d) => d.message)).toEqual([
      "the return value does not match the output signature at top[]: expected int, got string",
    ]);
    expect(text(source, result.errors[0])).toBe("(->> data/orders (sort-by :total >) (take 3) (map :status))");
  });

  it("check enums, (return v) and the last form", () => {
    expect(check('(do (when true (return {:s "c"})) {:s "a"})', '{s "a" | "b"}').errors[0]?.message).toBe(
      'the return value does not match the output signature at s: expected "a" | "b", got string "c"',
    );
    expect(check("(println 1)", ":int").errors[0]?.message).toBe(
      "the return value does not match the output signature: expected int, got nil",
    );
  });

  it("are warnings when they only may not match", () => {
    const implicit = check("(when (seq data/orders) {:n 1})", `${ORDERS} -> {n :int}`);
    expect(implicit.ok).toBe(true);
    expect(implicit.warnings[0]?.message).toBe(
      "the return value does not match the output signature: expected {n :int}, got nil",
    );
    const caught = check('(try {:n (count (tool/search {:query "x"}))} (catch :default e nil))', "{n :int}");
    expect(caught.ok).toBe(true);
    expect(caught.warnings).toHaveLength(1);
    const partial = check('(first (tool/search {:query "x"}))', "{id :int, title :string, score :float, rank :int}");
    expect(partial.ok).toBe(true);
    expect(partial.warnings[0]?.message).toBe(
      "the return value lacks the field rank (int) that the output signature requires",
    );
  });

  it("accept correct programs built with reduce, into, merge, assoc, select-keys, frequencies", () => {
    clean("(reduce (fn [acc o] (assoc acc (str (:id o)) (:total o))) {} data/orders)", `${ORDERS} -> {:string :float}`);
    clean("(into {} (map (juxt :status :total) data/orders))", `${ORDERS} -> {:string :float}`);
    clean("(mapv #(select-keys % [:id :total]) data/orders)", `${ORDERS} -> [{id :int, total :float}]`);
    clean("(merge {:a 1} {:b (count data/orders)})", `${ORDERS} -> {a :int, b :int}`);
    clean("(frequencies (map :status data/orders))", `${ORDERS} -> {:string :int}`);
    clean("(cond-> {:n 1} (seq data/orders) (assoc :first (first data/orders)))", `${ORDERS} -> {n :int, first :map?}`);
    clean("(or data/limit 10)", `${ORDERS} -> :int`);
    clean("(if (nil? data/limit) 0 (inc data/limit))", `${ORDERS} -> :int`);
    clean("(loop [xs data/orders n 0] (if (empty? xs) n (recur (rest xs) (inc n))))", `${ORDERS} -> :int`);
    clean("(apply max 0 (map :id data/orders))", `${ORDERS} -> :int`);
    clean("(/ (sum-by :total data/orders) 2)", `${ORDERS} -> :float`);
    clean("(cond (empty? data/orders) :none :else :some)", `${ORDERS} -> "none" | "some"`);
  });

  it("let :any flow silently", () => {
    clean("(let [x (tool/untyped {})] {:a (:b x) :c (first x)})", "{a :int, c :string}");
    clean("(hash-map :whatever 1)", "{a :int}");
  });
});

describe("arity", () => {
  it("is checked for local functions called directly", () => {
    const source = "(let [f (fn [a b] (+ a b))] (f 1))";
    const result = check(source, ":any");
    expect(result.errors[0]).toMatchObject({ code: "arity_error", message: "f expects 2 argument(s), got 1" });
    expect(text(source, result.errors[0])).toBe("(f 1)");
  });

  it("is checked for functions passed to map, reduce, comp and friends", () => {
    const source = "(map (fn [a b] a) data/orders)";
    const result = check(source, `${ORDERS} -> :any`);
    expect(result.errors[0]).toMatchObject({
      code: "arity_error",
      message: "map calls its function argument with 1 argument(s), but that function takes 2",
    });
    expect(text(source, result.errors[0])).toBe("(fn [a b] a)");
    expect(check("(reduce (fn [x] x) 0 [1 2])", ":any").errors[0]?.code).toBe("arity_error");
    expect(check("(map inc [1] [2])", ":any").errors[0]?.code).toBe("arity_error");
    expect(check("(defn f [a b] a) (map f [1])", ":any").errors[0]?.code).toBe("arity_error");
    clean("(map + [1] [2])", ":any");
    clean("(defn f ([a] a) ([a b] b)) [(map f [1]) (map f [1] [2])]", ":any");
  });
});

describe("the checker", () => {
  it("does not run without a signature or typed tools", () => {
    expect(compile("(:x {:y 1})").diagnostics).toEqual([]);
  });

  it("gives every diagnostic a span, and survives recursion and deep programs", () => {
    const recursive = check("(defn f [n] (if (zero? n) {:a 1} (f (dec n)))) (f 3)", "{a :int}");
    expect(recursive.ok).toBe(true);
    const deep = `${"(do ".repeat(300)}1${")".repeat(300)}`;
    expect(check(deep, ":int").ok).toBe(true);
    const many = check('{:a "x" :b "y"} (tool/search {}) (:q data/orders)', `${ORDERS} -> {a :int, b :int}`);
    expect(many.all.length).toBeGreaterThan(2);
    for (const diagnostic of many.all) expect(diagnostic.span).toBeDefined();
  });

  it("stops at its inference budget on programs whose types grow without bound, reporting no false error", () => {
    let source = "(defn f0 [x] {:v x})\n";
    for (let i = 1; i < 40; i++) {
      source += `(defn f${i} [x] (let [a (f${i - 1} x) b (f${i - 1} [x]) c (map (fn [y] (f${i - 1} y)) [x a b])] {:a a :b b :c c}))\n`;
    }
    const result = check(`${source}(f39 1)`, "{a :any, b :any, c [:any]}");
    expect(result.errors).toEqual([]);
  });
});

describe("transducers and map entries", () => {
  const ITEMS = "(orders [{id :int, ok :bool, tags [:string]?}])";

  it("types into, sequence and comp through the transducer", () => {
    clean("(into [] (map :id) data/orders)", `${ITEMS} -> [:int]`);
    clean("(into [] (comp (filter :ok) (map :id)) data/orders)", `${ITEMS} -> [:int]`);
    clean("(sequence (map :id) data/orders)", `${ITEMS} -> [:int]`);
    clean("(into #{} (keep :tags) data/orders)", `${ITEMS} -> #{[:string]}`);
    clean("(into [] (comp (map :id) (take 2) (remove nil?)) data/orders)", `${ITEMS} -> [:int]`);
    clean("(into [] (mapcat :tags) data/orders)", `${ITEMS} -> [:string]`);
    clean("(into {} (map (fn [o] [(:id o) o])) data/orders)", `${ITEMS} -> {:int {id :int, ok :bool}}`);
    clean("(sequence data/orders)", `${ITEMS} -> [{id :int, ok :bool, tags [:string]?}]`);
  });

  it("reports what the transducer makes, not the elements it was given", () => {
    const wrong = check("(into [] (map :id) data/orders)", `${ITEMS} -> [:string]`);
    expect(wrong.errors.map((d) => d.message).join()).toMatch(/expected string, got int/);
    const composed = check("(into [] (comp (filter :ok) (map :id)) data/orders)", `${ITEMS} -> [:string]`);
    expect(composed.errors.map((d) => d.message).join()).toMatch(/expected string, got int/);
  });

  it("types cat as a transducer, and transduce as a reduction of what the transducer makes", () => {
    clean("(into [] cat data/xss)", "(xss [[:int]]) -> [:int]");
    clean("(sequence (comp cat (map inc)) data/xss)", "(xss [[:int]]) -> [:int]");
    clean("(transduce (map :id) + 0 data/orders)", `${ITEMS} -> :int`);
    clean("(transduce (comp (filter :ok) (map :id)) + data/orders)", `${ITEMS} -> :int`);
    clean("(transduce (map :id) conj [] data/orders)", `${ITEMS} -> [:int]`);
    const cat = check("(into [] cat data/xss)", "(xss [[:int]]) -> [:string]");
    expect(cat.errors.map((d) => d.message).join()).toMatch(/expected string, got int/);
    const summed = check("(transduce (map :id) + 0 data/orders)", `${ITEMS} -> :string`);
    expect(summed.errors.map((d) => d.message).join()).toMatch(/expected string, got int/);
  });

  it("a function that is not known to be a transducer makes elements of any type", () => {
    clean("(defn xf [rf] rf) (into [] xf data/orders)", `${ITEMS} -> [:string]`);
  });

  it("types a map entry destructured in a function argument as a [key value] pair", () => {
    clean("(map (fn [[k v]] (inc v)) data/m)", "(m {:string :int}) -> [:int]");
    clean("(map (fn [[k v]] k) data/m)", "(m {:string :int}) -> [:string]");
    const wrong = check("(map (fn [[k v]] v) data/m)", "(m {:string :int}) -> [:string]");
    expect(wrong.errors.map((d) => d.message).join()).toMatch(/expected string, got int/);
    clean("(into {} (map (fn [[k v]] [k (* 2 v)])) data/m)", "(m {:string :int}) -> {:string :int}");
  });

  it("narrows by what a predicate's truth says about its argument", () => {
    clean("(map inc (filter some? data/xs))", "(xs [:int?]) -> [:int]");
    clean("(map inc (remove nil? data/xs))", "(xs [:int?]) -> [:int]");
    clean("(map inc (filter identity data/xs))", "(xs [:int?]) -> [:int]");
    clean("(if (some? data/x) (inc data/x) 0)", "(x :int?) -> :int");
  });
});
