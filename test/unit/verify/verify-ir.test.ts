import { describe, expect, it } from "vitest";
import { isFunction, isLoop, verify } from "../../../src/verify/verify.js";

const tools = {
  ask: { execute: () => null, kind: "llm" },
  search: { execute: () => null },
} as never;

const loopCode = async (source: string) => (await verify(source, [isLoop], { tools })).failures[0]?.code;

describe("the loop and function verifiers walk the analyzed IR", () => {
  it("finds loops and their bounds through macros", async () => {
    expect(await loopCode("(when true (loop [i 0] (when (> 3 i) (tool/ask {}) (recur (inc i)))))")).toBeUndefined();
    expect(await loopCode("(loop [i 0 a nil] (cond (>= i 3) a :else (recur (inc i) (tool/ask {}))))")).toBeUndefined();
    expect(await loopCode("(loop [a nil] (when-not (:done a) (recur (tool/ask {}))))")).toBe("unbounded_loop");
    expect(await loopCode("(while true (tool/ask {}))")).toBe("unbounded_loop");
    expect(await loopCode("'(loop [i 0] (when (< i 3) (tool/ask {}) (recur (inc i))))")).toBe("not_a_loop");
  });

  it("bounds a counter by its binding, not its name", async () => {
    const shadowed = "(loop [i 0 a nil] (let [i 5] (if (< i 9) (recur (inc i) (tool/ask {})) a)))";
    expect(await loopCode(shadowed)).toBe("unbounded_loop");
  });

  it("reads a function's parameters from its analyzed arity", async () => {
    const signature = "(a :int, b :int) -> :int";
    const check = async (source: string) => (await verify(source, [isFunction], { signature })).failures[0];
    expect(await check("(fn [a b] (+ a b))")).toBeUndefined();
    expect(await check("(fn named [a b] a)")).toBeUndefined();
    expect(await check("(fn [a & more] a)")).toMatchObject({ code: "parameter_mismatch", message: /\[a & more\]/ });
    expect(await check("(fn ([a] a) ([a b] b))")).toMatchObject({ code: "not_a_function" });
    expect(await check("#(+ %1 %2)")).toMatchObject({ code: "not_a_function" });
    const threaded = await check("(->> [1 2] (map inc))");
    expect(threaded).toMatchObject({ code: "not_a_function", span: { start: 0, end: 21 } });
  });
});
