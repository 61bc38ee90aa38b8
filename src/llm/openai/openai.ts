import type OpenAI from "openai";
import type { APIError } from "openai";
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { AbortedError, LlmApiError } from "../../errors/errors.js";
import { envVar } from "../../internal/env.js";
import { abortedError } from "../abort.js";
import {
  estimateRequestTokens,
  estimateTokens,
  type FinishReason,
  type GenerateOptions,
  type LanguageModel,
  type ModelReply,
  type ModelRequest,
  type ModelToolCall,
  type TokenUsage,
} from "../language-model.js";
import { checkInteger, optionError } from "../options.js";

/** Options of {@link openai}. */
export interface OpenAIModelOptions {
  /** The model id, e.g. `"gpt-4o-mini"`, or the name a compatible server gives its model. */
  readonly model: string;
  /**
   * The API key. Default: env `OPENAI_API_KEY`, read when the first call is made, as the
   * `openai` package reads it. Without either, calls fail with `LlmApiError` (`model_error`);
   * defining the model never throws for it. With a `baseURL` (given or from
   * `OPENAI_BASE_URL`) and no key anywhere, a placeholder key is sent: local servers take any.
   */
  readonly apiKey?: string;
  /**
   * The API's base URL, e.g. `"http://127.0.0.1:11434/v1"` for Ollama; any server speaking
   * `/chat/completions` works (vLLM, llama.cpp, LM Studio, OpenRouter). Default: env
   * `OPENAI_BASE_URL`, else `https://api.openai.com/v1`.
   */
  readonly baseURL?: string;
  /** The OpenAI organization id. Default: env `OPENAI_ORG_ID`. */
  readonly organization?: string;
  /**
   * Infrastructure retries `generate()` makes for this model (exposed as the model's
   * `maxRetries`). Default 2. The HTTP client itself never retries, so that every attempt is
   * counted against budgets.
   */
  readonly maxRetries?: number;
  /** How long one attempt may take, in ms, before it fails with `model_timeout`. Default 300,000 (5 min). */
  readonly timeoutMs?: number;
  /** Default sampling temperature; a request's `temperature` wins. */
  readonly temperature?: number;
  /** Default sampling seed; a request's `seed` wins. */
  readonly seed?: number;
  /**
   * Which body field carries `maxOutputTokens`: `max_completion_tokens` (default; what OpenAI's
   * current and reasoning models accept) or `max_tokens` (for older compatible servers).
   */
  readonly maxTokensField?: "max_completion_tokens" | "max_tokens";
  /** The `fetch` used for HTTP. Default: the global `fetch`. */
  readonly fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
}

const DEFAULT_TIMEOUT_MS = 300_000;
const DEFAULT_MAX_RETRIES = 2;
const PROVIDER = "openai";

/**
 * A {@link LanguageModel} over OpenAI's chat completions API (`POST {baseURL}/chat/completions`)
 * through the official `openai` package. Defining it does no I/O and never throws for a missing
 * key; the HTTP client is created on the first call.
 *
 * Mapping: `system` is sent as the first message (role `system`); `maxOutputTokens` as
 * `max_completion_tokens` (see `maxTokensField`); `responseFormat` as a `json_schema` response
 * format named `reply` (not strict: providers' strict mode rejects many ordinary schemas);
 * `tools` as function tools. Finish reasons are normalised (`tool_calls` → `tool-calls`,
 * `content_filter` → `content-filter`), and so is usage; a reply without usage reports counts
 * estimated from text length, marked `estimated`.
 *
 * `doGenerate` rejects with `LlmApiError`: `model_error` for an HTTP status (retryable for 408,
 * 409, 429 and 5xx; `retryAfterMs` from `retry-after-ms`, or `retry-after` in seconds), a
 * connection failure (retryable) or a missing key; `model_timeout` past `timeoutMs`
 * (retryable); `model_reply_invalid` for a body that is not JSON or has no choices. An abort
 * rejects with `AbortedError`.
 *
 * Throws `LispError` (`model_error`) when `model` is empty or `maxRetries`/`timeoutMs` are not
 * integers in range.
 */
