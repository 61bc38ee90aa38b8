/**
 * The provider-neutral model contract. Adapters (`openai()`), cassettes and test doubles all
 * implement {@link LanguageModel}; everything above this layer calls models only through
 * `generate()`, never through `doGenerate` directly.
 *
 * @module
 */

/** One turn of the conversation. The system prompt is not a message: it is {@link ModelRequest.system}. */
export interface ModelMessage {
  /** Who wrote the turn. */
  readonly role: "user" | "assistant";
  /** The turn's text. */
  readonly content: string;
}

/** A native tool the model may call instead of (or besides) answering in text. */
export interface ModelToolSpec {
  /** The tool's name as the model sees it (providers usually allow `[A-Za-z0-9_-]{1,64}`). */
  readonly name: string;
  /** What the tool does, for the model. */
  readonly description: string;
  /** JSON Schema of the tool's arguments object. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/**
 * A provider-neutral request. Every field is plain JSON so that a request can be hashed into a
 * cassette key (`requestKey`) and replayed byte for byte.
 */
export interface ModelRequest {
  /** The system prompt, sent before every message. Omitted when absent. */
  readonly system?: string;
  /** The conversation so far, oldest first. */
  readonly messages: readonly ModelMessage[];
  /** Sampling temperature (provider range, usually 0–2). Absent: the model's default. */
  readonly temperature?: number;
  /** Sampling seed, for providers that support reproducible sampling. */
  readonly seed?: number;
  /** Upper bound on the reply's length, in tokens. Absent: the provider's default. */
  readonly maxOutputTokens?: number;
  /** Sequences at which the provider stops generating (not included in the text). */
  readonly stop?: readonly string[];
  /** Ask for a JSON reply that conforms to `schema` (a JSON Schema object). */
  readonly responseFormat?: { readonly schema: Readonly<Record<string, unknown>> };
  /** Native tools the model may call. */
  readonly tools?: readonly ModelToolSpec[];
}

/** A native tool call in a reply. */
export interface ModelToolCall {
  /** The provider's id for the call. */
  readonly id: string;
  /** The called tool's name. */
  readonly name: string;
  /** The arguments as the model wrote them: JSON text, not parsed (it may be invalid). */
  readonly arguments: string;
}

/** Tokens a reply consumed. Every count is a finite, non-negative integer. */
export interface TokenUsage {
  /** Prompt tokens, cached ones included. */
  readonly inputTokens: number;
  /** Reply tokens, reasoning tokens included. */
  readonly outputTokens: number;
  /** Prompt tokens the provider served from its prompt cache, when it says. */
  readonly cachedInputTokens?: number;
  /** Reply tokens spent on hidden reasoning, when the provider says. */
  readonly reasoningTokens?: number;
  /** true when the provider sent no usage and the counts are estimated from text length */
  readonly estimated?: boolean;
}

/**
 * Why the model stopped: `stop` (it finished, or hit a stop sequence), `length` (it reached
 * `maxOutputTokens` or its context; the text is truncated), `tool-calls` (it called tools),
 * `content-filter` (the provider withheld content), `error`, or `other` (anything else).
 */
export type FinishReason = "stop" | "length" | "tool-calls" | "content-filter" | "error" | "other";

/** A model's answer to one {@link ModelRequest}. */
export interface ModelReply {
  /** The reply's text; `""` when the model only called tools. */
  readonly text: string;
  /** Native tool calls, in the order the model made them. */
  readonly toolCalls?: readonly ModelToolCall[];
  /** Tokens the call consumed. */
  readonly usage: TokenUsage;
  /** Why the model stopped. */
  readonly finishReason: FinishReason;
  /** The provider's ids for the response and the model that actually answered. */
  readonly response?: { readonly id?: string; readonly modelId?: string };
}

/** Per-call options of {@link LanguageModel.doGenerate}. */
export interface GenerateOptions {
  /** Cancels the call; the model then rejects with `AbortedError`. */
  readonly signal?: AbortSignal;
}

/**
 * A language model. Implement it to plug in any provider; use `openai()` for OpenAI and every
 * OpenAI-compatible server.
 */
export interface LanguageModel {
  /** The provider's name, e.g. `"openai"`; quoted in error messages and cassette entries. */
  readonly provider: string;
  /** The model's id at the provider, e.g. `"gpt-4o-mini"`. */
  readonly modelId: string;
  /** default infrastructure retries for this model (the adapter's maxRetries) */
  readonly maxRetries?: number;
  /**
   * Makes ONE attempt: no retries (the caller's retry layer retries, so that every attempt is
   * counted against budgets). Named `do…` so that users call `generate()` instead.
   *
   * Rejects with `LlmApiError` (provider, connection or timeout failure; `retryable` says whether
   * a retry may help) or `AbortedError` (the signal fired). Anything else a custom model throws is
   * wrapped by `generate()` into `LlmApiError` with code `model_error`.
   */
  doGenerate(request: ModelRequest, options: GenerateOptions): Promise<ModelReply>;
}

/** Characters per token of the length-based estimate. */
const CHARS_PER_TOKEN = 4;

/** Tokens added per request part (system prompt, message, tool list, schema) for its framing. */
const TOKENS_PER_PART = 4;

/**
 * A length-based token estimate: `ceil(characters / 4)`, characters counted in UTF-16 code
 * units. Deterministic and provider-neutral; good to about ±30% for English text and code.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * Estimated input tokens of a request: {@link estimateTokens} of each part (the system prompt,
 * each message, the tools' JSON, the response schema's JSON) plus 4 per part for its framing.
 * Used to check token budgets before a call is made.
 */
export function estimateRequestTokens(request: ModelRequest): number {
  let total = 0;
  const add = (text: string): void => {
    total += estimateTokens(text) + TOKENS_PER_PART;
  };
  if (typeof request.system === "string") add(request.system);
  for (const message of request.messages) add(typeof message.content === "string" ? message.content : "");
  if (request.tools !== undefined && request.tools.length > 0) add(jsonText(request.tools));
  if (request.responseFormat !== undefined) add(jsonText(request.responseFormat.schema));
  return total;
}

/** JSON text of a value, `""` for one that cannot be serialised (a cycle, a BigInt): an estimate never throws. */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}
