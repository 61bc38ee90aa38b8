import { describe, expect, it, vi } from "vitest";
import {
  type Diagnostic,
  type EvaluateOptions,
  evaluate,
  printValue,
  type RunFailure,
  type RunSuccess,
} from "../../../src/index.js";

async function succeed(source: string, options: EvaluateOptions = {}): Promise<RunSuccess> {
  const result = await evaluate(source, options);
  if (!result.ok) throw new Error(`${source}: ${result.error.code}: ${result.error.message}`);
  return result;
}

/** The printed value of a program that must succeed. */
async function run(source: string, options: EvaluateOptions = {}): Promise<string> {
  return printValue((await succeed(source, options)).value);
}

async function failure(source: string, options: EvaluateOptions = {}): Promise<RunFailure> {
  const result = await evaluate(source, options);
  if (result.ok) throw new Error(`${source}: expected a failure, got ${printValue(result.value)}`);
  return result;
}

async function error(source: string, options: EvaluateOptions = {}): Promise<Diagnostic> {
  return (await failure(source, options)).error;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe("closures", () => {
  it("capture the value of each iteration", async () => {
    expect(await run("(map (fn [f] (f)) (for [x [1 2 3]] (fn [] x)))")).toBe("(1 2 3)");
    expect(await run("(map (fn [f] (f)) (for [x [1 2] y [10 20]] (fn [] (+ x y))))")).toBe("(11 21 12 22)");
    expect(
      await run("(map (fn [f] (f)) (loop [i 0 acc []] (if (< i 3) (recur (inc i) (conj acc (fn [] i))) acc)))"),
    ).toBe("(0 1 2)");
    expect(await run("(let [a (atom [])] (doseq [x [1 2 3]] (swap! a conj #(* 10 x))) (map (fn [f] (f)) @a))")).toBe(
      "(10 20 30)",
    );
    expect(await run("(map (fn [f] (f)) (for [x [1 2]] (letfn [(g [] (h)) (h [] x)] g)))")).toBe("(1 2)");
  });

  it("capture through nested functions and outlive their scope", async () => {
    expect(
      await run("(defn adder [n] (fn [x] (+ x n))) (let [add2 (adder 2) add5 (adder 5)] [(add2 1) (add5 1)])"),
    ).toBe("[3 6]");
    expect(await run("(let [x 1 f (fn [] (fn [] (fn [] x)))] (((f))))")).toBe("1");
    expect(await run("(let [x 1 f (fn [] x) x 2] [(f) x])")).toBe("[1 2]");
  });

  it("see a counter atom by reference", async () => {
    expect(await run("(let [c (atom 0) bump (fn [] (swap! c inc))] (bump) (bump) @c)")).toBe("2");
  });
});

describe("functions", () => {
  it("a named fn calls itself", async () => {
    expect(await run("((fn fact [n] (if (<= n 1) 1 (* n (fact (dec n))))) 5)")).toBe("120");
    expect(await run("(let [fib (fn fib [n] (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))] (fib 15))")).toBe("610");
    expect(await run("(defn f [n] (if (zero? n) :done (f (dec n)))) (f 100)")).toBe(":done");
  });

  it("multi-arity and variadic", async () => {
    expect(await run("(defn f ([] 0) ([a] a) ([a b & more] [a b more])) [(f) (f 5) (f 1 2) (f 1 2 3 4)]")).toBe(
      "[0 5 [1 2 nil] [1 2 (3 4)]]",
    );
    expect(await run("((fn [& xs] xs))")).toBe("nil");
    expect(await run("(apply (fn [a & r] [a r]) 1 [2 3])")).toBe("[1 (2 3)]");
  });

  it("arity mismatch at run time is arity_error with the call's span", async () => {
    const found = await error("(let [f (fn [a] a)]\n  (f 1 2))");
    expect(found).toMatchObject({ code: "arity_error", phase: "eval", span: { line: 2, column: 3 } });
    expect(found.message).toContain("2");
    expect((await error("((fn ([a] a) ([a b c] a)) 1 2)")).code).toBe("arity_error");
  });

  it("recur in a variadic fn passes the rest as one value", async () => {
    expect(await run("(defn g [n & xs] (if (zero? n) xs (recur (dec n) (cons n xs)))) (g 3)")).toBe("(1 2 3)");
    expect(await run("((fn [& xs] (if (< (count xs) 3) (recur (conj (vec xs) 0)) xs)))")).toBe("[0 0 0]");
  });

  it("recur in a fn runs in constant stack", async () => {
    expect(await run("(defn count-down [n] (if (zero? n) :done (recur (dec n)))) (count-down 100000)")).toBe(":done");
  });

  it("calling a non-function is a type_error", async () => {
    expect(await error("(defn f [a] a) (def f 5) (f 1)")).toMatchObject({ code: "type_error", span: { column: 26 } });
    expect((await error('("a" 1)')).code).toBe("type_error");
  });

  it("keywords, maps, sets and vectors are callable", async () => {
    expect(await run("[(:a {:a 1}) (:b {:a 1} 9) ({:a 1} :a) (#{1 2} 2) (#{1} 3) ([5 6] 1)]")).toBe("[1 9 1 2 nil 6]");
  });
});

describe("destructuring", () => {
  it.each([
    ["(let [[a b & r :as all] [1 2 3 4]] [a b r all])", "[1 2 (3 4) [1 2 3 4]]"],
    ["(let [[a b c] [1]] [a b c])", "[1 nil nil]"],
    ["(let [[a & r] nil] [a r])", "[nil nil]"],
    ["(let [[a [b c]] [1 [2 3]]] [a b c])", "[1 2 3]"],
    ['(let [[a b] "hi"] [a b])', '["h" "i"]'],
    ["(let [[a b] (list 1 2)] (+ a b))", "3"],
    ['(let [{:keys [a b] :strs [c] :or {b 9} :as m} {:a 1 "c" 3}] [a b c m])', '[1 9 3 {:a 1, "c" 3}]'],
    ["(let [{a :a, [x y] :v} {:a 1 :v [2 3]}] [a x y])", "[1 2 3]"],
    ["(let [{{:keys [y]} :p} {:p {:y 2}}] y)", "2"],
    ["(let [{[x {:keys [y]}] :p} {:p [1 {:y 2}]}] [x y])", "[1 2]"],
    ["(let [{:keys [a] :or {a 5}} {:a nil}] a)", "nil"],
    ["(let [{:keys [a] :or {a 5}} nil] a)", "5"],
    ["(let [{:keys [a b]} '(:a 1 :b 2)] [a b])", "[1 2]"],
    ["((fn [[a b] {:keys [c]}] [a b c]) [1 2] {:c 3})", "[1 2 3]"],
    ["((fn [a & {:keys [k]}] [a k]) 1 :k 2)", "[1 2]"],
    ["(loop [[x & xs] [1 2 3] acc 0] (if x (recur xs (+ acc x)) acc))", "6"],
    ["(map (fn [[k v]] (str k v)) {:a 1 :b 2})", '(":a1" ":b2")'],
    ["(for [{:keys [n]} [{:n 1} {:n 2}]] n)", "(1 2)"],
    ["(let [[_ _ c] [1 2 3]] c)", "3"],
  ])("%s => %s", async (source, expected) => {
    expect(await run(source)).toBe(expected);
  });

  it("flex: :keys finds string keys of JSON and :strs finds keyword keys", async () => {
    expect(
      await run("(let [{:keys [total]} data/order {:strs [id]} data/order] [total id])", {
        data: { order: { total: 5, id: 7 } },
      }),
    ).toBe("[5 7]");
  });

  it("a vector pattern over a map or number is destructure_error", async () => {
    expect(await error("(let [[a b] {:a 1}]\n  a)")).toMatchObject({ code: "destructure_error", phase: "eval" });
    expect((await error("(let [[a] 5] a)")).code).toBe("destructure_error");
    expect((await error("((fn [[a]] a) 5)")).code).toBe("destructure_error");
  });

  it("malformed patterns are rejected before running", async () => {
    expect((await error("(let [{:keys a} {}] a)")).code).toBe("invalid_form");
    expect((await error("(let [[a & b c] [1]] a)")).code).toBe("invalid_form");
    expect((await error("(let [[a :as] [1]] a)")).code).toBe("invalid_form");
  });
});

describe("try / catch / finally", () => {
  it("catches runtime errors as ex-info with their code", async () => {
    expect(await run("(try (nth [1] 5) (catch :default e (ex-message e)))")).toMatch(/nth.*5/);
    expect(await run("(try (nth [1] 5) (catch :default e (ex-data e)))")).toBe("{:code :type_error}");
    expect(await run('(try (inc "a") (catch Exception e :caught))')).toBe(":caught");
    expect(await run("(try (let [[a] 5] a) (catch :default e (:code (ex-data e))))")).toBe(":destructure_error");
  });

  it("catches thrown ex-info and plain values", async () => {
    expect(await run('(try (throw (ex-info "boom" {:k 1})) (catch :default e [(ex-message e) (ex-data e)]))')).toBe(
      '["boom" {:k 1}]',
    );
    expect(await run('(try (throw (ex-info "boom" {:k 1})) (catch ExceptionInfo e (:k (ex-data e))))')).toBe("1");
    expect(await run("(try (throw 42) (catch :default e (inc e)))")).toBe("43");
    expect(await run('(try (throw "s") (catch ExceptionInfo e :info) (catch :default e [:other e]))')).toBe(
      '[:other "s"]',
    );
  });

  it("the body's value when nothing is thrown; the handler's otherwise", async () => {
    expect(await run("(try 1 (catch :default e 2))")).toBe("1");
    expect(await run("(try (/ 1 0) 5 (catch :default e 2))")).toBe("5");
    expect(await run('(try (throw (ex-info "x" {})) 5 (catch :default e 2))')).toBe("2");
  });

  it("finally runs on success, on a caught error and on an uncaught one", async () => {
    expect(await run("(let [a (atom 0)] [(try 1 (finally (reset! a 5))) @a])")).toBe("[1 5]");
    expect(
      await run(
        '(let [a (atom []) v (try (throw (ex-info "x" {})) (catch :default e :c) (finally (swap! a conj :f)))] [v @a])',
      ),
    ).toBe("[:c [:f]]");
    expect(
      await run('(let [a (atom 0)] (try (try (throw (ex-info "x" {})) (finally (reset! a 5))) (catch :default e @a)))'),
    ).toBe("5");
    const failed = await failure('(try (throw (ex-info "x" {})) (finally (println "cleanup")))');
    expect(failed.error.code).toBe("thrown");
    expect(failed.prints).toEqual(["cleanup"]);
  });

  it("a handler can rethrow", async () => {
    expect(
      await run(
        '(try (try (throw (ex-info "in" {:n 1})) (catch :default e (throw (ex-info "out" {:was (ex-message e)})))) (catch :default e (ex-data e)))',
      ),
    ).toBe('{:was "in"}');
  });

  it("limits are never catchable", async () => {
    const fuel = await error("(try (loop [x 0] (recur x)) (catch :default e :caught))", { limits: { fuel: 10_000 } });
    expect(fuel).toMatchObject({ code: "limit_exceeded", limit: "fuel" });
    const depth = await error("(defn f [n] (inc (f n))) (try (f 1) (catch :default e :caught))");
    expect(depth).toMatchObject({ code: "limit_exceeded", limit: "depth" });
    const memory = await error('(try (loop [s "x"] (recur (str s s))) (catch :default e :caught))');
    expect(memory).toMatchObject({ code: "limit_exceeded", limit: "memory" });
  });

  it("a failing tool is catchable", async () => {
    const tools = {
      boom: async () => {
        throw new Error("kaput");
      },
    };
    const result = await succeed("(try (tool/boom {}) (catch :default e [(ex-message e) (ex-data e)]))", { tools });
    expect(result.json).toEqual(["tool boom failed: kaput", { code: "tool_error", tool: "boom" }]);
  });

  it("return passes through try", async () => {
    const result = await succeed("(try (return 1) (catch :default e 2))");
    expect(result.value).toBe(1);
    expect(result.signal).toBe("return");
  });
});

describe("throw, return and fail", () => {
  it("an uncaught ex-info is code thrown with its data", async () => {
    const found = await error('(do 1\n  (throw (ex-info "bad input" {:id 7})))');
    expect(found).toMatchObject({ code: "thrown", phase: "eval", details: { value: { id: 7 } } });
    expect(found.message).toContain("bad input");
  });

  it("an uncaught plain value is code thrown", async () => {
    expect(await error('(throw "x")')).toMatchObject({ code: "thrown", details: { value: "x" } });
  });

  it("return ends the program with its value", async () => {
    const result = await succeed('(println "a") (return {:v 5}) (println "never") 6');
    expect(result.json).toEqual({ v: 5 });
    expect(result.signal).toBe("return");
    expect(result.prints).toEqual(["a"]);
    expect((await succeed("(defn f [] (return 3)) (+ 1 (f))")).value).toBe(3);
    expect((await succeed("(+ 1 2)")).signal).toBeUndefined();
  });

  it("fail ends the program with code fail and the value", async () => {
    const result = await failure('(fail {:reason "no data"}) 6');
    expect(result.error).toMatchObject({ code: "fail", details: { value: { reason: "no data" } } });
    expect(printValue(result.value ?? null)).toBe('{:reason "no data"}');
    expect((await failure('(try (fail "x") (catch :default e :caught))')).error.code).toBe("fail");
  });
});

describe("def", () => {
  it("returns a var and persists for later forms and in result.globals", async () => {
    expect(await run("(def x 5)")).toBe("#'user/x");
    const result = await succeed("(def x 5) (defn f [] (* x 2)) (def x 6) (f)");
    expect(result.value).toBe(12);
    expect(result.globals.get("x")).toBe(6);
    expect([...result.globals.keys()]).toEqual(["x", "f"]);
  });

  it("defn inside a function defines a global when it runs", async () => {
    expect(await run("(defn setup [] (def y 10)) (setup) y")).toBe("10");
  });

  it("predefined globals come from options", async () => {
    expect(await run("(+ base 1)", { globals: { base: 41 } })).toBe("42");
  });
});

describe("data access", () => {
  const data = { order: { total: 5, items: [{ sku: "a", qty: 2 }], "due-date": "x" }, n: 3 };

  it("reads data/ names, with nil for missing names and keys", async () => {
    expect(
      await run(
        "[data/n data/nope (:nope data/order) (get-in data/order [:items 0 :sku]) (get-in data/order [:items 9 :sku])]",
        { data },
      ),
    ).toBe('[3 nil nil "a" nil]');
    expect(await run("data/anything")).toBe("nil");
  });

  it("JSON objects are keyword maps with flex lookup", async () => {
    expect(
      await run(
        '[(:total data/order) (get data/order "total") (data/order :total) (keys data/order) (:due-date data/order)]',
        { data },
      ),
    ).toBe('[5 5 5 (:total :items :due-date) "x"]');
    expect(await run("(map :qty (:items data/order))", { data })).toBe("(2)");
  });

  it("never mutates the input", async () => {
    const input = deepFreeze(structuredClone(data));
    const before = JSON.stringify(input);
    const result = await succeed(
      `[(assoc data/order :total 6)
        (update data/order :items conj {:sku "b"})
        (merge data/order {:x 1})
        (conj (:items data/order) 1)
        (assoc-in data/order [:items 0 :qty] 9)
        (update-in data/order [:items 0 :qty] inc)
        (dissoc data/order :items)
        (assoc data/order "total" 7)
        (into data/order {:y 2})
        data/order]`,
      { data: input },
    );
    expect(JSON.stringify(input)).toBe(before);
    const json = result.json as Record<string, unknown>[];
    expect(json[0]).toMatchObject({ total: 6 });
    expect(json[1]?.["items"]).toHaveLength(2);
    expect(json[4]).toMatchObject({ items: [{ sku: "a", qty: 9 }] });
    expect(json[5]).toMatchObject({ items: [{ sku: "a", qty: 3 }] });
    expect(Object.keys(json[7] as object)).toEqual(["total", "items", "due-date"]);
    expect(json[7]?.["total"]).toBe(7);
    expect(json[9]).toEqual(data.order);
  });
});

describe("output", () => {
  it("println is captured in prints and never written to stdout", async () => {
    const write = vi.spyOn(process.stdout, "write");
    try {
      const result = await succeed('(println "hi" 1 :k) (prn "q") (print "x") (println {:a "s"}) (println) 7');
      expect(result.prints).toEqual(["hi 1 :k", '"q"', "x", "{:a s}", ""]);
      expect(result.value).toBe(7);
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });

  it("prints of a failed run are kept", async () => {
    const result = await failure('(println "before") (inc nil)');
    expect(result.prints).toEqual(["before"]);
    expect(result.error.code).toBe("type_error");
  });
});
