import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type AgentEvent, defineAgent, defineTool, LispError, LlmApiError } from "../../../src/index.js";
import { scriptedModel } from "../../../src/testing/index.js";

const clj = (source: string) => `Here is the program.\n\`\`\`clojure\n${source}\n\`\`\``;

const ORDERS = [
  { id: 1, total: 5.5, region: "EU" },
  { id: 2, total: 20.5, region: "US" },
  { id: 3, total: 30.5, region: "EU" },
];
const SIGNATURE = "(region :string, orders [{id :int, total :float, region :string}]) -> {count :int, sum :float}";

function ordersAgent(replies: Parameters<typeof scriptedModel>[0], extra: Record<string, unknown> = {}) {
  const model = scriptedModel(replies);
  const agent = defineAgent({
    name: "big-orders",
    prompt: "Count and sum the orders of {{region}} above 10.",
    signature: SIGNATURE,
    model,
    ...extra,
  });
  return { model, agent };
}

const input = { region: "EU", orders: ORDERS };

describe("agent.run: the multi-turn loop", () => {
  it("keeps defs across turns and returns a checked answer", async () => {
    const { agent, model } = ordersAgent([
      clj('(println "n =" (count data/orders))\n(def big (filter #(> (:total %) 10) data/orders))'),
      clj("(return {:count (count big) :sum (reduce + (map :total big))})"),
    ]);
    const result = await agent.run(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.json).toEqual({ count: 2, sum: 51 });
    expect(result.stopReason).toBe("returned");
    expect(result.turns.map((turn) => turn.outcome)).toEqual(["continued", "returned"]);
    expect(result.usage.modelCalls).toBe(2);
    // The first turn's output is fed back.
    const feedback = model.calls[1]?.request.messages.at(-1)?.content ?? "";
    expect(feedback).toContain("n = 3");
    expect(model.calls[1]?.request.messages.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
  });

  it("holds the last values in *1 *2 *3", async () => {
    const { agent } = ordersAgent([clj("10"), clj("20"), clj("(return {:count (+ *1 *2) :sum 0.5})")]);
    const result = await agent.run(input);
    expect(result.ok && result.json).toEqual({ count: 30, sum: 0.5 });
  });

  it("feeds static faults back without running the program", async () => {
    let calls = 0;
    const tools = {
      count_orders: defineTool({
        name: "count_orders",
        input: "()",
        output: ":int",
        execute: () => {
          calls++;
          return 3;
        },
      }),
    };
    const { agent, model } = ordersAgent(
      [clj("(tool/count-orders {}) (undefined-fn 1)"), clj("(return {:count (tool/count-orders {}) :sum 1.0})")],
      { tools },
    );
    const result = await agent.run(input);
    expect(result.ok && result.json).toEqual({ count: 3, sum: 1 });
    expect(calls).toBe(1);
    expect(result.turns[0]?.outcome).toBe("rejected");
    const feedback = model.calls[1]?.request.messages.at(-1)?.content ?? "";
    expect(feedback).toContain("was not run");
    expect(feedback).toContain("undefined-fn");
    expect(feedback).toMatch(/line 1, column \d+/);
  });

  it("names the failing path and the expected type of a wrong answer, never its value", async () => {
    const { agent, model } = ordersAgent([
      clj('(return {:count "secret-value" :sum 1.0})'),
      clj("(return {:count 1 :sum 1.0})"),
    ]);
    const result = await agent.run(input);
    expect(result.ok).toBe(true);
    const feedback = model.calls[1]?.request.messages.at(-1)?.content ?? "";
    expect(feedback).toContain("count: expected");
    expect(feedback).toContain("got string");
    expect(feedback).not.toContain("secret-value");
  });

  it("clips printed output fed back", async () => {
    const { agent, model } = ordersAgent([
      clj('(dotimes [i 2000] (println "line" i))'),
      clj("(return {:count 0 :sum 0.0})"),
    ]);
    await agent.run(input);
    const feedback = model.calls[1]?.request.messages.at(-1)?.content ?? "";
    expect(feedback.length).toBeLessThan(3000);
    expect(feedback).toContain("more characters not shown");
  });

  it("feeds a run-time failure back with its code and position", async () => {
    const { agent, model } = ordersAgent([clj("(+ 1 (first data/orders))"), clj("(return {:count 0 :sum 0.0})")]);
    const result = await agent.run(input);
    expect(result.ok).toBe(true);
    expect(result.turns[0]?.outcome).toBe("failed");
    const feedback = model.calls[1]?.request.messages.at(-1)?.content ?? "";
    expect(feedback).toContain("[type_error]");
    expect(feedback).toContain("line 1");
  });

  it("announces the last turn, and takes its last value as the answer", async () => {
    const { agent, model } = ordersAgent([clj("(count data/orders)"), clj("{:count 2 :sum 3.0}")], { maxTurns: 2 });
    const result = await agent.run(input);
    expect(model.calls[1]?.request.messages.at(-1)?.content).toContain("your last");
    expect(result.ok && result.json).toEqual({ count: 2, sum: 3 });
  });

  it("single-shot (maxTurns 1): the last form's value is the answer, type-checked before running", async () => {
    const { agent, model } = ordersAgent([clj("{:count (count data/orders) :sum 1.0}")], { maxTurns: 1 });
    const result = await agent.run(input);
    expect(result.ok && result.json).toEqual({ count: 3, sum: 1 });
    expect(model.calls[0]?.request.system).toContain("It runs once");
  });

  it("stops with max-turns and the last fault", async () => {
    const { agent } = ordersAgent([clj("(println 1)"), clj("(println 2)"), clj("(println 3)")], { maxTurns: 3 });
    const result = await agent.run(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.stopReason).toBe("max-turns");
    expect(result.error.code).toBe("max_turns");
    expect(result.turns).toHaveLength(3);
  });

  it("stops with failed when the program calls (fail v)", async () => {
    const { agent } = ordersAgent([clj('(fail "no data")')]);
    const result = await agent.run(input);
    expect(result.ok === false && [result.stopReason, result.error.code]).toEqual(["failed", "fail"]);
  });

  it("stops with budget before a call that would pass maxModelCalls", async () => {
    const { agent, model } = ordersAgent([clj("1"), clj("2"), clj("3")], { maxModelCalls: 2 });
    const result = await agent.run(input);
    expect(result.ok === false && [result.stopReason, result.error.code]).toEqual(["budget", "model_budget_exceeded"]);
    expect(model.calls).toHaveLength(2);
  });

  it("stops with budget on maxTokens", async () => {
    const { agent, model } = ordersAgent([clj("1")], { maxTokens: 50 });
    const result = await agent.run(input);
    expect(result.ok === false && result.stopReason).toBe("budget");
    expect(model.calls).toHaveLength(0);
  });

  it("stops with model-error when the provider fails", async () => {
    const failure = new LlmApiError(
      "model_http_error",
      { provider: "x", status: 400, message: "bad request" },
      { status: 400, retryable: false },
    );
    const { agent } = ordersAgent([failure]);
    const result = await agent.run(input);
    expect(result.ok === false && [result.stopReason, result.error.code]).toEqual(["model-error", "model_error"]);
  });

  it("stops with aborted when the signal fires", async () => {
    const controller = new AbortController();
    const { agent } = ordersAgent(() => {
      controller.abort();
      return clj("(println 1)");
    });
    const result = await agent.run(input, { signal: controller.signal });
    expect(result.ok === false && result.stopReason).toBe("aborted");
  });

  it("asks again when a reply holds no program, and says a cut reply was cut", async () => {
    const { agent, model } = ordersAgent([
      "I think the answer is 42.",
      { text: "```clojure\n(return {:count (count data/ord", finishReason: "length" },
      clj("(return {:count 1 :sum 1.0})"),
    ]);
    const result = await agent.run(input);
    expect(result.ok).toBe(true);
    expect(result.turns[0]?.diagnostics[0]?.code).toBe("no_program");
    expect(result.turns[1]?.diagnostics[0]?.code).toBe("reply_truncated");
    expect(model.calls[2]?.request.messages.at(-1)?.content).toContain("cut off");
  });

  it("reports a missing model as a result, not a throw", async () => {
    const agent = defineAgent({ name: "a", prompt: "x", signature: "() -> :int" });
    const result = await agent.run({});
    expect(result.ok === false && result.error.code).toBe("agent_invalid");
  });

  it("refuses input that does not match the signature before any model call", async () => {
    const { agent, model } = ordersAgent([clj("1")]);
    const result = await agent.run({ region: "EU", orders: "not a list" } as never);
    expect(result.ok === false && result.error.code).toBe("validation_error");
    expect(model.calls).toHaveLength(0);
  });

  it("never lets a throwing event listener or a hostile model crash the host", async () => {
    const { agent } = ordersAgent(() => {
      throw "a string";
    });
    const result = await agent.run(input, {
      onEvent: () => {
        throw new Error("listener");
      },
    });
    expect(result.ok === false && result.stopReason).toBe("model-error");
  });
});

describe("agent events", () => {
  it("reports the run, its turns, model calls and the program's tool calls in order", async () => {
    const tools = { lookup: defineTool({ name: "lookup", input: "(id :int)", output: ":string", execute: () => "x" }) };
    const { agent } = ordersAgent(
      [clj("(tool/lookup {:id 1}) (undefined-thing)"), clj("(tool/lookup {:id 2}) (return {:count 1 :sum 1.0})")],
      { tools },
    );
    const events: AgentEvent[] = [];
    await agent.run(input, { onEvent: (event) => events.push(event) });
    expect(events.map((event) => event.type)).toEqual([
      "run-start",
      "turn-start",
      "model-call-start",
      "model-call-end",
      "program-rejected",
      "turn-end",
      "turn-start",
      "model-call-start",
      "model-call-end",
      "tool-call-start",
      "tool-call-end",
      "turn-end",
      "run-end",
    ]);
    expect(events[9]).toMatchObject({ type: "tool-call-start", name: "lookup", args: { id: 2 }, turn: 2 });
  });
});

describe("agent traces", () => {
  it("replays a run to the identical result with no model or tool call", async () => {
    let toolCalls = 0;
    const tools = {
      rate: defineTool({
        name: "rate",
        input: "(region :string)",
        output: ":float",
        execute: () => {
          toolCalls++;
          return 2;
        },
      }),
    };
    const { agent, model } = ordersAgent(
      [
        clj("(def r (tool/rate {:region data/region}))"),
        clj("(return {:count (count data/orders) :sum (* r (reduce + (map :total data/orders)))})"),
      ],
      { tools },
    );
    const live = await agent.run(input);
    expect(live.ok).toBe(true);
    const trace = JSON.parse(JSON.stringify(live.trace));
    const replayed = await agent.run(input, { replay: trace });
    expect(replayed.ok && replayed.json).toEqual(live.ok && live.json);
    expect(model.calls).toHaveLength(2);
    expect(toolCalls).toBe(1);
    expect(replayed.trace.model.map((entry) => entry.key)).toEqual(live.trace.model.map((entry) => entry.key));
  });

  it("fails closed when the replayed run asks something the trace lacks", async () => {
    const { agent } = ordersAgent([clj("(return {:count 1 :sum 1.0})")]);
    const live = await agent.run(input);
    const replayed = await agent.run({ region: "US", orders: ORDERS }, { replay: live.trace });
    expect(replayed.ok === false && replayed.error.code).toBe("cassette_miss");
    expect(replayed.ok === false && replayed.error.message).toContain("US");
  });
});

describe("defineAgent", () => {
  it("checks placeholders against the signature when the agent is defined", () => {
    expect(() =>
      defineAgent({ name: "a", prompt: "Find {{query}} in {{colour}}", signature: "(query :string) -> :int" }),
    ).toThrow(/\{\{colour\}\} is not a parameter/);
    try {
      defineAgent({ name: "a", prompt: "{{x}}", signature: "(y :int) -> :int" });
    } catch (error) {
      expect(error).toBeInstanceOf(LispError);
      expect((error as LispError).code).toBe("agent_invalid");
    }
  });

  it("checks names and numbers", () => {
    expect(() => defineAgent({ name: "no spaces", prompt: "x", signature: ":int" })).toThrow(/name/);
    expect(() => defineAgent({ name: "a", prompt: "x", signature: ":int", maxTurns: 0 })).toThrow(/maxTurns/);
    expect(() => defineAgent({ name: "a", prompt: "x", signature: "(x :nope) -> :int" })).toThrow();
  });

  it("takes zod schemas and types the answer from them", async () => {
    const model = scriptedModel([clj("(return {:total (reduce + (map :price data/items))})")]);
    const agent = defineAgent({
      name: "total",
      prompt: "Total the items.",
      signature: {
        input: z.object({ items: z.array(z.object({ price: z.number() })) }),
        output: z.object({ total: z.number() }),
      },
      model,
    });
    const result = await agent.run({ items: [{ price: 2 }, { price: 3 }] });
    expect(result.ok).toBe(true);
    if (result.ok) {
      const total: number = result.json.total;
      expect(total).toBe(5);
    }
  });
});

describe("nested agents", () => {
  it("count toward the outer agent's budget and usage through parentBudget", async () => {
    const { parentBudget } = await import("../../../src/index.js");
    const inner = defineAgent({
      name: "inner",
      prompt: "Double {{n}}.",
      signature: "(n :int) -> :int",
      model: scriptedModel(() => clj("(return (* 2 data/n))")),
      maxTurns: 1,
    });
    const tools = {
      double: defineTool({
        name: "double",
        input: "(n :int)",
        output: ":int",
        execute: async (args, context) => {
          const result = await inner.run(args as { n: number }, {
            budget: parentBudget(context),
            signal: context.signal,
          });
          if (!result.ok) throw new Error(result.error.message);
          return result.json;
        },
      }),
    };
    const outerModel = scriptedModel(() =>
      clj("(return {:count (tool/double {:n 2}) :sum (* 1.0 (tool/double {:n 3}))})"),
    );
    const outer = defineAgent({ name: "outer", prompt: "Go.", signature: SIGNATURE, tools, model: outerModel });
    const result = await outer.run(input);
    expect(result.ok && result.json).toEqual({ count: 4, sum: 6 });
    expect(result.usage.modelCalls).toBe(3);

    // The outer maxModelCalls covers the nested calls: the second nested call is refused.
    const capped = defineAgent({
      name: "outer",
      prompt: "Go.",
      signature: SIGNATURE,
      tools,
      model: outerModel,
      maxModelCalls: 2,
    });
    const refused = await capped.run(input);
    expect(refused.ok === false && refused.stopReason).toBe("budget");
    expect(refused.usage.modelCalls).toBe(2);
  });
});

describe("deadlines", () => {
  it("timeoutMs stops a run, and nested runs share the deadline", async () => {
    const slow = scriptedModel(async (_request, index) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return clj(index === 0 ? "(println 1)" : "(return {:count 1 :sum 1.0})");
    });
    const agent = defineAgent({ name: "slow", prompt: "x", signature: SIGNATURE, model: slow, timeoutMs: 100 });
    const started = performance.now();
    const result = await agent.run(input);
    expect(result.ok === false && result.stopReason).toBe("aborted");
    expect(performance.now() - started).toBeLessThan(1000);

    const child = defineAgent({ name: "child", prompt: "y", signature: "() -> :int", model: slow, maxTurns: 1 });
    const parent = defineAgent({
      name: "parent",
      prompt: "z",
      signature: "() -> :int",
      tools: { child: child.asTool() },
      model: scriptedModel(() => clj("(return (tool/child {}))")),
      timeoutMs: 100,
    });
    const nested = await parent.run({});
    expect(nested.ok).toBe(false);
  });
});
