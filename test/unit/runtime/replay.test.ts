import { describe, expect, it } from "vitest";
import {
  compile,
  defineTool,
  ERROR_CODES,
  type EvaluateOptions,
  evaluate,
  type Program,
  printValue,
  type RunResult,
  type Tools,
  type Trace,
} from "../../../src/index.js";

function program(source: string): Program {
  const result = compile(source);
  if (!result.ok) throw new Error(`${source}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return result.program;
}

/** Tools that count their calls and answer deterministically from their arguments. */
function countingTools() {
  const calls: string[] = [];
  const tools: Tools = {
    lookup: async ({ id }) => {
      calls.push(`lookup ${String(id)}`);
      await new Promise((resolve) => setTimeout(resolve, Number(id) % 3));
      return { id, name: `item-${String(id)}`, tags: ["a", id] };
    },
    tick: () => {
      calls.push("tick");
      return calls.length;
    },
    broken: ({ why }) => {
      calls.push(`broken ${String(why)}`);
      throw new Error(`broken: ${String(why)}`);
    },
  };
  return { calls, tools };
}

/** What replay must reproduce: the value (printed), the error, the prints and the trace. */
function observable(result: RunResult) {
  return {
    ok: result.ok,
    value: result.ok ? printValue(result.value) : result.value === undefined ? undefined : printValue(result.value),
    error: result.ok ? undefined : result.error,
    signal: result.ok ? result.signal : undefined,
    prints: result.prints,
    trace: result.trace,
    toolCalls: result.toolCalls,
    passes: result.usage.passes,
  };
}

const SOURCES = [
  "(let [a (tool/lookup {:id 1}) b (tool/lookup {:id (count (:tags a))})] (println (:name b)) [a b])",
  "(pmap (fn [i] [(tool/tick {}) (tool/lookup {:id i}) (tool/tick {})]) [1 2 3])",
  '(try (tool/broken {:why "x"}) (catch :default e (str "caught " (ex-message e))))',
  "(mapv (fn [i] (try (tool/broken {:why i}) (catch :default e (tool/lookup {:id i})))) [5 6])",
  "(do (println (tool/tick {})) (tool/broken {:why 1}))",
  "(let [x (tool/lookup {:id 4})] (if (= 4 (:id x)) (return (tool/tick {})) (fail :no)))",
  "(let [x (tool/lookup {:id 4})] (fail {:got (:name x)}))",
  "(+ 1 2)",
];

describe("trace", () => {
  it("records every call in issue order with its occurrence number; toolCalls is the same without it", async () => {
    const { tools } = countingTools();
    const result = await evaluate("[(tool/tick {}) (tool/lookup {:id 1}) (tool/tick {}) (tool/tick {:n 1})]", {
      tools,
    });
    expect(result.ok).toBe(true);
    expect(result.trace.map(({ name, args, occurrence }) => ({ name, args, occurrence }))).toEqual([
      { name: "tick", args: {}, occurrence: 0 },
      { name: "lookup", args: { id: 1 }, occurrence: 0 },
      { name: "tick", args: {}, occurrence: 1 },
      { name: "tick", args: { n: 1 }, occurrence: 0 },
    ]);
    expect(result.trace.map((entry) => entry.result)).toEqual([1, { id: 1, name: "item-1", tags: ["a", 1] }, 3, 4]);
    expect(result.toolCalls).toEqual(result.trace.map(({ occurrence: _, ...record }) => record));
    for (const entry of result.trace) expect(entry.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("records failures as error messages, and is empty for a run without tool calls or one that fails to compile", async () => {
    const { tools } = countingTools();
    const failed = await evaluate('(tool/broken {:why "no"})', { tools });
    expect(failed.ok).toBe(false);
    expect(failed.trace).toEqual([
      { name: "broken", args: { why: "no" }, error: "broken: no", durationMs: expect.any(Number), occurrence: 0 },
    ]);
    expect((await evaluate("(+ 1 2)")).trace).toEqual([]);
    expect((await evaluate("(+ 1")).trace).toEqual([]);
  });

  it("is JSON: it survives serialization", async () => {
    const { tools } = countingTools();
    const result = await evaluate("(pmap #(tool/lookup {:id %}) [1 2])", { tools });
    expect(JSON.parse(JSON.stringify(result.trace))).toEqual(result.trace);
  });
});

describe("replay", () => {
  it.each(SOURCES)("reproduces the run without calling a tool: %s", async (source) => {
    const compiled = program(source);
    const live = countingTools();
    const first = await compiled.run({ tools: live.tools });
    const replayed = countingTools();
    const again = await compiled.run({ replay: first.trace });
    expect(observable(again)).toEqual(observable(first));
    expect(replayed.calls).toEqual([]);
    const fromDisk = await compiled.run({ replay: JSON.parse(JSON.stringify(first.trace)) as Trace });
    expect(observable(fromDisk)).toEqual(observable(first));
    const withTools = await compiled.run({ replay: first.trace, tools: replayed.tools });
    expect(observable(withTools)).toEqual(observable(first));
    expect(replayed.calls).toEqual([]);
  });

  it("works through evaluate", async () => {
    const { tools } = countingTools();
    const first = await evaluate("(tool/lookup {:id 9})", { tools });
    const again = await evaluate("(tool/lookup {:id 9})", { replay: first.trace });
    expect(again.ok && again.json).toEqual({ id: 9, name: "item-9", tags: ["a", 9] });
  });

  it("a call the trace does not hold is replay_mismatch, naming the tool and arguments", async () => {
    const { tools } = countingTools();
    const first = await evaluate("(tool/lookup {:id 1})", { tools });
    const other = await evaluate("(let [x (tool/lookup {:id 1})] (tool/lookup {:id 2 :deep [1 2]}))", {
      replay: first.trace,
    });
    expect(other.ok).toBe(false);
    if (other.ok) return;
    expect(other.error).toMatchObject({
      code: "replay_mismatch",
      phase: "tool",
      details: { tool: "lookup", args: { id: 2, deep: [1, 2] }, occurrence: 0 },
    });
    expect(other.error.message).toContain("lookup");
    expect(other.error.message).toContain('{"id":2,"deep":[1,2]}');
    expect(other.trace).toHaveLength(1);
    expect(ERROR_CODES).toContain("replay_mismatch");
  });

  it("more calls of the same tool than recorded is replay_mismatch; fewer is fine", async () => {
    const { tools } = countingTools();
    const first = await evaluate("[(tool/tick {}) (tool/tick {})]", { tools });
    const more = await evaluate("[(tool/tick {}) (tool/tick {}) (tool/tick {})]", { replay: first.trace });
    expect(more.ok || more.error).toMatchObject({ code: "replay_mismatch", details: { occurrence: 2 } });
    expect(!more.ok && more.error.message).toContain("call 3");
    const fewer = await evaluate("(tool/tick {})", { replay: first.trace });
    expect(fewer.ok && fewer.value).toBe(1);
  });

  it("an empty or malformed trace replays nothing", async () => {
    for (const trace of [[], [null, { name: 3 }, "x"]] as unknown as Trace[]) {
      const result = await evaluate("(tool/t {})", { replay: trace });
      expect(result.ok || result.error.code).toBe("replay_mismatch");
    }
    expect((await evaluate("(+ 1 2)", { replay: [] })).ok).toBe(true);
  });

  it("accepts toolCalls records (no occurrence): identical calls are numbered in order", async () => {
    const { tools } = countingTools();
    const first = await evaluate("[(tool/tick {}) (tool/tick {}) (tool/lookup {:id 1})]", { tools });
    const again = await evaluate("[(tool/tick {}) (tool/tick {}) (tool/lookup {:id 1})]", {
      replay: first.toolCalls as unknown as Trace,
    });
    expect(again.ok && again.json).toEqual(first.ok && first.json);
    expect(again.trace).toEqual(first.trace);
  });

  it("with tools given, their names decide unknown_tool as in the live run", async () => {
    const { tools } = countingTools();
    const compiled = program("(tool/missing {})");
    const live = await compiled.run({ tools });
    expect(live.ok || live.error.code).toBe("unknown_tool");
    const replayed = await compiled.run({ tools, replay: live.trace });
    expect(observable(replayed)).toEqual(observable(live));
    const without = await compiled.run({ replay: live.trace });
    expect(without.ok || without.error.code).toBe("replay_mismatch");
  });

  it("recorded contract violations (validation_error) replay with their code and paths", async () => {
    const tools: Tools = {
      user: defineTool({ name: "user", input: "(id :int)", output: "{name :string}", execute: () => ({ name: 7 }) }),
    };
    const source = "[(try (tool/user {:id 1}) (catch :default e (:code (ex-data e)))) (tool/user {:id 2})]";
    const first = await evaluate(source, { tools });
    expect(first.ok).toBe(false);
    if (first.ok) return;
    expect(first.error.code).toBe("validation_error");
    expect(first.trace[0]).toMatchObject({ name: "user", code: "validation_error" });
    const again = await evaluate(source, { replay: JSON.parse(JSON.stringify(first.trace)) as Trace });
    expect(observable(again)).toEqual(observable(first));
  });

  it("recorded tool timeouts replay as the same catchable tool_error", async () => {
    const options: EvaluateOptions = {
      tools: { hang: () => new Promise(() => {}) },
      limits: { toolTimeoutMs: 10 },
    };
    const source = "(try (tool/hang {}) (catch :default e [:caught (ex-message e)]))";
    const first = await evaluate(source, options);
    expect(first.ok).toBe(true);
    const again = await evaluate(source, { replay: first.trace });
    expect(observable(again)).toEqual(observable(first));
  });

  it("a replayed run keeps its limits: the toolCalls limit trips at the same call", async () => {
    const { tools } = countingTools();
    const source = "(dotimes [i 5] (tool/lookup {:id i}))";
    const first = await evaluate(source, { tools, limits: { toolCalls: 3 } });
    expect(first.ok || first.error.limit).toBe("toolCalls");
    const again = await evaluate(source, { replay: first.trace, limits: { toolCalls: 3 } });
    expect(observable(again)).toEqual(observable(first));
  });
});
