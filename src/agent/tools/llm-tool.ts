/**
 * `llmTool`: a typed model call as a tool (DESIGN §9.5). The program's arguments fill a prompt
 * template; the model answers with JSON of the signature's output type (structured output where
 * the provider has it, instructions in the prompt everywhere); the answer is parsed, validated
 * strictly, repaired once from its faults, and returned.
 */
import type { z } from "zod";
import { formatMessage, MESSAGES, type MessageId } from "../../errors/codes.js";
import { LispError } from "../../errors/errors.js";
import { ModelBudget } from "../../llm/budget.js";
import { generate } from "../../llm/generate.js";
import type { LanguageModel, ModelMessage, ModelReply, ModelRequest } from "../../llm/language-model.js";
import { summarizeErrors, validate } from "../../signature/check-value.js";
import { toJSONSchema } from "../../signature/json-schema.js";
import { toSignature } from "../../signature/parse-signature.js";
import { renderType } from "../../signature/print-signature.js";
import { inputType, type Signature, type Type } from "../../signature/types.js";
import { signatureFromZod } from "../../signature/zod.js";
import { defineTool, type Tool, type ToolCallContext, type ToolEffects } from "../../tools/define-tool.js";
import { toolKey } from "../../tools/tool-names.js";
import { returnFeedback } from "../prompt/feedback.js";
import { PLACEHOLDER, placeholders } from "../prompt/template.js";
import { parentBudget, parentModel } from "../scope.js";
import { checkCount, invalid, isZodSignature } from "../spec.js";
import type { ZodSignature } from "../types.js";

/** What `llmTool` takes. */
export interface LlmToolOptions {
  /** The tool's name in prompts and messages (programs call it by its key in `tools`). Default `llm`. */
  readonly name?: string;
  /** What the tool does, shown to the model that writes the program. */
  readonly description: string;
  /**
   * The request: a template whose `{{placeholders}}` are signature parameters (checked here).
   * A string argument is written in as is, anything else as JSON; arguments the template does
   * not mention are appended as a JSON object of inputs.
   */
  readonly prompt: string;
  /**
   * The contract: signature text (`(text :string) -> {label :string, score :float}`), a parsed
   * signature, or zod `{input, output}`. The program's arguments are checked against the
   * parameters, the model's answer strictly against the output (and the zod output schema).
   */
  readonly signature: string | Signature | ZodSignature;
  /** The model. Default: the model of the agent (or compiled agent's execution) whose program calls the tool. */
  readonly model?: LanguageModel;
  /**
   * Independent answers asked for per call (in parallel, each with its own repair round and
   * `seed` = its index); the most frequent valid answer is returned (equal JSON, key order
   * ignored; a tie goes to the lowest index). Answers that stay invalid are dropped; the call
   * fails only when none is valid. Every answer counts toward the budget. Default 1.
   */
  readonly numSamples?: number;
  /** Sampling temperature. Default: the model's (give one above 0 for `numSamples` > 1 to mean anything). */
  readonly temperature?: number;
  /** Most tokens a reply may have. Default: the provider's. */
  readonly maxOutputTokens?: number;
  /** What a call does to the world. Default `read`: a model call changes nothing. */
  readonly effects?: ToolEffects;
}

/** Replies of the model quoted back in a repair request are clipped to this many characters. */
const MAX_ECHOED_REPLY_CHARS = 4000;
/** Positions of `{` and `[` tried when looking for a JSON value inside prose. */
const MAX_JSON_STARTS = 20;

const SYSTEM =
  "You are a function called by a program. Answer with exactly one JSON value of the requested type and nothing else: no prose, no explanation.";

function failure(
  id: MessageId,
  params: Readonly<Record<string, string | number>>,
  details?: Record<string, unknown>,
): LispError {
  const spec = MESSAGES[id];
  return new LispError(spec.code, spec.phase, formatMessage(id, params), details === undefined ? {} : { details });
}

