import { describe, expect, it } from "vitest";
import { compileOrThrow, type RunEvent } from "../../../src/index.js";

const tools = {
  double: ({ n }: Record<string, unknown>) => (n as number) * 2,
  boom: () => {
    throw new Error("no");
  },
};

function recorder(): { events: RunEvent[]; onEvent: (event: RunEvent) => void } {
  const events: RunEvent[] = [];
  return { events, onEvent: (event) => events.push(event) };
}

describe("RunOptions.onEvent", () => {
  it("reports each tool call as it starts and ends, in order", async () => {
    const { events, onEvent } = recorder();
    const program = compileOrThrow("(+ (tool/double {:n 1}) (tool/double {:n 2}))");
    const result = await program.run({ tools, onEvent });
    expect(result.ok && result.json).toBe(6);
    expect(events.map((event) => `${event.type} ${JSON.stringify(event.args)}`)).toEqual([
      'tool-call-start {"n":1}',
      'tool-call-end {"n":1}',
      'tool-call-start {"n":2}',
      'tool-call-end {"n":2}',
    ]);
    const end = events[1];
    expect(end).toMatchObject({ type: "tool-call-end", name: "double", ok: true, result: 2, replayed: false });
    expect(end?.type === "tool-call-end" && end.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("starts the calls of a pmap round together", async () => {
    const { events, onEvent } = recorder();
    const program = compileOrThrow("(pmap #(tool/double {:n %}) [1 2 3])");
    await program.run({ tools, onEvent });
    expect(events.slice(0, 3).map((event) => event.type)).toEqual(Array(3).fill("tool-call-start"));
    expect(events.filter((event) => event.type === "tool-call-end")).toHaveLength(3);
  });

  it("reports a failed call with its message, and identical calls by occurrence", async () => {
    const { events, onEvent } = recorder();
    const program = compileOrThrow(
      "[(try (tool/boom) (catch :default e :caught)) (tool/double {:n 1}) (tool/double {:n 1})]",
    );
    await program.run({ tools, onEvent });
    expect(events[1]).toMatchObject({ type: "tool-call-end", name: "boom", ok: false, error: "no" });
    const doubles = events.filter((event) => event.type === "tool-call-start" && event.name === "double");
    expect(doubles.map((event) => event.occurrence)).toEqual([0, 1]);
  });

  it("marks replayed calls, and replays without calling a tool", async () => {
    const program = compileOrThrow("(tool/double {:n 4})");
    const live = await program.run({ tools });
    const { events, onEvent } = recorder();
    const replayed = await program.run({ replay: live.trace, onEvent });
    expect(replayed.ok && replayed.json).toBe(8);
    expect(events.map((event) => [event.type, event.replayed])).toEqual([
      ["tool-call-start", true],
      ["tool-call-end", true],
    ]);
  });

  it("ignores a listener that throws", async () => {
    const program = compileOrThrow("(tool/double {:n 5})");
    const result = await program.run({
      tools,
      onEvent: () => {
        throw new Error("listener broke");
      },
    });
    expect(result.ok && result.json).toBe(10);
  });

  it("reports calls of a run isolated in a worker", async () => {
    const { events, onEvent } = recorder();
    const program = compileOrThrow("(tool/double {:n 3})");
    const result = await program.run({ tools, onEvent, isolation: "worker" });
    expect(result.ok && result.json).toBe(6);
    expect(events.map((event) => event.type)).toEqual(["tool-call-start", "tool-call-end"]);
  });
});
