import { describe, expect, it } from "vitest";
import { CostExpr, estimateCost } from "../../../src/index.js";

const calls = (source: string, sizes: Record<string, number> = {}) => {
  const estimate = estimateCost(source, { sizes });
  return Object.fromEntries(Object.entries(estimate.toolCalls).map(([tool, count]) => [tool, count.toString()]));
};

describe("CostExpr", () => {
  it("collects like terms, distributes products and prints", () => {
    const orders = CostExpr.size("orders");
    const expr = CostExpr.constant(2)
      .plus(orders)
      .plus(orders.times(CostExpr.constant(2)));
    expect(expr.toString()).toBe("3*|orders| + 2");
    expect(expr.evaluate({ orders: 10 })).toBe(32);
    const product = orders.plus(CostExpr.ONE).times(CostExpr.size("items"));
    expect(product.toString()).toBe("|items|*|orders| + |items|");
    expect(product.evaluate({ orders: 2, items: 3 })).toBe(9);
  });

  it("folds constants in max and min and keeps symbolic ones", () => {
    expect(CostExpr.constant(2).max(CostExpr.constant(5)).toString()).toBe("5");
    expect(CostExpr.size("a").max(CostExpr.ZERO).toString()).toBe("|a|");
    const bounded = CostExpr.constant(5).min(CostExpr.size("orders"));
    expect(bounded.toString()).toBe("min(5, |orders|)");
    expect(bounded.evaluate({ orders: 3 })).toBe(3);
    expect(bounded.evaluate({ orders: 30 })).toBe(5);
  });

  it("evaluates unknown sizes with the fallback", () => {
    expect(CostExpr.size("x").evaluate({}, 7)).toBe(7);
    expect(CostExpr.size("x").sizes()).toEqual(["x"]);
  });
});