export function openai(options: OpenAIModelOptions): LanguageModel {
  if (typeof options.model !== "string" || options.model === "") {
    throw optionError("model", "a non-empty model id", options.model);
  }
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  checkInteger("maxRetries", maxRetries, 0);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  checkInteger("timeoutMs", timeoutMs, 1);
  const modelId = options.model;
  let client: OpenAI | undefined;

  // The package is loaded on the first call, so importing ptc-lisp does not load it.
  const connect = async (): Promise<OpenAI> => {
    if (client !== undefined) return client;
    try {
      const { default: OpenAIClient } = await loadSdk();
      client = new OpenAIClient({
        ...(apiKeyFor(options) === undefined ? {} : { apiKey: apiKeyFor(options) }),
        ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
        ...(options.organization === undefined ? {} : { organization: options.organization }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        ...(options.headers === undefined ? {} : { defaultHeaders: { ...options.headers } }),
        maxRetries: 0,
        timeout: timeoutMs,
      });
    } catch (error) {
      throw new LlmApiError(
        "model_failed",
        { model: modelId, message: error instanceof Error ? error.message : String(error) },
        { retryable: false },
      );
    }
    return client;
  };

  return {
    provider: PROVIDER,
    modelId,
    maxRetries,
    async doGenerate(request: ModelRequest, generateOptions: GenerateOptions): Promise<ModelReply> {
      const signal = generateOptions.signal;
      if (signal?.aborted) throw abortedError(signal);
      const openaiClient = await connect();
      let body: unknown;
      try {
        body = await openaiClient.chat.completions.create(chatBody(request, options), {
          ...(signal === undefined ? {} : { signal }),
          maxRetries: 0,
          timeout: timeoutMs,
        });
      } catch (error) {
        throw await toLlmError(error, signal, modelId, timeoutMs);
      }
      return readReply(body, request);
    },
  };
}

/** The chat completions body of a provider-neutral request. */
export function chatBody(
  request: ModelRequest,
  defaults: Pick<OpenAIModelOptions, "model" | "temperature" | "seed" | "maxTokensField">,
): ChatCompletionCreateParamsNonStreaming {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.system !== undefined) messages.push({ role: "system", content: request.system });
  for (const message of request.messages) messages.push({ role: message.role, content: message.content });
  const temperature = request.temperature ?? defaults.temperature;
  const seed = request.seed ?? defaults.seed;
  const body: ChatCompletionCreateParamsNonStreaming = { model: defaults.model, messages };
  if (temperature !== undefined) body.temperature = temperature;
  if (seed !== undefined) body.seed = seed;
  if (request.maxOutputTokens !== undefined) {
    if (defaults.maxTokensField === "max_tokens") body.max_tokens = request.maxOutputTokens;
    else body.max_completion_tokens = request.maxOutputTokens;
  }
  if (request.stop !== undefined && request.stop.length > 0) body.stop = [...request.stop];
  if (request.responseFormat !== undefined) {
    body.response_format = {
      type: "json_schema",
      json_schema: { name: "reply", schema: { ...request.responseFormat.schema } },
    };
  }
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: "function",
      function: { name: tool.name, description: tool.description, parameters: { ...tool.parameters } },
    }));
  }
  return body;
}

/** The provider-neutral reply of a chat completion body (read defensively: compatible servers vary). */
export function readReply(body: unknown, request: ModelRequest): ModelReply {
  const invalid = (detail: string) =>
    new LlmApiError("model_reply_invalid", { provider: PROVIDER, detail }, { retryable: false });
  if (typeof body !== "object" || body === null) throw invalid("the body is not a JSON object");
  const completion = body as Record<string, unknown>;
  const choices = completion["choices"];
  if (!Array.isArray(choices) || choices.length === 0) throw invalid("the body has no choices");
  const choice = record(choices[0]);
  const message = record(choice["message"]);
  const content = message["content"];
  const text = typeof content === "string" ? content : "";
  const toolCalls = readToolCalls(message["tool_calls"]);
  const usage = readUsage(completion["usage"], request, text, toolCalls);
  const id = completion["id"];
  const model = completion["model"];
  const response = {
    ...(typeof id === "string" ? { id } : {}),
    ...(typeof model === "string" ? { modelId: model } : {}),
  };
  return {
    text,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
    usage,
    finishReason: finishReason(choice["finish_reason"]),
    ...(Object.keys(response).length > 0 ? { response } : {}),
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function readToolCalls(raw: unknown): ModelToolCall[] {
  if (!Array.isArray(raw)) return [];
  const calls: ModelToolCall[] = [];
  for (const item of raw) {
    const call = record(item);
    const id = typeof call["id"] === "string" ? call["id"] : "";
    const fn = record(call["function"] ?? call["custom"]);
    const name = fn["name"];
    const args = fn["arguments"] ?? fn["input"];
    if (typeof name !== "string") continue;
    calls.push({ id, name, arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}) });
  }
  return calls;
}

function finishReason(raw: unknown): FinishReason {
  switch (raw) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "tool_calls":
    case "function_call":
      return "tool-calls";
    case "content_filter":
      return "content-filter";
    default:
      return "other";
  }
}

