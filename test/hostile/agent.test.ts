import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AgentResult, defineAgent, defineTool, ERROR_CODES } from "../../src/index.js";
import { type ScriptedReply, scriptedModel } from "../../src/testing/index.js";

/** Whatever the model replies, a run ends in a result with a documented code: never a throw, hang or crash. */
const tools = {
  echo: defineTool({ name: "echo", input: "(x :any)", output: ":any", execute: ({ x }) => x }),
  boom: () => {
    throw new Proxy({}, {});
  },
};

async function runWith(replies: ScriptedReply[], maxTurns = 2): Promise<AgentResult> {
  const agent = defineAgent({
    name: "hostile",
    prompt: "Answer.",
    signature: "(n :int) -> :int",
    tools,
    model: scriptedModel(replies),
    maxTurns,
    limits: { timeMs: 500 },
  });
  return agent.run({ n: 1 });
}

function expectWellFormed(result: AgentResult): void {
  if (!result.ok) expect(ERROR_CODES).toContain(result.error.code);
  for (const turn of result.turns) expect(turn.feedback === undefined || turn.feedback.length < 20_000).toBe(true);
}

const fence = (source: string) => `\`\`\`clojure\n${source}\n\`\`\``;

describe("hostile model replies", () => {
  const cases: [string, ScriptedReply][] = [
    ["200,000 open parentheses", fence("(".repeat(200_000))],
    ["50,000 nested vectors", fence(`${"[".repeat(50_000)}${"]".repeat(50_000)}`)],
    ["5 MB of prose", "x".repeat(5_000_000)],
    ["an infinite sequence realized", fence("(count (range))")],
    ["an endless loop", fence("(loop [] (recur))")],
    ["a 2 MB string as the value", fence('(apply str (repeat 1000000 "ab"))')],
    ["a tool that throws a Proxy", fence("(tool/boom {})")],
    ["a reply that is not text", { text: 42 as unknown as string }],
    ["a reply with no fence but a form", "(return (tool/echo {:x data/n}))"],
    ["many fences, none Lisp", "```python\nprint(1)\n```\n```js\nx\n```"],
    ["NUL and lone surrogates", fence('(str "\u0000\uD800")')],
  ];
  for (const [name, reply] of cases) {
    it(`survives ${name}`, async () => {
      const result = await runWith([reply, fence("(return 1)")]);
      expectWellFormed(result);
    });
  }

  it("survives arbitrary replies (property)", async () => {
    const replies = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: "grapheme", maxLength: 200 }).map(fence),
      fc
        .array(
          fc.constantFrom("(", ")", "[", "]", "{", "}", '"', "tool/echo", "data/n", "return", " ", "1", ":k", "#", "`"),
          {
            maxLength: 60,
          },
        )
        .map((parts) => fence(parts.join(""))),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(replies, { minLength: 2, maxLength: 2 }), async (pair) => {
        expectWellFormed(await runWith(pair));
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
