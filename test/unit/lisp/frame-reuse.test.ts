import { describe, expect, it } from "vitest";
import { compile, evaluate } from "../../../src/index.js";

// A finished call's frame is reused by the next call of the same arity (lisp/eval/closure.ts).
// Nothing may see a frame after its call: these programs would print other values if a
// closure, a lazy seq or a suspended call kept one.

async function valueOf(source: string, options: Parameters<typeof evaluate>[1] = {}): Promise<unknown> {
  const result = await evaluate(source, options);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.json;
}

describe("frame reuse", () => {
  it("keeps what a closure captured when the frame it was made in is reused", async () => {
    const source = `
      (defn adder [n] (let [m (* n 10)] (fn [x] (+ x n m))))
      (let [fs (mapv adder [1 2 3])] (mapv (fn [f] (f 0)) fs))`;
    expect(await valueOf(source)).toEqual([11, 22, 33]);
  });

  it("gives recursive calls a frame each", async () => {
    const source = `
      (defn fib [n] (if (< n 2) n (let [a (fib (- n 1)) b (fib (- n 2))] (+ a b))))
      (defn walk [t] (if (vector? t) (let [[l r] t] (+ (walk l) (walk r))) t))
      [(fib 15) (walk [[1 [2 3]] [[4 5] 6]])]`;
    expect(await valueOf(source)).toEqual([610, 21]);
  });

  it("keeps a lazy for's values when the fn that made it is called again", async () => {
    const source = `
      (defn evens-from [n] (for [x (range) :when (even? (+ x n))] (+ x n)))
      (let [a (evens-from 1) b (evens-from 2)] [(vec (take 3 a)) (vec (take 3 b))])`;
    expect(await valueOf(source)).toEqual([
      [2, 4, 6],
      [2, 4, 6],
    ]);
  });

  it("goes on after a call that threw", async () => {
    const source = `
      (defn check [x] (let [y (* x 2)] (if (> y 10) (throw (ex-info "big" {:y y})) y)))
      (let [caught (try (check 6) (catch Exception e (:y (ex-data e))))]
        [caught (check 1) (check 2) (mapv check [3 4 5])])`;
    expect(await valueOf(source)).toEqual([12, 2, 4, [6, 8, 10]]);
  });

  it("keeps a call waiting on a tool apart from the calls made meanwhile", async () => {
    const tools = { echo: async (args: Record<string, unknown>) => ({ v: args["v"] }) };
    const source = `
      (defn tagged [x] (let [local (* x 100) answer (tool/echo {:v x})] [local (:v answer) (inc x)]))
      (defn plain [x] (let [local (* x 7)] [local x]))
      (mapv (fn [x] [(plain x) (tagged x) (plain (inc x))]) [1 2 3])`;
    expect(await valueOf(source, { tools })).toEqual([
      [
        [7, 1],
        [100, 1, 2],
        [14, 2],
      ],
      [
        [14, 2],
        [200, 2, 3],
        [21, 3],
      ],
      [
        [21, 3],
        [300, 3, 4],
        [28, 4],
      ],
    ]);
  });

  it("keeps concurrent runs of one compiled program apart", async () => {
    const compiled = compile(`
      (defn step [x] (let [doubled (* 2 x) answer (tool/slow {:v doubled})] (+ doubled (:v answer))))
      (mapv step (range 5))`);
    if (!compiled.ok) throw new Error("compile failed");
    const slow = async (args: Record<string, unknown>) => {
      await new Promise((resolve) => setTimeout(resolve, Number(args["v"]) % 3));
      return { v: args["v"] };
    };
    const runs = await Promise.all([1, 2, 3].map(() => compiled.program.run({ tools: { slow } })));
    for (const run of runs) expect(run.ok && run.json).toEqual([0, 4, 8, 12, 16]);
  });
});
