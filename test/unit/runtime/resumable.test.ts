import { afterAll, describe, expect, it } from "vitest";
import { ReplSession } from "../../../src/cli/repl.js";
import {
  closeWorkerPool,
  compile,
  type EvaluateOptions,
  evaluate,
  LispError,
  type Program,
  printValue,
  type RunResult,
  type RunSuccess,
  type Tools,
  toJSON,
} from "../../../src/index.js";
import { bareObject, errorWithThrowingMessage, nestedArray, throwingProxy } from "../../helpers/odd-values.js";

/**
 * Tool calls resume in place (docs/adr/0003-resumable-tool-calls.md): a run waits on a tool
 * and goes on from there, so k sequential calls cost the work of the program once, not k times
 * its prefix. These tests pin the cost (fuel and passes, never timings), the semantics of every
 * form that can wait on a tool, and what happens where a call cannot be resumed in place.
 */

function program(source: string, predefined?: readonly string[]): Program {
  const result = compile(source, predefined === undefined ? {} : { predefined });
  if (!result.ok) throw new Error(`${source}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return result.program;
}

async function succeed(source: string, options: EvaluateOptions = {}): Promise<RunSuccess> {
  const result = await evaluate(source, options);
  if (!result.ok) throw new Error(`${source}: ${result.error.code}: ${result.error.message}`);
  return result;
}

/** A tool that doubles `n`, counting its calls. */
function counted(): { tools: Tools; calls: () => number } {
  let calls = 0;
  return {
    tools: {
      double: async ({ n }: Record<string, unknown>) => {
        calls++;
        return Number(n) * 2;
      },
      rows: async ({ page }: Record<string, unknown>) =>
        Array.from({ length: 100 }, (_, i) => ({ id: i, score: (i * 37 + Number(page)) % 100 })),
      fails: async () => {
        throw new Error("nope");
      },
    },
    calls: () => calls,
  };
}

const loopOf = (n: number) =>
  `(loop [i 0 kept 0]
     (if (< i ${n})
       (let [rows (tool/rows {:page i})]
         (recur (inc i) (+ kept (count (filter #(> (:score %) 50) rows)))))
       kept))`;

afterAll(() => closeWorkerPool());

describe("cost: k sequential tool calls do the program's work once", () => {
  it("fuel grows linearly with the number of calls, and the run never restarts", async () => {
    const { tools } = counted();
    const small = await succeed(loopOf(100), { tools });
    const large = await succeed(loopOf(400), { tools });
    expect(small.usage.passes).toBe(101);
    expect(large.usage.passes).toBe(401);
    expect(small.usage.restarts).toBe(0);
    expect(large.usage.restarts).toBe(0);
    // Quadratic work would make this ratio about 16.
    const ratio = large.usage.fuel / small.usage.fuel;
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(4.5);
  });

  it("1,000 sequential calls with 100 rows filtered between finish under the default limits", async () => {
    const { tools } = counted();
    const result = await succeed(loopOf(1000), { tools });
    expect(result.toolCalls).toHaveLength(1000);
    expect(result.usage.restarts).toBe(0);
  });

  it("resumes in place under worker isolation too", async () => {
    const { tools } = counted();
    const result = await succeed(loopOf(300), { tools, isolation: "worker" });
    expect(result.usage.passes).toBe(301);
    expect(result.usage.restarts).toBe(0);
    const inProcess = await succeed(loopOf(300), { tools });
    expect(result.value).toBe(inProcess.value);
  });

  it("an expensive pure prefix runs once, not once per call", async () => {
    const { tools } = counted();
    const prefix = "(def total (reduce + (range 200000)))";
    const alone = await succeed(prefix, { tools });
    const calls = `${prefix} (dotimes [i 50] (tool/double {:n i})) total`;
    const result = await succeed(calls, { tools });
    expect(result.value).toBe(19999900000);
    expect(result.usage.fuel).toBeLessThan(alone.usage.fuel * 1.5);
  });

  it("mapv over ids calling a tool per id resumes element by element", async () => {
    const { tools, calls } = counted();
    const small = await succeed("(mapv #(tool/double {:n %}) (range 100))", { tools });
    const large = await succeed("(mapv #(tool/double {:n %}) (range 400))", { tools });
    expect(calls()).toBe(500);
    expect(large.usage.restarts).toBe(0);
    expect(large.usage.fuel / small.usage.fuel).toBeLessThan(4.5);
  });
});

/** Each form that can wait on a tool gives the value it gives without tools in it. */
const FORMS: readonly [string, string][] = [
  ["(let [a (tool/double {:n 1}) b (tool/double {:n a})] [a b])", "[2 4]"],
  ["(if (> (tool/double {:n 1}) 1) (tool/double {:n 10}) :no)", "20"],
  ["(when-let [x (tool/double {:n 2})] (inc x))", "5"],
  ["(cond (= 1 (tool/double {:n 1})) :a (= 2 (tool/double {:n 1})) :b :else :c)", ":b"],
  ["(and (tool/double {:n 1}) (tool/double {:n 2}))", "4"],
  ["(or nil (tool/double {:n 3}))", "6"],
  ["(case (tool/double {:n 1}) 2 (tool/double {:n 5}) :other)", "10"],
  ["(do (tool/double {:n 1}) (tool/double {:n 2}))", "4"],
  ["[(tool/double {:n 1}) {:k (tool/double {:n 2})} #{(tool/double {:n 3})}]", "[2 {:k 4} #{6}]"],
  ["(:result {:result (tool/double {:n 4})})", "8"],
  ["(loop [i 0 acc []] (if (< i 3) (recur (inc i) (conj acc (tool/double {:n i}))) acc))", "[0 2 4]"],
  ["(defn f [x] (+ 1 (tool/double {:n x}))) (f (f 1))", "7"],
  ["(defn f [x] (if (> x 0) (recur (dec (quot (tool/double {:n x}) 2))) :done)) (f 3)", ":done"],
  ["(letfn [(g [x] (tool/double {:n x}))] (g (g 1)))", "4"],
  ["((fn [& xs] (mapv #(tool/double {:n %}) xs)) 1 2)", "[2 4]"],
  ["(try (tool/fails {}) (catch :default e (tool/double {:n 5})))", "10"],
  ["(let [a (atom 0)] (try (tool/double {:n 1}) (finally (swap! a inc))) @a)", "1"],
  ["(for [x [1 2] y [10 20] :when (odd? x)] (tool/double {:n (+ x y)}))", "(22 42)"],
  ["(let [a (atom [])] (doseq [x [1 2 3] :let [y (tool/double {:n x})]] (swap! a conj y)) @a)", "[2 4 6]"],
  ["(map #(tool/double {:n %}) [1 2])", "(2 4)"],
  ["(filterv #(= 4 (tool/double {:n %})) [1 2 3])", "[2]"],
  ["(remove #(= 4 (tool/double {:n %})) [1 2 3])", "(1 3)"],
  ["(keep #(when (> % 1) (tool/double {:n %})) [1 2 3])", "(4 6)"],
  ["(reduce (fn [acc x] (+ acc (tool/double {:n x}))) 0 [1 2 3])", "12"],
  ["(reduce (fn [acc x] (if (> acc 2) (reduced acc) (+ acc (tool/double {:n x})))) [1 2 3])", "5"],
  ["(some #(when (> (tool/double {:n %}) 3) %) [1 2 3])", "2"],
  ["(every? #(pos? (tool/double {:n %})) [1 2])", "true"],
  ["(let [a (atom 0)] (run! #(swap! a + (tool/double {:n %})) [1 2]) @a)", "6"],
  ["(->> [1 2 3] (map #(tool/double {:n %})) (filter #(> % 2)) vec)", "[4 6]"],
  ["(def x (tool/double {:n 21})) x", "42"],
  ["(pmap #(tool/double {:n %}) [1 2 3])", "(2 4 6)"],
  ["(pcalls #(tool/double {:n 1}) #(tool/double {:n 2}))", "(2 4)"],
  ["(tool/double {:n (tool/double {:n 1})})", "4"],
  ['(throw (ex-info "x" {:v (tool/double {:n 1})}))', "!thrown"],
];

describe("every form that can wait on a tool", () => {
  for (const [source, expected] of FORMS) {
    it(source, async () => {
      const { tools } = counted();
      const result = await evaluate(source, { tools });
      if (expected.startsWith("!")) {
        expect(result.ok ? "ok" : result.error.code).toBe(expected.slice(1));
        return;
      }
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      expect(printValue(result.value)).toBe(expected);
      expect(result.usage.restarts).toBe(0);
      // The same run replayed from its trace gives the same value with no tool.
      const replayed = await evaluate(source, { replay: result.trace });
      expect(replayed.ok && printValue(replayed.value)).toBe(expected);
    });
  }
});

describe("where a call cannot resume in place", () => {
  it("a builtin without a resumable form re-runs as one stretch; atoms, prints and calls are not doubled", async () => {
    const { tools, calls } = counted();
    const result = await succeed(
      `(let [a (atom 0)]
         (let [sorted (sort-by (fn [x] (swap! a inc) (println "key" x) (tool/double {:n x})) [3 1 2])]
           [sorted @a]))`,
      { tools },
    );
    expect(printValue(result.value)).toBe("[(1 2 3) 3]");
    expect(result.prints).toEqual(["key 3", "key 1", "key 2"]);
    expect(calls()).toBe(3);
    expect(result.toolCalls).toHaveLength(3);
    expect(result.usage.restarts).toBe(0);
  });

  it("a def inside a re-run stretch is undone before the stretch runs again", async () => {
    const { tools } = counted();
    const result = await succeed("(def n 0) (sort-by (fn [x] (def n (inc n)) (tool/double {:n x})) [2 1]) n", {
      tools,
    });
    expect(result.value).toBe(2);
  });

  it("a lazy sequence whose production calls tools restarts the run, and gives the right value", async () => {
    const { tools, calls } = counted();
    const result = await succeed("(vec (take 3 (map #(tool/double {:n %}) (range))))", { tools });
    expect(printValue(result.value)).toBe("[0 2 4]");
    expect(calls()).toBe(3);
    expect(result.usage.restarts).toBeGreaterThan(0);
  });

  it("pmap branches sharing one lazy sequence ask for its tool call once", async () => {
    const { tools, calls } = counted();
    const result = await succeed(
      "(let [s (map #(tool/double {:n %}) (range))] (vec (pmap (fn [i] (nth s i)) [0 0 0])))",
      { tools },
    );
    expect(printValue(result.value)).toBe("[0 0 0]");
    expect(calls()).toBe(1);
  });

  it("pmap makes the branches' calls in one round", async () => {
    let inFlight = 0;
    let most = 0;
    const tools: Tools = {
      slow: async ({ n }: Record<string, unknown>) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return n;
      },
    };
    const result = await succeed("(vec (pmap (fn [i] (+ (tool/slow {:n i}) (tool/slow {:n (* 10 i)}))) [1 2 3 4]))", {
      tools,
    });
    expect(printValue(result.value)).toBe("[11 22 33 44]");
    expect(most).toBe(4);
    expect(result.usage.passes).toBe(3);
  });

  it("a def inside a pmap branch does not leak out of it", async () => {
    const { tools } = counted();
    const result = await succeed("(def g 1) (vec (pmap (fn [i] (def g (tool/double {:n i})) g) [5 6])) g", {
      tools,
    });
    expect(result.value).toBe(1);
  });
});

describe("time and cancellation across tool rounds", () => {
  it("time spent waiting on tools does not count against timeMs", async () => {
    const tools: Tools = { nap: () => new Promise((resolve) => setTimeout(() => resolve(1), 20)) };
    const result = await evaluate("(reduce + (for [i (range 15)] (tool/nap {:i i})))", {
      tools,
      limits: { timeMs: 150 },
    });
    expect(result.ok && result.value).toBe(15);
  });

  it("an abort while waiting on a tool ends the run aborted", async () => {
    const controller = new AbortController();
    const tools: Tools = { hang: () => new Promise(() => {}) };
    const pending = evaluate("(loop [] (tool/hang {}) (recur))", { tools, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const result = await pending;
    expect(result.ok ? "ok" : result.error.code).toBe("aborted");
  });
});

describe("runs own their values", () => {
  const tools = counted().tools;

  async function first(): Promise<RunResult> {
    return program(
      "(def s (map #(tool/double {:n %}) (range))) (def f (fn [x] (tool/double {:n x}))) (def fin (take-while #(< % 10) (map #(tool/double {:n %}) (range)))) :ok",
    ).run({ tools });
  }

  it("a lazy global is realized by, charged to and calls tools in the run that uses it", async () => {
    const defined = await first();
    expect(defined.toolCalls).toHaveLength(0);
    const later = program("(vec (take 3 s))", ["s", "f", "fin"]);
    const result = await later.run({ tools, globals: defined.globals });
    expect(result.ok && printValue(result.value)).toBe("[0 2 4]");
    expect(result.toolCalls.map((call) => call.name)).toEqual(["double", "double", "double"]);
    expect(result.usage.fuel).toBeGreaterThan(0);
  });

  it("a closure global calls tools in the later run, resuming in place", async () => {
    const defined = await first();
    const result = await program("(f (f 1))", ["s", "f", "fin"]).run({ tools, globals: defined.globals });
    expect(result.ok && result.value).toBe(4);
    expect(result.toolCalls).toHaveLength(2);
  });

  it("the toolCalls limit of the later run applies to a lazy global", async () => {
    const defined = await first();
    const result = await program("(vec (take 10 s))", ["s", "f", "fin"]).run({
      tools,
      globals: defined.globals,
      limits: { toolCalls: 3 },
    });
    expect(result.ok ? "ok" : result.error.code).toBe("limit_exceeded");
  });

  it("printing or converting a global outside any run throws only a documented LispError", async () => {
    const defined = await first();
    for (const [name, value] of defined.globals) {
      for (const convert of [() => printValue(value), () => toJSON(value)]) {
        try {
          convert();
        } catch (error) {
          expect(error, name).toBeInstanceOf(LispError);
          expect(["tool_error", "limit_exceeded"], name).toContain((error as LispError).code);
        }
      }
    }
    expect(() => toJSON(defined.globals.get("fin") ?? null)).toThrow(/cannot be called outside a run/);
  });
});

describe("the REPL with lazy globals that call tools", () => {
  it("defines a lazy sequence of tool calls in one input and realizes it in later ones", async () => {
    const { tools, calls } = counted();
    const session = new ReplSession({ tools });
    expect((await session.evaluate("(def s (map #(tool/double {:n %}) (range)))")).ok).toBe(true);
    expect(calls()).toBe(0);
    expect((await session.evaluate("(vec (take 3 s))")).stdout).toEqual(["[0 2 4]"]);
    expect((await session.evaluate("(defn f [x] (tool/double {:n x}))")).ok).toBe(true);
    expect((await session.evaluate("(f (first (drop 5 s)))")).stdout).toEqual(["20"]);
    expect((await session.evaluate("*1")).stdout).toEqual(["20"]);
    const infinite = await session.evaluate("s");
    expect(infinite.ok).toBe(false);
    expect(infinite.stderr.join("\n")).toMatch(/infinite/);
  });
});

describe("what tools throw and return", () => {
  const odd: Record<string, () => unknown> = {
    "a null-prototype object": bareObject,
    "a Proxy whose traps throw": throwingProxy,
    "an Error whose message getter throws": errorWithThrowingMessage,
    undefined: () => undefined,
    "a number": () => 42,
    "a symbol": () => Symbol("s"),
  };
  for (const [label, make] of Object.entries(odd)) {
    it(`a tool that throws ${label} gives a catchable tool_error and keeps its record`, async () => {
      const tools: Tools = {
        boom: () => {
          throw make();
        },
      };
      const caught = await succeed("(try (tool/boom {}) (catch :default e [:caught (:code (ex-data e))]))", { tools });
      expect(printValue(caught.value)).toBe("[:caught :tool_error]");
      const uncaught = await evaluate("(tool/boom {:a 1})", { tools });
      expect(uncaught.ok ? "ok" : uncaught.error.code).toBe("tool_error");
      expect(uncaught.toolCalls).toHaveLength(1);
      expect(uncaught.toolCalls[0]?.args).toEqual({ a: 1 });
      expect(typeof uncaught.toolCalls[0]?.error).toBe("string");
    });
  }

  it("a result nested 5,000 deep is refused with a clean tool_error", async () => {
    const deep = nestedArray(5000);
    const result = await evaluate("(tool/deep {})", { tools: { deep: () => deep } });
    expect(result.ok ? "ok" : result.error.code).toBe("tool_error");
    expect(result.ok ? "" : result.error.message).toMatch(/nested deeper than 1000 levels/);
    expect(result.toolCalls).toHaveLength(1);
  });

  it("a cyclic result is refused cleanly", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    const result = await evaluate("(tool/cyclic {})", { tools: { cyclic: () => cyclic } });
    expect(result.ok ? "ok" : result.error.code).toBe("tool_error");
  });

  it("a result larger than memoryBytes is refused cleanly", async () => {
    const big = Array.from({ length: 1000 }, () => "x".repeat(1000));
    const result = await evaluate("(count (tool/big {}))", {
      tools: { big: () => big },
      limits: { memoryBytes: 100_000 },
    });
    expect(result.ok ? "ok" : result.error.code).toBe("tool_error");
    expect(result.ok ? "" : result.error.message).toMatch(/larger than the memory limit/);
  });

  it("results are copied: a tool that keeps and changes its result does not change the run's value", async () => {
    const shared = { n: 1 };
    const tools: Tools = {
      get: () => shared,
      bump: () => {
        shared.n++;
        return null;
      },
    };
    const result = await succeed("(let [a (tool/get {})] (tool/bump {}) (:n a))", { tools });
    expect(result.value).toBe(1);
  });

  it("a getter-laden or toJSON-bearing result is read once, as JSON would", async () => {
    const tools: Tools = { when: () => ({ at: new Date(0), n: BigInt(1) }) };
    const result = await evaluate("(tool/when {})", { tools });
    expect(result.ok ? "ok" : result.error.code).toBe("tool_error");
    const dated = await succeed("(:at (tool/when {}))", { tools: { when: () => ({ at: new Date(0) }) } });
    expect(dated.value).toBe("1970-01-01T00:00:00.000Z");
  });

  it("argument keys that collide once snake_cased are an error naming both, and no call is made", async () => {
    let called = false;
    const tools: Tools = {
      echo: (args) => {
        called = true;
        return args;
      },
    };
    for (const source of ["(tool/echo {:a-b 1 :a_b 2})", "(tool/echo {:outer [{:x-y 1 :x_y 2}]})"]) {
      const result = await evaluate(source, { tools });
      expect(result.ok ? "ok" : result.error.code).toBe("tool_error");
      expect(result.ok ? "" : result.error.message).toMatch(/ and .* both become /);
    }
    expect(called).toBe(false);
    const caught = await succeed("(try (tool/echo {:a-b 1 :a_b 2}) (catch :default e :caught))", { tools });
    expect(printValue(caught.value)).toBe(":caught");
  });
});