/** A usage count as a finite non-negative integer, or undefined. */
function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

function readUsage(raw: unknown, request: ModelRequest, text: string, toolCalls: readonly ModelToolCall[]): TokenUsage {
  const usage = record(raw);
  const input = count(usage["prompt_tokens"]);
  const output = count(usage["completion_tokens"]);
  const cached = count(record(usage["prompt_tokens_details"])["cached_tokens"]);
  const reasoning = count(record(usage["completion_tokens_details"])["reasoning_tokens"]);
  const estimated = input === undefined || output === undefined;
  const replyText = text + toolCalls.map((call) => call.name + call.arguments).join("");
  return {
    inputTokens: input ?? estimateRequestTokens(request),
    outputTokens: output ?? estimateTokens(replyText),
    ...(cached === undefined ? {} : { cachedInputTokens: cached }),
    ...(reasoning === undefined ? {} : { reasoningTokens: reasoning }),
    ...(estimated ? { estimated: true } : {}),
  };
}

/** Statuses worth retrying: request timeout, conflict, rate limit, server errors. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The key to send: the given one; else none, so the package reads `OPENAI_API_KEY`; but a local
 * server (a `baseURL`, given or from `OPENAI_BASE_URL`) with no key anywhere gets a placeholder,
 * since such servers take any key and the package refuses to start without one.
 */
function apiKeyFor(options: OpenAIModelOptions): string | undefined {
  if (options.apiKey !== undefined) return options.apiKey;
  if (envVar("OPENAI_API_KEY")) return undefined;
  return options.baseURL || envVar("OPENAI_BASE_URL") ? "no-key" : undefined;
}

type Sdk = typeof import("openai");
let sdk: Promise<Sdk> | undefined;

/**
 * The `openai` package, imported once, on first use. It is an optional peer dependency: a host
 * that calls `openai()` installs it (`npm install openai`); one that does not is spared its size.
 */
function loadSdk(): Promise<Sdk> {
  sdk ??= import("openai").catch((error: unknown) => {
    sdk = undefined;
    const code = (error as { readonly code?: unknown } | null)?.code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new Error(`${OPENAI_PACKAGE_MISSING} (${error instanceof Error ? error.message.split("\n")[0] : ""})`);
    }
    throw error;
  });
  return sdk;
}

/** What `openai()` says when the `openai` package is not installed. */
export const OPENAI_PACKAGE_MISSING =
  "the openai package is not installed: openai() needs it beside ptc-lisp (npm install openai@^6)";

/** The `LispError` for whatever the `openai` client threw. */
async function toLlmError(
  error: unknown,
  signal: AbortSignal | undefined,
  modelId: string,
  timeoutMs: number,
): Promise<Error> {
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = await loadSdk();
  if (error instanceof APIUserAbortError || signal?.aborted) return abortedError(signal);
  if (error instanceof AbortedError || error instanceof LlmApiError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new LlmApiError("model_timeout", { model: modelId, ms: timeoutMs }, { retryable: true, cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new LlmApiError(
      "model_connection_error",
      { provider: PROVIDER, message: error.message },
      { retryable: true, cause: error },
    );
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    const requestId = error.requestID ?? error.headers?.get("x-request-id") ?? undefined;
    const retryAfterMs = retryAfter(error.headers);
    return new LlmApiError(
      "model_http_error",
      { provider: PROVIDER, status, message: providerMessage(error) },
      {
        status,
        retryable: retryableStatus(status),
        ...(requestId ? { requestId } : {}),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        cause: error,
      },
    );
  }
  // A 2xx body the client could not parse (the client throws the JSON parser's SyntaxError).
  if (error instanceof SyntaxError) {
    return new LlmApiError(
      "model_reply_invalid",
      { provider: PROVIDER, detail: "the body is not JSON" },
      { retryable: false, cause: error },
    );
  }
  return new LlmApiError(
    "model_failed",
    { model: modelId, message: error instanceof Error ? error.message : String(error) },
    { retryable: false, cause: error },
  );
}

/** The provider's own explanation: the error body's `message`, else the client's message without its status prefix. */
function providerMessage(error: APIError): string {
  const body = record(error.error);
  const message = body["message"];
  if (typeof message === "string" && message !== "") return message;
  return error.message.replace(/^\d{3}\s*/, "") || "no message";
}

/** `retry-after-ms` (ms), else `retry-after` (seconds); HTTP dates are ignored (the default backoff applies). */
function retryAfter(headers: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const seconds = Number.parseFloat(headers?.get("retry-after") ?? "");
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return undefined;
}
