import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  compile,
  compileOrThrow,
  defineAgent,
  defineTool,
  evaluate,
  type RunResult,
  type ToolCallContext,
} from "../../src/index.js";

describe("types flow from zod", () => {
  it("defineTool's execute is typed from zod input and output", () => {
    defineTool({
      name: "customer",
      input: z.object({ customer_id: z.number() }),
      output: z.object({ name: z.string() }),
      execute: async (args, context) => {
        expectTypeOf(args).toEqualTypeOf<{ customer_id: number }>();
        expectTypeOf(context).toEqualTypeOf<ToolCallContext>();
        return { name: "x" };
      },
    });
    defineTool({
      name: "text",
      input: "(id :int)",
      execute: (args) => {
        expectTypeOf(args).toEqualTypeOf<Record<string, unknown>>();
        return null;
      },
    });
  });

  it("rejects a zod tool whose result does not match its output", () => {
    defineTool({
      name: "wrong",
      output: z.object({ name: z.string() }),
      // @ts-expect-error: the result must be {name: string}
      execute: () => ({ name: 1 }),
    });
  });

  it("compile, compileOrThrow and evaluate type json from a zod signature", async () => {
    const signature = { input: z.object({ n: z.number() }), output: z.object({ total: z.number() }) };
    const compiled = compile("{:total data/n}", { signature });
    if (compiled.ok) {
      const result = await compiled.program.run({ data: { n: 1 } });
      if (result.ok) expectTypeOf(result.json).toEqualTypeOf<{ total: number }>();
    }
    const program = compileOrThrow("{:total data/n}", { signature });
    expectTypeOf(program.run).returns.resolves.toEqualTypeOf<RunResult<{ total: number }>>();
    const evaluated = await evaluate("{:total data/n}", { signature, data: { n: 2 } });
    if (evaluated.ok) expectTypeOf(evaluated.json).toEqualTypeOf<{ total: number }>();
    const untyped = await evaluate("(+ 1 2)");
    if (untyped.ok) expectTypeOf(untyped.json).toEqualTypeOf<unknown>();
  });

  it("an agent's input and answer are typed from its zod signature", async () => {
    const agent = defineAgent({
      name: "typed",
      prompt: "Total {{items}}.",
      signature: { input: z.object({ items: z.array(z.number()) }), output: z.object({ total: z.number() }) },
    });
    expectTypeOf(agent.run).parameter(0).toEqualTypeOf<{ items: number[] }>();
    const result = await agent.run({ items: [1] });
    if (result.ok) expectTypeOf(result.json).toEqualTypeOf<{ total: number }>();
  });
});
