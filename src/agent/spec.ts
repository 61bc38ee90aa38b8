/**
 * An agent definition, checked and normalised once by `defineAgent`: the signature parsed, the
 * placeholders checked against its parameters, the numbers checked.
 */
import { z } from "zod";
import { formatMessage, type MessageId } from "../errors/codes.js";
import { LispError } from "../errors/errors.js";
import type { LanguageModel } from "../llm/language-model.js";
import { toSignature } from "../signature/parse-signature.js";
import type { Signature } from "../signature/types.js";
import { signatureFromZod } from "../signature/zod.js";
import type { Tools } from "../tools/define-tool.js";
import { placeholders } from "./prompt/template.js";
import { defaultEstimator, type TokenEstimator } from "./prompt/tokens.js";
import type { AgentDefinition, AgentLimits, Strategy, ZodSignature } from "./types.js";

/** The default number of turns of `run`. */
export const DEFAULT_MAX_TURNS = 5;

/** A checked agent definition. */
export interface AgentSpec {
  readonly name: string;
  readonly description: string | undefined;
  readonly template: string;
  readonly signature: Signature;
  /** The zod schema of the answer, when the signature was given as zod (its parse gives `json`). */
  readonly outputSchema: z.ZodType | undefined;
  readonly tools: Tools;
  readonly model: LanguageModel | undefined;
  readonly maxTurns: number;
  readonly limits: AgentLimits | undefined;
  readonly strategy: Strategy;
  readonly maxModelCalls: number | undefined;
  readonly maxTokens: number | undefined;
  readonly maxPromptTokens: number | undefined;
  readonly maxOutputTokens: number | undefined;
  readonly temperature: number | undefined;
  readonly estimate: TokenEstimator;
  readonly timeoutMs: number | undefined;
}

/** An `agent_invalid` error worded by the catalog. */
export function invalid(id: MessageId, params: Readonly<Record<string, string | number>>): LispError {
  return new LispError("agent_invalid", "agent", formatMessage(id, params));
}

/** Throws `agent_invalid` unless `value` (when given) is a safe integer of at least `min`. */
export function checkCount(option: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < min) {
    throw invalid("agent_option_invalid", {
      option,
      reason: `must be an integer of at least ${min}, got ${String(value)}`,
    });
  }
}

/** Whether a signature is given as zod `{input, output}` schemas. */
export function isZodSignature(signature: unknown): signature is ZodSignature {
  return (
    signature !== null &&
    typeof signature === "object" &&
    (signature as { input?: unknown }).input instanceof z.ZodType &&
    (signature as { output?: unknown }).output instanceof z.ZodType
  );
}

/**
 * Checks and normalises a definition. Throws `LispError` (`agent_invalid`) for a bad name or
 * number, a `{{placeholder}}` that is not a signature parameter, and `SignatureError` for
 * signature text that does not parse.
 */
export function checkDefinition(definition: AgentDefinition): AgentSpec {
  if (typeof definition.name !== "string" || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(definition.name)) {
    throw invalid("agent_option_invalid", {
      option: "name",
      reason: `must start with a letter and hold only letters, digits, _ and -, got ${JSON.stringify(definition.name)}`,
    });
  }
  if (typeof definition.prompt !== "string" || definition.prompt.trim() === "") {
    throw invalid("agent_option_invalid", { option: "prompt", reason: "must be a non-empty mission text" });
  }
  checkCount("maxTurns", definition.maxTurns, 1);
  checkCount("maxModelCalls", definition.maxModelCalls, 0);
  checkCount("maxTokens", definition.maxTokens, 0);
  checkCount("maxPromptTokens", definition.maxPromptTokens, 1);
  checkCount("maxOutputTokens", definition.maxOutputTokens, 1);
  checkCount("timeoutMs", definition.timeoutMs, 1);
  const zod = isZodSignature(definition.signature) ? definition.signature : undefined;
  const signature =
    zod !== undefined
      ? signatureFromZod({ input: zod.input, output: zod.output })
      : toSignature(definition.signature as string);
  const params = (signature.params ?? []).map((param) => param.name);
  for (const name of placeholders(definition.prompt)) {
    if (!params.includes(name)) {
      throw invalid("placeholder_unknown", { name, params: params.length === 0 ? "none" : params.join(", ") });
    }
  }
  return {
    name: definition.name,
    description: definition.description,
    template: definition.prompt,
    signature,
    outputSchema: zod?.output,
    tools: definition.tools ?? {},
    model: definition.model,
    maxTurns: definition.maxTurns ?? DEFAULT_MAX_TURNS,
    limits: definition.limits,
    strategy: definition.strategy ?? {},
    maxModelCalls: definition.maxModelCalls,
    maxTokens: definition.maxTokens,
    maxPromptTokens: definition.maxPromptTokens,
    maxOutputTokens: definition.maxOutputTokens,
    temperature: definition.temperature,
    estimate: definition.estimateTokens ?? defaultEstimator,
    timeoutMs: definition.timeoutMs,
  };
}