/** How one reply read: a valid answer, or why not (for the error) and what to tell the model. */
type Reading =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string; readonly feedback: string; readonly details?: unknown };

/** How one sample ended: its answer or its last fault, and the replies it took. */
type SampleOutcome = { readonly replies: number } & (
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string; readonly details?: unknown }
);

/**
 * A typed model call as a tool (`kind: "llm"`, `effects: "read"` unless given). Programs call it
 * as `(tool/<key> {...})` with the signature's parameters; it returns the model's answer,
 * validated against the signature's output.
 *
 * ```ts
 * const sentiment = llmTool({
 *   description: "The sentiment of a review",
 *   prompt: "What is the sentiment of this review?\n\n{{review}}",
 *   signature: '(review :string) -> {label :string, score :float}',
 * });
 * defineAgent({ ..., tools: { sentiment } });   // (tool/sentiment {:review r})
 * ```
 *
 * Each call goes through `generate()` (retries, the process-wide concurrency limit) and counts
 * toward the calling agent's budget (`maxModelCalls`, `maxTokens`, `usage`); it follows the
 * call's signal. Every request carries `responseFormat: {schema}` (the output as JSON Schema)
 * and asks for that JSON in the prompt. A reply is read as JSON (a fenced block, the whole
 * text, or the first object or array in prose) and validated strictly; a reply that fails gets
 * one repair request naming the faults by path (values never echoed). A call fails (a catchable
 * `tool_error` in the program) when there is no model (neither `model` nor the calling agent's),
 * when the repaired reply still fails, or when a model call fails (budget, provider, abort).
 *
 * Throws `LispError` (`agent_invalid`) now when a `{{placeholder}}` is not a signature parameter
 * or a number is out of range, and `SignatureError` for signature text that does not parse.
 */
export function llmTool(options: LlmToolOptions): Tool {
  const name = options.name ?? "llm";
  if (typeof options.prompt !== "string" || options.prompt.trim() === "") {
    throw invalid("agent_option_invalid", { option: "prompt", reason: "must be a non-empty request text" });
  }
  if (typeof options.description !== "string" || options.description.trim() === "") {
    throw invalid("agent_option_invalid", { option: "description", reason: "must be a non-empty text" });
  }
  checkCount("numSamples", options.numSamples, 1);
  checkCount("maxOutputTokens", options.maxOutputTokens, 1);
  const zod = isZodSignature(options.signature) ? options.signature : undefined;
  const signature =
    zod !== undefined
      ? signatureFromZod({ input: zod.input, output: zod.output })
      : toSignature(options.signature as string | Signature);
  const params = (signature.params ?? []).filter((param) => param.rest !== true).map((param) => param.name);
  for (const placeholder of placeholders(options.prompt)) {
    if (!params.includes(placeholder)) {
      throw invalid("placeholder_unknown", {
        name: placeholder,
        params: params.length === 0 ? "none" : params.join(", "),
      });
    }
  }
  const output = signature.output;
  const schema = toJSONSchema(output);
  const expected = renderType(output);
  const instructions = `Answer with one JSON value matching this JSON Schema, and nothing else:\n\`\`\`json\n${JSON.stringify(schema)}\n\`\`\``;
  const numSamples = options.numSamples ?? 1;
  const read = (reply: ModelReply): Reading => readReply(reply, output, expected, zod?.output);
  const input = inputType(signature);

  const execute = async (args: Record<string, unknown>, context: ToolCallContext): Promise<unknown> => {
    const model = options.model ?? parentModel(context);
    if (model === undefined) throw failure("llm_tool_no_model", { name });
    const budget = parentBudget(context)?.child() ?? new ModelBudget();
    const content = `${fillPrompt(options.prompt, signature, args)}\n\n${instructions}`;
    const base: ModelRequest = {
      system: SYSTEM,
      messages: [{ role: "user", content }],
      responseFormat: { schema },
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      ...(options.maxOutputTokens === undefined ? {} : { maxOutputTokens: options.maxOutputTokens }),
    };
    const ask = (request: ModelRequest, signal: AbortSignal | undefined) =>
      generate(model, request, { budget, ...(signal === undefined ? {} : { signal }) });

    const sample = async (index: number, signal: AbortSignal | undefined): Promise<SampleOutcome> => {
      const request = numSamples > 1 ? { ...base, seed: index } : base;
      const first = (await ask(request, signal)).reply;
      const reading = read(first);
      if (reading.ok) return { ok: true, value: reading.value, replies: 1 };
      const repair: ModelMessage[] = [
        ...request.messages,
        { role: "assistant", content: clip(first.text) },
        { role: "user", content: reading.feedback },
      ];
      const second = read((await ask({ ...request, messages: repair }, signal)).reply);
      if (second.ok) return { ok: true, value: second.value, replies: 2 };
      return { ok: false, reason: second.reason, replies: 2, details: second.details };
    };

    const outcomes = await sampleAll(numSamples, context?.signal, sample);
    const replies = outcomes.reduce((sum, outcome) => sum + outcome.replies, 0);
    const chosen = majority(outcomes);
    if (chosen !== undefined) return chosen;
    const last = outcomes[0] as SampleOutcome & { ok: false };
    throw failure(
      "llm_tool_failed",
      { name, attempts: replies, reason: last.reason },
      last.details === undefined ? { tool: name } : { tool: name, errors: last.details },
    );
  };

  return defineTool({
    name,
    description: options.description,
    ...(input === undefined ? {} : { input }),
    output,
    kind: "llm",
    effects: options.effects ?? "read",
    execute,
  });
}

