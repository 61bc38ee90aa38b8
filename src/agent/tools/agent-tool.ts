/**
 * `agentTool`: an agent as a tool of another agent's programs (DESIGN §9.5). The child runs its
 * own loop, one level deeper, on the calling agent's budget and signal.
 */
import { formatMessage, MESSAGES } from "../../errors/codes.js";
import { LispError } from "../../errors/errors.js";
import { inputType, type Signature } from "../../signature/types.js";
import { defineTool, type Tool, type ToolCallContext, type ToolEffects } from "../../tools/define-tool.js";
import { toolKey } from "../../tools/tool-names.js";
import type { AgentResult, AgentRunOptions } from "../types.js";

/**
 * What `agentTool` needs of an agent (every `Agent` is one). Structural, so that the agent
 * module can build its `asTool()` on this one without an import cycle.
 */
export interface RunnableAgent {
  readonly name: string;
  readonly description: string | undefined;
  readonly signature: Signature;
  /** The agent's multi-turn loop on one input; the tool's arguments are the input. */
  run(input: never, options?: AgentRunOptions): Promise<AgentResult>;
}

/** What `agentTool` takes besides the agent. */
export interface AgentToolOptions {
  /** The tool's name in prompts and messages. Default: the agent's name. */
  readonly name?: string;
  /** What the tool does, for the model writing the program. Default: the agent's description, else its name. */
  readonly description?: string;
  /**
   * What a call does to the world. Default `write` (the safe reading: the child may call tools
   * that write, so a compile stubs it and a retry never repeats it); say `read` when neither
   * the child nor its tools change anything.
   */
  readonly effects?: ToolEffects;
  /** How deep agents may nest, counted from the top-level run. Default 3 (`DEFAULT_MAX_AGENT_DEPTH`). */
  readonly maxDepth?: number;
}

/**
 * An agent as a tool (`kind: "agent"`), with the agent's signature as its contract: a call runs
 * `agent.run(args, {parent: context})`, so the child counts toward the calling agent's model
 * budget and usage, follows its signal, and runs one level deeper (past `maxDepth` it fails
 * before any model call, `agent_depth_exceeded`). The child's answer (`result.json`) is the
 * tool's result.
 *
 * The child's faults never crash the caller: a failed run throws a `LispError` (`tool_error`)
 * naming the agent and the child's error code and message, which the program sees as a
 * catchable tool error (`(try (tool/x {...}) (catch :default e (ex-message e)))`); the child's
 * diagnostic is in `details.error`.
 */
export function agentTool(agent: RunnableAgent, options: AgentToolOptions = {}): Tool {
  const input = inputType(agent.signature);
  const params = (agent.signature.params ?? []).map((param) => param.name);
  const execute = async (args: Record<string, unknown>, context: ToolCallContext): Promise<unknown> => {
    const result = await agent.run(agentInput(args, params) as never, {
      parent: context,
      ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
    });
    if (result.ok) return result.json;
    const spec = MESSAGES.agent_tool_failed;
    throw new LispError(
      spec.code,
      spec.phase,
      formatMessage("agent_tool_failed", { name: agent.name, code: result.error.code, message: result.error.message }),
      { details: { agent: agent.name, error: result.error, stopReason: result.stopReason } },
    );
  };
  return defineTool({
    name: options.name ?? agent.name,
    description: options.description ?? agent.description ?? agent.name,
    ...(input === undefined ? {} : { input }),
    output: agent.signature.output,
    kind: "agent",
    ...(options.effects === undefined ? {} : { effects: options.effects }),
    execute,
  });
}

/** Tool arguments arrive with snake_case keys; the agent's input uses its parameters' own names. */
function agentInput(args: Readonly<Record<string, unknown>>, params: readonly string[]): Record<string, unknown> {
  const input: Record<string, unknown> = { ...args };
  for (const param of params) {
    const key = toolKey(param);
    if (key !== param && Object.hasOwn(input, key) && !Object.hasOwn(input, param)) {
      input[param] = input[key];
      delete input[key];
    }
  }
  return input;
}