describe("estimateCost", () => {
  it("adds sequences and multiplies iteration by the size of what is iterated", () => {
    expect(calls("(tool/a {}) (tool/a {}) (tool/b {})")).toEqual({ a: "2", b: "1" });
    expect(calls("(map (fn [o] (tool/get {:id (:id o)})) data/orders)")).toEqual({ get: "|orders|" });
    expect(calls("(mapv #(tool/get {:id %}) data/ids)")).toEqual({ get: "|ids|" });
    expect(calls("(doseq [o data/orders i (:items o)] (tool/log {:sku (:sku i)}))")).toEqual({
      log: "|orders.items|*|orders|",
    });
    expect(calls("(reduce (fn [acc o] (+ acc (tool/price {:id (:id o)}))) 0 data/orders)")).toEqual({
      price: "|orders|",
    });
  });

  it("takes the maximum of branches", () => {
    expect(calls("(if (pos? (count data/x)) (tool/a {}) (do (tool/b {}) (tool/b {})))")).toEqual({ a: "1", b: "2" });
    expect(calls("(case data/k :x (tool/a {}) :y (do (tool/a {}) (tool/a {})) (tool/c {}))")).toEqual({
      a: "2",
      c: "1",
    });
  });

  it("reads loop bounds from the builtins' ordering and truth facts", () => {
    expect(calls("(loop [i 0] (when (<= i 4) (tool/x {}) (recur (inc i))))")).toEqual({ x: "5" });
    expect(calls("(loop [i 2] (when (< i 5) (tool/x {}) (recur (inc i))))")).toEqual({ x: "3" });
    expect(calls("(loop [xs data/ids] (when (seq xs) (tool/x {}) (recur (rest xs))))")).toEqual({ x: "|ids|" });
    expect(calls("(loop [xs data/ids] (if (empty? xs) 0 (do (tool/x {}) (recur (rest xs)))))")).toEqual({ x: "|ids|" });
    expect(calls("(loop [xs data/ids] (if (not (empty? xs)) (do (tool/x {}) (recur (rest xs))) 0))")).toEqual({
      x: "|ids|",
    });
    // A test that no fact bounds: the bound is assumed.
    expect(estimateCost("(loop [xs data/ids] (when (> 1 0) (tool/x {}) (recur (rest xs))))").assumed).toHaveLength(1);
  });

  it("sizes results from the builtins' size facts", () => {
    expect(calls("(map #(tool/f {:x %}) (rest data/ids))")).toEqual({ f: "max(|ids| - 1, 0)" });
    expect(calls("(map #(tool/f {:x %}) (concat data/a data/b))")).toEqual({ f: "|a| + |b|" });
    expect(calls("(map #(tool/f {:x %}) (range 4))")).toEqual({ f: "4" });
    expect(calls("(map #(tool/f {:x %}) (into data/a data/b))")).toEqual({ f: "|a| + |b|" });
    expect(calls("(reduce (fn [acc x] (tool/f {:x x})) 0 (filter odd? data/ids))")).toEqual({ f: "|ids|" });
  });

  it("derives counter-loop bounds and marks assumed ones", () => {
    const counted = estimateCost("(loop [i 0] (when (< i 5) (tool/x {}) (recur (inc i))))");
    expect(counted.toolCalls["x"]?.toString()).toBe("5");
    expect(counted.assumed).toEqual([]);
    expect(calls("(dotimes [i 7] (tool/x {}))")).toEqual({ x: "7" });
    const assumed = estimateCost("(loop [x (tool/start {})] (if (:done x) x (recur (tool/step {}))))", {
      loopBound: 4,
    });
    expect(assumed.toolCalls["step"]?.toString()).toBe("4");
    expect(assumed.assumed).toHaveLength(1);
    expect(assumed.assumed[0]?.what).toBe("loop");
    const recursion = estimateCost("(defn f [n] (when (pos? n) (tool/t {}) (f (dec n)))) (f 3)", { loopBound: 6 });
    expect(recursion.toolCalls["t"]?.toString()).toBe("6");
    expect(recursion.assumed[0]?.what).toBe("recursion of f");
  });

  it("reports the critical path of parallel fan-outs separately", () => {
    const parallel = estimateCost("(pmap #(tool/get {:id %}) data/ids)");
    expect(parallel.parallel.totalCalls.toString()).toBe("|ids|");
    expect(parallel.parallel.criticalPath.toString()).toBe("1");
    const sequential = estimateCost("(map #(tool/get {:id %}) data/ids)");
    expect(sequential.parallel.criticalPath.toString()).toBe("|ids|");
  });

  it("follows user functions, let-bound results and take", () => {
    expect(calls("(defn fetch [o] (tool/get {:id (:id o)})) (map fetch data/orders)")).toEqual({ get: "|orders|" });
    expect(calls("(let [rs (tool/search {})] (map #(tool/get {:id (:id %)}) rs))")).toEqual({
      get: "|search|",
      search: "1",
    });
    expect(calls("(map #(tool/get {:id %}) (take 3 data/ids))")).toEqual({ get: "min(3, |ids|)" });
  });

  it("follows pcalls branches, function combinators and keyword functions", () => {
    const branches = estimateCost("(pcalls #(tool/a {}) (fn [] (tool/b {})) #(tool/a {}))");
    expect(branches.toolCalls["a"]?.toString()).toBe("2");
    expect(branches.toolCalls["b"]?.toString()).toBe("1");
    expect(branches.parallel.criticalPath.toString()).toBe("1");
    expect(calls("(map (comp :rate #(tool/rate {:c %}) :currency) data/orders)")).toEqual({ rate: "|orders|" });
    expect(calls('(defn tr [lang t] (tool/translate {:to lang :text t})) (map (partial tr "de") data/texts)')).toEqual({
      translate: "|texts|",
    });
    expect(calls("(map (juxt #(tool/price {:id %}) #(tool/stock {:id %})) data/skus)")).toEqual({
      price: "|skus|",
      stock: "|skus|",
    });
    expect(calls("(map #(tool/sku {:s (:sku %)}) (mapcat :items data/orders))")).toEqual({
      sku: "|orders.items|*|orders|",
    });
    expect(calls("(map #(tool/sku {:s %}) (get data/order :items))")).toEqual({ sku: "|order.items|" });
  });

  it("sizes rest and chunked collections", () => {
    const rest = estimateCost("(map #(tool/row {:r %}) (rest data/rows))").toolCalls["row"];
    expect(rest?.toString()).toBe("max(|rows| - 1, 0)");
    expect(rest?.evaluate({ rows: 5 })).toBe(4);
    expect(rest?.evaluate({ rows: 0 })).toBe(0);
    const chunks = estimateCost("(map #(tool/bulk {:ids %}) (partition-all 10 data/ids))").toolCalls["bulk"];
    expect(chunks?.toString()).toBe("ceil(|ids|/10)");
    expect(chunks?.evaluate({ ids: 25 })).toBe(3);
    const groups = estimateCost("(for [[k n] (frequencies data/skus)] (tool/restock {:sku k}))").toolCalls["restock"];
    expect(groups?.toString()).toBe("|skus|");
  });

  it("weights tools and sizes into a total, and explains line by line", () => {
    const source = "(let [xs (map #(tool/get {:id %}) data/ids)]\n  (tool/summarize {:n (count xs)}))";
    const estimate = estimateCost(source, {
      sizes: { ids: 100 },
      tools: {
        get: { execute: () => null, cost: 2 } as never,
        summarize: { execute: () => null, kind: "llm" } as never,
      },
    });
    expect(estimate.total).toBeCloseTo(2 * 100 + 10 * 1 + 0.001 * estimate.steps.evaluate({ ids: 100 }));
    expect(estimate.llmCalls.toString()).toBe("1");
    const text = estimate.explain();
    expect(text).toContain("line 1:");
    expect(text).toContain("tool/get: |ids| call(s)");
    expect(text).toContain("line 2:");
    expect(text).toContain("get: |ids| = 100");
  });

  it("ranks a fan-out above a single call", () => {
    const single = estimateCost("(tool/search {:q data/q})", { sizes: { orders: 50 } }).total;
    const fanout = estimateCost("(map #(tool/get {:id (:id %)}) data/orders)", { sizes: { orders: 50 } }).total;
    expect(fanout).toBeGreaterThan(single);
  });
});
