import { formatMessage } from "../errors/codes.js";
import { LispError } from "../errors/errors.js";
import { abortedError } from "../llm/abort.js";
import {
  estimateRequestTokens,
  estimateTokens,
  type GenerateOptions,
  type LanguageModel,
  type ModelReply,
  type ModelRequest,
} from "../llm/language-model.js";

/**
 * One scripted answer: a string (the reply's text), a partial reply (missing fields filled in),
 * or an `Error` to throw instead of replying (an `LlmApiError` to script a 429 or a timeout).
 */
export type ScriptedReply = string | (Partial<ModelReply> & { readonly text?: string }) | Error;

/** A function that answers the `index`th call (0 first) with `request`. */
export type ScriptedReplyFunction = (request: ModelRequest, index: number) => ScriptedReply | Promise<ScriptedReply>;

/** Options of {@link scriptedModel}. */
export interface ScriptedModelOptions {
  /** The model's `provider`. Default `"scripted"`. */
  readonly provider?: string;
  /** The model's `modelId`. Default `"scripted"`. */
  readonly modelId?: string;
  /** The model's `maxRetries`. Default: absent (so `generate()` uses its default, 2). */
  readonly maxRetries?: number;
}

/** A call the scripted model received. */
export interface ScriptedCall {
  /** The request, as given. */
  readonly request: ModelRequest;
  /** The call's index, 0 first. */
  readonly index: number;
}

/** A {@link LanguageModel} that answers from a script and records its calls. */
export interface ScriptedModel extends LanguageModel {
  /** Every call received so far, in order (a failed or aborted call included). */
  readonly calls: readonly ScriptedCall[];
}

/**
 * A test double for {@link LanguageModel}: the `i`th call gets `replies[i]`, or the answer of
 * `replies(request, i)`; every call is recorded in `.calls`.
 *
 * Usage is deterministic, so budgets are too: a reply without `usage` reports
 * `inputTokens = estimateRequestTokens(request)` and `outputTokens = estimateTokens(text)`, NOT
 * marked `estimated`. A reply without `finishReason` reports `tool-calls` when it has tool
 * calls, else `stop`.
 *
 * A scripted `Error` is thrown as is. A call past the end of a `replies` array rejects with a
 * `LispError` (`model_error`) that says how many replies were scripted. An aborted signal
 * rejects with `AbortedError` before the script is consulted.
 */
export function scriptedModel(
  replies: readonly ScriptedReply[] | ScriptedReplyFunction,
  options: ScriptedModelOptions = {},
): ScriptedModel {
  const calls: ScriptedCall[] = [];
  const provider = options.provider ?? "scripted";
  const modelId = options.modelId ?? "scripted";
  return {
    provider,
    modelId,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    calls,
    async doGenerate(request: ModelRequest, generateOptions: GenerateOptions): Promise<ModelReply> {
      const index = calls.length;
      calls.push({ request, index });
      if (generateOptions.signal?.aborted) throw abortedError(generateOptions.signal);
      let scripted: ScriptedReply;
      if (typeof replies === "function") {
        scripted = await replies(request, index);
      } else {
        if (index >= replies.length) {
          throw new LispError(
            "model_error",
            "llm",
            formatMessage("model_script_exhausted", { model: modelId, call: index + 1, count: replies.length }),
          );
        }
        scripted = replies[index] as ScriptedReply;
      }
      if (scripted instanceof Error) throw scripted;
      return toReply(scripted, request);
    },
  };
}

function toReply(scripted: Exclude<ScriptedReply, Error>, request: ModelRequest): ModelReply {
  const partial = typeof scripted === "string" ? { text: scripted } : scripted;
  const text = partial.text ?? "";
  const toolCalls = partial.toolCalls;
  return {
    text,
    ...(toolCalls === undefined ? {} : { toolCalls }),
    usage: partial.usage ?? { inputTokens: estimateRequestTokens(request), outputTokens: estimateTokens(text) },
    finishReason: partial.finishReason ?? (toolCalls !== undefined && toolCalls.length > 0 ? "tool-calls" : "stop"),
    ...(partial.response === undefined ? {} : { response: partial.response }),
  };
}