/**
 * Runs `count` samples in parallel under a signal that follows `signal`; the first that fails
 * outright (a model fault, the budget, an abort) cancels the others and is thrown.
 */
async function sampleAll(
  count: number,
  signal: AbortSignal | undefined,
  sample: (index: number, signal: AbortSignal | undefined) => Promise<SampleOutcome>,
): Promise<SampleOutcome[]> {
  if (count === 1) return [await sample(0, signal)];
  const controller = new AbortController();
  const follow = () => controller.abort(signal?.reason);
  if (signal?.aborted) follow();
  else signal?.addEventListener("abort", follow, { once: true });
  try {
    return await Promise.all(
      Array.from({ length: count }, (_, index) =>
        sample(index, controller.signal).catch((error: unknown) => {
          controller.abort();
          throw error;
        }),
      ),
    );
  } finally {
    signal?.removeEventListener("abort", follow);
  }
}

/** The most frequent valid answer (equal as canonical JSON); a tie goes to the lowest index. */
function majority(outcomes: readonly SampleOutcome[]): unknown {
  const counts = new Map<string, { count: number; value: unknown }>();
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    const key = canonicalJson(outcome.value);
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { count: 1, value: outcome.value });
    else entry.count++;
  }
  let best: { count: number; value: unknown } | undefined;
  // Map iteration follows first appearance, so `>` keeps the lowest index on a tie.
  for (const entry of counts.values()) if (best === undefined || entry.count > best.count) best = entry;
  return best?.value;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * The request text: placeholders filled from the arguments (strings as written, other values
 * as JSON), then the arguments the template does not mention as a JSON object. Arguments arrive
 * with snake_case keys; parameters are looked up under either spelling.
 */
function fillPrompt(template: string, signature: Signature, args: Readonly<Record<string, unknown>>): string {
  const valueOf = (param: string): unknown => {
    const key = toolKey(param);
    return Object.hasOwn(args, key) ? args[key] : Object.hasOwn(args, param) ? args[param] : undefined;
  };
  const text = template.replace(PLACEHOLDER, (_whole, param: string) => {
    const value = valueOf(param);
    return typeof value === "string" ? value : (JSON.stringify(value ?? null) ?? "null");
  });
  const used = new Set(placeholders(template).map(toolKey));
  const rest: Record<string, unknown> = {};
  const names = signature.params === null ? Object.keys(args) : signature.params.map((param) => param.name);
  for (const param of names) {
    const value = valueOf(param);
    if (!used.has(toolKey(param)) && value !== undefined && value !== null) rest[param] = value;
  }
  if (Object.keys(rest).length === 0) return text;
  return `${text}\n\nInputs:\n\`\`\`json\n${JSON.stringify(rest)}\n\`\`\``;
}

