import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type AgentResult, type Diagnostic, defineAgent, LispError, type RunResult } from "../../src/index.js";
import { scriptedModel } from "../../src/testing/index.js";
import { type Case, check, skipReason } from "./harness.js";

/**
 * The cases that need memory, turn history or runner options, run through the agent loop as a
 * model would reach them: memory is `def`ined by earlier turns, turn history is the values of
 * earlier turns (`*1 *2 *3`), and the case's program is the last turn. The signature option is
 * the agent's signature; float precision and print length are applied by the suite's checker.
 */
const cases = (JSON.parse(readFileSync(new URL("./cases.json", import.meta.url), "utf8")) as Case[]).filter(
  (testCase) =>
    skipReason(testCase) === undefined &&
    (testCase.memory !== undefined || testCase.turn_history !== undefined || testCase.options !== undefined),
);

/** A JSON value as PTC-Lisp source (objects as keyword maps, as the suite converts them). */
function literal(json: unknown): string {
  if (json === null || json === undefined) return "nil";
  if (Array.isArray(json)) return `[${json.map(literal).join(" ")}]`;
  if (typeof json === "object") {
    return `{${Object.entries(json as Record<string, unknown>)
      .map(([key, value]) => `:${key} ${literal(value)}`)
      .join(" ")}}`;
  }
  return JSON.stringify(json);
}

const fenced = (source: string) => `\`\`\`clojure\n${source}\n\`\`\``;

/** The agent's result in the shape the suite's checker reads: a run out of turns reports its last fault. */
function asRunResult(result: AgentResult): RunResult {
  const last = result.turns.at(-1);
  const base = {
    prints: last?.prints ?? [],
    toolCalls: [],
    trace: [],
    globals: new Map(),
    usage: { fuel: 0, ms: 0, allocations: 0, passes: 0, restarts: 0 },
  };
  if (result.ok) return { ok: true, value: result.value, json: result.json, ...base };
  const lastFault = result.error.details?.["last"] as Diagnostic | undefined;
  return { ok: false, error: result.error.code === "max_turns" && lastFault ? lastFault : result.error, ...base };
}

describe("conformance cases with memory, turn history or runner options, through agent.run", () => {
  it("covers the 41 cases", () => {
    expect(cases).toHaveLength(41);
  });

  for (const testCase of cases) {
    it(testCase.id, async () => {
      const turns = [
        ...Object.entries(testCase.memory ?? {}).map(([name, value]) => `(def ${name} ${literal(value)})`),
        ...(testCase.turn_history ?? []).map(literal),
        testCase.program,
      ];
      const model = scriptedModel(turns.map(fenced));
      const signature = testCase.options?.["signature"];
      let agent: ReturnType<typeof defineAgent>;
      try {
        agent = defineAgent({
          name: "conformance",
          prompt: "Run the case.",
          signature: typeof signature === "string" ? signature : ":any",
          model,
          maxTurns: turns.length,
        });
      } catch (error) {
        // A signature that does not parse is refused when the agent is defined.
        expect(error).toBeInstanceOf(LispError);
        expect((error as LispError).code).toBe(testCase.error);
        return;
      }
      const result = await agent.run(testCase.context as Record<string, unknown>);
      expect(model.calls).toHaveLength(turns.length);
      expect(check(testCase, asRunResult(result)), testCase.program).toBeUndefined();
    });
  }
});
