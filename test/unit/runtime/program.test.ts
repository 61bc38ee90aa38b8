import { describe, expect, it } from "vitest";
import {
  compile,
  compileOrThrow,
  type EvaluateOptions,
  evaluate,
  type Program,
  printValue,
  type RunFailure,
  type RunSuccess,
  type ToolCallContext,
  type Tools,
} from "../../../src/index.js";

function program(source: string): Program {
  const result = compile(source);
  if (!result.ok) throw new Error(`${source}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return result.program;
}

async function succeed(source: string, options: EvaluateOptions = {}): Promise<RunSuccess> {
  const result = await evaluate(source, options);
  if (!result.ok) throw new Error(`${source}: ${result.error.code}: ${result.error.message}`);
  return result;
}

async function failure(source: string, options: EvaluateOptions = {}): Promise<RunFailure> {
  const result = await evaluate(source, options);
  if (result.ok) throw new Error(`${source}: expected a failure, got ${printValue(result.value)}`);
  return result;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const never = () => new Promise<never>(() => {});

describe("compile once, run many", () => {
  it("runs the same program with different data", async () => {
    const compiled = program("(reduce + (map :n data/items))");
    for (const n of [1, 2, 3]) {
      const result = await compiled.run({ data: { items: [{ n }, { n: 10 }] } });
      expect(result.ok && result.value).toBe(n + 10);
    }
  });

  it("runs are isolated: defs and atoms start fresh each run", async () => {
    const compiled = program("(def counter (atom 0)) (swap! counter + data/n) (def total @counter) total");
    const first = await compiled.run({ data: { n: 5 } });
    const second = await compiled.run({ data: { n: 7 } });
    expect(first.ok && first.value).toBe(5);
    expect(second.ok && second.value).toBe(7);
  });

  it("runs concurrently with interleaved tool calls", async () => {
    const compiled = program(
      "(let [a (tool/double {:x data/n}) b (tool/double {:x (inc a)})] (println data/n) {:n data/n :a a :b b})",
    );
    const tools: Tools = {
      double: async ({ x }) => {
        await sleep((Number(x) * 7) % 13);
        return Number(x) * 2;
      },
    };
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => compiled.run({ data: { n }, tools })));
    results.forEach((result, n) => {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.json).toEqual({ n, a: 2 * n, b: 2 * (2 * n + 1) });
      expect(result.prints).toEqual([String(n)]);
      expect(result.toolCalls.map((call) => call.args)).toEqual([{ x: n }, { x: 2 * n + 1 }]);
    });
  });

  it("compileOrThrow throws CompileError with every diagnostic", () => {
    expect(() => compileOrThrow("(fitler 1) (inc 1 2)")).toThrow(
      expect.objectContaining({ name: "CompileError", code: "unbound_symbol" }),
    );
    try {
      compileOrThrow("(fitler 1) (inc 1 2)");
    } catch (error) {
      expect((error as { diagnostics: unknown[] }).diagnostics).toHaveLength(2);
    }
    expect(compileOrThrow("(+ 1 2)").source).toBe("(+ 1 2)");
  });
});

describe("tool calls", () => {
  it("normalise arguments to snake_case JSON, recursively", async () => {
    let received: unknown;
    const tools: Tools = {
      get_user: (args) => {
        received = args;
        return { name: "Al" };
      },
    };
    const result = await succeed('(tool/get-user {:user-id 1 :opts {:max-depth 2 :tags [:a "b"]} "raw-key" nil})', {
      tools,
    });
    expect(received).toEqual({ user_id: 1, opts: { max_depth: 2, tags: ["a", "b"] }, raw_key: null });
    expect(result.toolCalls[0]?.args).toEqual(received);
  });

  it("accept keyword/value pairs and no arguments", async () => {
    const seen: unknown[] = [];
    const tools: Tools = { search: (args) => seen.push(args) };
    await succeed('(tool/search :query "x" :page-size 5) (tool/search)', { tools });
    expect(seen).toEqual([{ query: "x", page_size: 5 }, {}]);
  });

  it("reject a single argument that is not a map instead of calling with {}", async () => {
    const seen: unknown[] = [];
    const tools: Tools = { search: (args) => seen.push(args) };
    const result = await failure('(tool/search "hello")', { tools });
    expect(["type_error", "invalid_form"]).toContain(result.error.code);
    expect(seen).toEqual([]);
  });

  it("results become keyword maps and vectors", async () => {
    const tools: Tools = { order: async () => ({ total: 12, "line-items": [{ sku: "a" }], meta: null }) };
    const result = await succeed(
      '(let [o (tool/order {})] [(:total o) (get o "total") (keys o) (:sku (first (:line-items o))) (vector? (:line-items o))])',
      {
        tools,
      },
    );
    expect(printValue(result.value)).toBe('[12 12 (:total :line-items :meta) "a" true]');
  });

  it("a tool returning undefined gives nil; a non-JSON result is converted through JSON", async () => {
    const tools: Tools = { none: () => undefined, when: () => ({ at: new Date(0) }) };
    expect(printValue((await succeed("[(tool/none {}) (:at (tool/when {}))]", { tools })).value)).toBe(
      '[nil "1970-01-01T00:00:00.000Z"]',
    );
  });

  it("record a trace: name, args, result or error, duration", async () => {
    const tools: Tools = {
      ok: async ({ n }) => Number(n) + 1,
      bad: async () => {
        throw new Error("nope");
      },
    };
    const result = await succeed("(let [a (tool/ok {:n 1})] (try (tool/bad {:m a}) (catch :default e :caught)))", {
      tools,
    });
    expect(result.value).toEqual(expect.anything());
    expect(result.toolCalls).toEqual([
      { name: "ok", args: { n: 1 }, result: 2, durationMs: expect.any(Number) },
      { name: "bad", args: { m: 2 }, error: "nope", durationMs: expect.any(Number) },
    ]);
    for (const call of result.toolCalls) expect(call.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("an uncaught tool failure is tool_error at the call", async () => {
    const tools: Tools = {
      bad: () => {
        throw new Error("sync failure");
      },
    };
    const result = await failure("(do 1\n  (tool/bad {}))", { tools });
    expect(result.error).toMatchObject({ code: "tool_error", phase: "tool", span: { line: 2, column: 3 } });
    expect(result.error.message).toContain("sync failure");
  });

  it("tools may be plain functions (sync or async) or {execute, description}", async () => {
    const tools: Tools = {
      plain: () => 1,
      later: async () => 2,
      described: { description: "three", execute: async () => 3 },
    };
    expect((await succeed("[(tool/plain {}) (tool/later {}) (tool/described {})]", { tools })).json).toEqual([1, 2, 3]);
  });

  it("find snake_case tools by their kebab-case name", async () => {
    const tools: Tools = { get_users: () => ["u"], "list-items": () => ["i"] };
    expect((await succeed("[(tool/get-users {}) (tool/get_users {}) (tool/list-items {})]", { tools })).json).toEqual([
      ["u"],
      ["u"],
      ["i"],
    ]);
    expect((await failure("(tool/list_items {})", { tools })).error.code).toBe("unknown_tool");
  });

  it("an unknown tool is unknown_tool at compile time, or at run time", async () => {
    const tools: Tools = { known: () => 1 };
    expect((await failure("(tool/unknown {})", { tools })).error).toMatchObject({
      code: "unknown_tool",
      phase: "analyze",
    });
    const compiled = program("(tool/unknown {})");
    const result = await compiled.run({ tools });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: "unknown_tool", span: { line: 1, column: 1 } });
    expect(result.toolCalls).toEqual([]);
    expect(((await compiled.run()) as RunFailure).error.code).toBe("unknown_tool");
  });

  it("Object.prototype names are never tools", async () => {
    const tools: Tools = { known: () => 1 };
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) {
      expect((await failure(`(tool/${name} {})`, { tools })).error.code).toBe("unknown_tool");
      expect(((await program(`(tool/${name} {})`).run({ tools })) as RunFailure).error.code).toBe("unknown_tool");
      expect(((await program(`(tool/${name} {})`).run({})) as RunFailure).error.code).toBe("unknown_tool");
    }
  });

  it("__proto__ and constructor keys stay plain keys both ways", async () => {
    let received: Record<string, unknown> = {};
    const tools: Tools = {
      echo: (args) => {
        received = args;
        return JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}');
      },
    };
    const result = await succeed(
      '(let [r (tool/echo {"__proto__" {:polluted true} :constructor 2})] [(get r "__proto__") (:constructor r) (count r)])',
      {
        tools,
      },
    );
    expect(Object.keys(received)).toEqual(["__proto__", "constructor"]);
    expect(Object.getPrototypeOf(received)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(received, "__proto__")?.value).toEqual({ polluted: true });
    expect(printValue(result.value)).toBe("[{:polluted true} 1 2]");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("the same call twice is made twice (calls are matched by occurrence)", async () => {
    let calls = 0;
    const tools: Tools = { tick: () => ++calls };
    const result = await succeed("[(tool/tick {}) (tool/tick {})]", { tools });
    expect(result.json).toEqual([1, 2]);
    expect(calls).toBe(2);
  });

  it("sequential calls cost one pass each, plus one", async () => {
    const tools: Tools = { a: async ({ n }) => n };
    for (const count of [0, 1, 3]) {
      const calls = Array.from({ length: count }, (_, i) => `(tool/a {:n ${i}})`).join(" ");
      const result = await succeed(`[${calls}]`, { tools });
      expect(result.usage.passes).toBe(count + 1);
      expect(result.toolCalls).toHaveLength(count);
    }
  });

  it("tool calls in a finally block are made after the body's calls", async () => {
    const order: string[] = [];
    const tools: Tools = {
      work: async () => order.push("work"),
      release: async () => order.push("release"),
    };
    const result = await succeed("(try (tool/work {}) (finally (tool/release {})))", { tools });
    expect(order).toEqual(["work", "release"]);
    expect(result.toolCalls.map((call) => call.name)).toEqual(["work", "release"]);
  });

  it("a finally block sees the body's tool result, as in a sequential run", async () => {
    const tools: Tools = { a: async () => 1 };
    const result = await succeed(
      '(let [r (atom nil)] (try (reset! r (tool/a {})) (finally (when (nil? @r) (throw (ex-info "no result" {}))))))',
      { tools },
    );
    expect(result.value).toBe(1);
    expect(result.toolCalls.map((call) => call.name)).toEqual(["a"]);
  });

  it("the toolCalls limit bounds the number of calls", async () => {
    const tools: Tools = { a: () => 1 };
    const result = await failure("(dotimes [i 5] (tool/a {:i i}))", { tools, limits: { toolCalls: 3 } });
    expect(result.error).toMatchObject({ code: "limit_exceeded", limit: "toolCalls" });
    expect(result.toolCalls).toHaveLength(3);
  });
});

describe("parallel tool calls", () => {
  function tracked() {
    const state = { inFlight: 0, maxInFlight: 0, started: [] as number[] };
    const tools: Tools = {
      slow: async ({ id }) => {
        state.started.push(Number(id));
        state.inFlight++;
        state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
        await sleep(40 - Number(id) * 10);
        state.inFlight--;
        return Number(id) * 2;
      },
    };
    return { state, tools };
  }

  it("pmap makes its calls concurrently and keeps results in order", async () => {
    const { state, tools } = tracked();
    const result = await succeed("(pmap (fn [i] (tool/slow {:id i})) [1 2 3])", { tools });
    expect(state.maxInFlight).toBe(3);
    expect(printValue(result.value)).toBe("(2 4 6)");
    expect(result.toolCalls.map((call) => call.args)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(result.usage.passes).toBe(2);
  });

  it("pcalls makes its calls concurrently", async () => {
    const { state, tools } = tracked();
    const result = await succeed("(pcalls #(tool/slow {:id 1}) #(tool/slow {:id 2}) #(tool/slow {:id 3}))", { tools });
    expect(state.maxInFlight).toBe(3);
    expect(result.json).toEqual([2, 4, 6]);
  });

  it("map makes them one at a time", async () => {
    const { state, tools } = tracked();
    const result = await succeed("(map (fn [i] (tool/slow {:id i})) [1 2 3])", { tools });
    expect(state.maxInFlight).toBe(1);
    expect(result.usage.passes).toBe(4);
  });

  it("a failing branch is catchable and does not lose the others", async () => {
    const tools: Tools = {
      maybe: async ({ id }) => {
        if (id === 2) throw new Error("two");
        return id;
      },
    };
    const result = await succeed("(pmap (fn [i] (try (tool/maybe {:id i}) (catch :default e :failed))) [1 2 3])", {
      tools,
    });
    expect(result.json).toEqual([1, "failed", 3]);
  });

  it("a def inside a branch does not leak out", async () => {
    expect((await succeed("(def x 1) (pmap (fn [i] (def x i)) [5 6]) x")).value).toBe(1);
  });
});

describe("limits", () => {
  it("fuel", async () => {
    const result = await failure("(loop [x 0] (recur x))", { limits: { fuel: 10_000 } });
    expect(result.error).toMatchObject({ code: "limit_exceeded", phase: "limit", limit: "fuel" });
    expect(result.usage.fuel).toBeGreaterThan(10_000);
  });

  it("fuel is charged before a builtin does its work", async () => {
    const started = performance.now();
    const result = await failure("(count (sort (range 10000000)))", { limits: { fuel: 100_000 } });
    expect(result.error).toMatchObject({ code: "limit_exceeded" });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("time", async () => {
    const result = await failure("(loop [x 0] (recur x))", { limits: { timeMs: 50 } });
    expect(result.error).toMatchObject({ code: "limit_exceeded", limit: "time" });
    expect(result.usage.ms).toBeGreaterThanOrEqual(50);
  });

  it("depth, with the Lisp stack and no RangeError", async () => {
    const result = await failure("(defn f [n]\n  (inc (f n)))\n(f 1)");
    expect(result.error).toMatchObject({ code: "limit_exceeded", limit: "depth", span: { line: 2, column: 8 } });
    const stack = result.error.details?.["stack"] as { name: string; line?: number; column?: number }[];
    expect(stack.length).toBeGreaterThan(0);
    expect(stack[0]).toEqual({ name: "f", line: 2, column: 8 });
    expect(stack.every((frame) => frame.name === "f" || frame.name === "inc")).toBe(true);
    expect(result.error.message).not.toMatch(/RangeError|Maximum call stack/);
  });

  it("depth when the host stack runs out before the depth limit", async () => {
    const result = await failure("(defn f [n] (inc (f n))) (f 1)", { limits: { depth: 10_000_000 } });
    expect(result.error).toMatchObject({ code: "limit_exceeded", limit: "depth" });
    expect(result.error.message).not.toMatch(/RangeError|Maximum call stack/);
  });

  it("memory", async () => {
    const result = await failure('(loop [s "x"] (recur (str s s)))');
    expect(result.error).toMatchObject({ code: "limit_exceeded", limit: "memory" });
    const small = await failure("(count (vec (range 100000)))", { limits: { memoryBytes: 10_000 } });
    expect(small.error).toMatchObject({ code: "limit_exceeded", limit: "memory" });
  });

  it("output", async () => {
    const result = await failure('(dotimes [i 100] (println "hello world"))', { limits: { outputBytes: 100 } });
    expect(result.error).toMatchObject({ code: "limit_exceeded", limit: "output" });
    expect(result.prints.join("\n").length).toBeLessThanOrEqual(100);
    expect(result.prints.length).toBeGreaterThan(0);
  });

  it("source size", async () => {
    const big = `[${"1 ".repeat(1_000_000)}]`;
    const compiled = compile(big);
    expect(compiled.ok).toBe(false);
    expect(compiled.diagnostics[0]).toMatchObject({ code: "limit_exceeded", limit: "source" });
    expect((await failure(big)).error).toMatchObject({ code: "limit_exceeded", limit: "source" });
    expect(compile("(+ 1 2)", { maxSourceChars: 5 }).ok).toBe(false);
  });

  it("every limit leaves the host healthy for the next run", async () => {
    const compiled = program("(if data/spin (loop [x 0] (recur x)) (if data/deep ((fn f [n] (inc (f n))) 1) (+ 1 2)))");
    expect(((await compiled.run({ data: { spin: true }, limits: { fuel: 10_000 } })) as RunFailure).error.limit).toBe(
      "fuel",
    );
    expect(((await compiled.run({ data: { spin: true }, limits: { timeMs: 20 } })) as RunFailure).error.limit).toBe(
      "time",
    );
    expect(((await compiled.run({ data: { deep: true } })) as RunFailure).error.limit).toBe("depth");
    expect(
      ((await compiled.run({ data: { deep: true }, limits: { depth: 10_000_000 } })) as RunFailure).error.limit,
    ).toBe("depth");
    const ok = await compiled.run({});
    expect(ok.ok && ok.value).toBe(3);
    expect((await succeed("(defn f [n] (if (zero? n) 0 (inc (f (dec n))))) (f 500)")).value).toBe(500);
    expect((await succeed('(apply str (repeat 10 "ab"))')).value).toBe("abababababababababab");
  });
});

describe("cancellation and tool timeouts", () => {
  it("aborting while a tool call is pending ends the run promptly and aborts the tool's signal", async () => {
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const tools: Tools = {
      hang: (_args, context: ToolCallContext) => {
        toolSignal = context.signal;
        setTimeout(() => controller.abort(), 10);
        return never();
      },
    };
    const started = performance.now();
    const result = await failure("(try (tool/hang {}) (catch :default e :caught))", {
      tools,
      signal: controller.signal,
    });
    expect(result.error.code).toBe("aborted");
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(toolSignal?.aborted).toBe(true);
  });

  it("an already aborted signal makes no tool call", async () => {
    let called = false;
    const tools: Tools = {
      t: () => {
        called = true;
      },
    };
    const result = await failure("(tool/t {})", { tools, signal: AbortSignal.abort() });
    expect(result.error.code).toBe("aborted");
    expect(called).toBe(false);
  });

  it("a tool that exceeds toolTimeoutMs fails with tool_error and sees its signal aborted", async () => {
    let toolSignal: AbortSignal | undefined;
    const tools: Tools = {
      hang: (_args, context) => {
        toolSignal = context.signal;
        return never();
      },
    };
    const result = await failure("(tool/hang {})", { tools, limits: { toolTimeoutMs: 20 } });
    expect(result.error).toMatchObject({ code: "tool_error", phase: "tool" });
    expect(result.toolCalls).toEqual([
      { name: "hang", args: {}, error: expect.stringMatching(/time/), durationMs: expect.any(Number) },
    ]);
    expect(toolSignal?.aborted).toBe(true);
  });

  it("a tool timeout is catchable", async () => {
    const tools: Tools = { hang: never };
    const result = await succeed("(try (tool/hang {}) (catch :default e (:code (ex-data e))))", {
      tools,
      limits: { toolTimeoutMs: 20 },
    });
    expect(printValue(result.value)).toBe(":tool_error");
  });

  it("the next run after an abort works", async () => {
    const controller = new AbortController();
    const compiled = program("(tool/t {})");
    const tools: Tools = { t: () => sleep(5).then(() => 7) };
    controller.abort();
    expect(((await compiled.run({ tools, signal: controller.signal })) as RunFailure).error.code).toBe("aborted");
    const again = await compiled.run({ tools });
    expect(again.ok && again.value).toBe(7);
  });
});