function clip(text: string): string {
  if (text.length <= MAX_ECHOED_REPLY_CHARS) return text;
  return `${text.slice(0, MAX_ECHOED_REPLY_CHARS)}\n... (${text.length - MAX_ECHOED_REPLY_CHARS} more characters not shown)`;
}

const ANSWER_AGAIN = "Answer again with only one JSON value matching the schema.";

/** Reads a reply as JSON and checks it against the output type (and the zod schema, when given). */
function readReply(reply: ModelReply, output: Type, expected: string, schema: z.ZodType | undefined): Reading {
  const found = findJson(reply.text);
  if (!found.ok) {
    if (reply.finishReason === "length") {
      const reason = formatMessage("llm_reply_cut");
      return { ok: false, reason, feedback: `Your reply was cut off before the JSON was complete. ${ANSWER_AGAIN}` };
    }
    const reason = formatMessage(found.sawJson ? "llm_reply_malformed" : "llm_reply_no_json");
    const feedback = found.sawJson
      ? `Your reply's JSON could not be parsed. ${ANSWER_AGAIN}`
      : `Your reply holds no JSON value. ${ANSWER_AGAIN}`;
    return { ok: false, reason, feedback };
  }
  const checked = validate(output, found.value, { mode: "strict" });
  if (!checked.ok) {
    return {
      ok: false,
      reason: formatMessage("llm_reply_mismatch", { signature: expected, errors: summarizeErrors(checked.errors) }),
      feedback: `${returnFeedback(expected, checked.errors)}\n\n${ANSWER_AGAIN}`,
      details: checked.errors,
    };
  }
  if (schema !== undefined) {
    const parsed = schema.safeParse(found.value);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((issue) => {
        const path = issue.path.map(String).join(".");
        return { path, message: `${path === "" ? "the answer" : path}: ${issue.message}` };
      });
      const lines = errors.slice(0, 5).map((error) => `- ${error.message}`);
      return {
        ok: false,
        reason: formatMessage("llm_reply_mismatch", {
          signature: expected,
          errors: errors.map((error) => error.message).join("; "),
        }),
        feedback: `Your answer does not match the expected output ${expected}:\n${lines.join("\n")}\n\n${ANSWER_AGAIN}`,
        details: errors,
      };
    }
  }
  return { ok: true, value: found.value };
}

/**
 * The first JSON value of a reply: the first fenced block that parses, else the whole text,
 * else the first balanced `{...}` or `[...]` that parses. `sawJson` says whether something
 * looked like JSON (a fence, a brace) without parsing.
 */
function findJson(text: string): { ok: true; value: unknown } | { ok: false; sawJson: boolean } {
  let sawJson = false;
  for (const match of text.matchAll(/```[^\n`]*\n([\s\S]*?)```/g)) {
    sawJson = true;
    const parsed = parseJson((match[1] as string).trim());
    if (parsed.ok) return parsed;
  }
  const whole = parseJson(text.trim());
  if (whole.ok) return whole;
  let tried = 0;
  for (let start = 0; start < text.length && tried < MAX_JSON_STARTS; start++) {
    const char = text[start];
    if (char !== "{" && char !== "[") continue;
    sawJson = true;
    tried++;
    const end = balancedEnd(text, start);
    if (end === undefined) break;
    const parsed = parseJson(text.slice(start, end));
    if (parsed.ok) return parsed;
  }
  return { ok: false, sawJson };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === "") return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The index just past the bracket that closes the one at `start`, strings skipped; undefined when it never closes. */
function balancedEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === "{" || char === "[") {
      depth++;
    } else if (char === "}" || char === "]") {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return undefined;
}
