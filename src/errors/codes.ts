import { AGENT_MESSAGES } from "./messages-agent.js";
import { LANGUAGE_MESSAGES } from "./messages-language.js";

/**
 * The stage of the pipeline that detected a fault: the reader (`lex`, `parse`), the analyzer
 * (`analyze`), the static type checker (`types`), the run (`eval`, `tool`, `limit`), the
 * verifiers (`verify`), the model layer (`llm`) and the agent layer (`agent`).
 */
export type Phase = "lex" | "parse" | "analyze" | "types" | "eval" | "tool" | "limit" | "verify" | "llm" | "agent";

/**
 * Every error code a diagnostic can carry. Codes are stable: programs, hosts and the conformance
 * suite match on them.
 *
 * - `parse_error`: the reader rejected the source (delimiters, strings, tokens, literal maps).
 * - `unbound_symbol`: a symbol resolves to nothing (checked before the program runs).
 * - `arity_error`: a function or function-like form got the wrong number of arguments.
 * - `type_error`: a value of the wrong type or outside the allowed range.
 * - `arithmetic_error`: a number that cannot be converted, e.g. `(int ##Inf)`.
 * - `destructure_error`: a value cannot be destructured by its pattern.
 * - `invalid_form`: a special form or syntax-level construct has the wrong shape.
 * - `unknown_tool`: the program called a tool that is not registered.
 * - `tool_error`: a registered tool failed.
 * - `limit_exceeded`: a budget (fuel, time, memory, depth, output, source size) was exhausted.
 * - `validation_error`: a value does not match its signature: the program's return value against
 *   its output signature, a tool's arguments against its input, a tool's result against its
 *   output, the input data against the program's parameters. Found before the run (phase
 *   `analyze`) when the type checker can prove it, otherwise during the run.
 * - `unknown_data_key`: the program reads `data/name` and the signature's parameter list (closed)
 *   has no `name` (found before the run).
 * - `unknown_field`: a field read that the value's type says cannot exist. An error when the
 *   name is a near spelling of one of the type's fields (`(:totl order)` or `(:customer-id
 *   order)` on `{customer_id :int, total :float}`: the read would silently give nil); a warning
 *   (severity `warning`) otherwise, since the data may hold fields its type does not list.
 *   Names shorter than 3 characters are never near spellings (`:x` beside `:y`).
 * - `fail`: the program ended with `(fail v)`.
 * - `thrown`: the program threw a value (`throw`, `ex-info`) that nothing caught.
 * - `aborted`: the host cancelled the run through its AbortSignal.
 * - `replay_mismatch`: a replayed run made a tool call that its trace does not hold.
 * - `internal_error`: a fault of the library itself (a bug), not of the program, its data or its
 *   tools. The message is fixed and carries no host wording; the thrown error keeps the host's
 *   exception as its `cause`. Please report it.
 * - `node_required`: a feature that needs Node's modules (worker isolation, reading or writing
 *   files) was used where none are loaded: through `ptc-lisp/core`, which is free of them. The
 *   message says what to use instead (the main entry `ptc-lisp`, a store, or the data itself).
 *
 * Verifiers (phase `verify`), each the failure of one named verifier:
 * - `verifier_error`: a custom verifier threw; its message is kept.
 * - `no_signature`: the verifier needs a signature and the context has none.
 * - `tool_not_allowed`: `onlyTools` found a call to a tool outside its list.
 * - `cost_exceeded`: `maxCost` found an estimated cost above its limit.
 * - `not_a_function`: `isFunction` wants a single `(fn [params] ...)` form.
 * - `parameter_mismatch`: the fn's parameters are not the signature's inputs.
 * - `not_a_loop`: `isLoop` found no `loop`/`recur`.
 * - `unbounded_loop`: the loop around an LLM call has no iteration bound.
 * - `no_llm_call_in_loop`: no loop calls an LLM tool or a sub-agent.
 * - `property_failed`: `propertyCheck` found an input (shrunk) on which the program fails.
 * - `criterion_failed`: an LLM criterion rejected the program: `qualitative` judges voted it
 *   down, too few judge replies could be read, or the judge model failed; `quantitative` (a
 *   cost, which throws) got too few valid scores.
 *
 * Models (phase `llm`):
 * - `model_error`: the provider refused the request or kept failing (an HTTP status, a
 *   connection error); `details` carry the status, whether it was retryable and the attempts.
 *   Also a model-layer option out of range, and a scripted test model with no reply left.
 * - `model_timeout`: no reply within the model's timeout, retries included.
 * - `model_reply_invalid`: the provider's reply could not be read (malformed body, no choices).
 * - `model_budget_exceeded`: a model call would pass `maxModelCalls` or `maxTokens`; checked
 *   before the call, from the estimated request size.
 * - `cassette_miss`: a replayed model was asked a request its cassette does not hold; the
 *   message names the request's key and its difference from the nearest recorded request.
 *
 * Agents (phase `agent`):
 * - `agent_invalid`: an agent definition is wrong (a `{{placeholder}}` that is not a signature
 *   parameter, a bad `maxTurns`), found when the agent is defined.
 * - `no_program`: the model's reply holds no program (no fenced block, no form).
 * - `reply_truncated`: the reply was cut at the output-token limit and holds no usable program.
 * - `max_turns`: the agent used every turn without returning.
 * - `compiled_agent_invalid`: a compiled agent (a saved artifact, a cache file, JSON given to
 *   `loadCompiledAgent`) cannot be used: it is not JSON, a field is missing or of the wrong
 *   type, its format version is not this library's, its hash does not match its content (the
 *   file was changed), or its source no longer compiles against its signature and tools. The
 *   message names the file (or `(JSON)`) and what is wrong.
 * - `tool_contract_mismatch`: a tool given to run a compiled agent is not the one its program
 *   was verified against: it is missing, or its signature, kind or effects differ. The message
 *   names the tool and both versions (recorded, given).
 * - `model_required`: a compiled agent whose program can reach an LLM tool or a sub-agent was
 *   executed without a model; reported before anything runs.
 * - `cache_miss`: `compile({cache: "only"})` found no compiled program for the agent's key (it
 *   never calls a model).
 * - `compile_failed`: no candidate program passed verification, or every verified one failed
 *   when it ran; every attempt's fault is attached.
 */
export type ErrorCode =
  | "parse_error"
  | "unbound_symbol"
  | "arity_error"
  | "type_error"
  | "arithmetic_error"
  | "destructure_error"
  | "invalid_form"
  | "unknown_tool"
  | "tool_error"
  | "limit_exceeded"
  | "validation_error"
  | "unknown_data_key"
  | "unknown_field"
  | "fail"
  | "thrown"
  | "aborted"
  | "replay_mismatch"
  | "internal_error"
  | "node_required"
  | "verifier_error"
  | "no_signature"
  | "tool_not_allowed"
  | "cost_exceeded"
  | "not_a_function"
  | "parameter_mismatch"
  | "not_a_loop"
  | "unbounded_loop"
  | "no_llm_call_in_loop"
  | "property_failed"
  | "criterion_failed"
  | "model_error"
  | "model_timeout"
  | "model_reply_invalid"
  | "model_budget_exceeded"
  | "cassette_miss"
  | "agent_invalid"
  | "no_program"
  | "reply_truncated"
  | "max_turns"
  | "compiled_agent_invalid"
  | "tool_contract_mismatch"
  | "model_required"
  | "compile_failed"
  | "cache_miss";

/** Every error code, in the order documented on `ErrorCode`. */
export const ERROR_CODES: readonly ErrorCode[] = [
  "parse_error",
  "unbound_symbol",
  "arity_error",
  "type_error",
  "arithmetic_error",
  "destructure_error",
  "invalid_form",
  "unknown_tool",
  "tool_error",
  "limit_exceeded",
  "validation_error",
  "unknown_data_key",
  "unknown_field",
  "fail",
  "thrown",
  "aborted",
  "replay_mismatch",
  "internal_error",
  "node_required",
  "verifier_error",
  "no_signature",
  "tool_not_allowed",
  "cost_exceeded",
  "not_a_function",
  "parameter_mismatch",
  "not_a_loop",
  "unbounded_loop",
  "no_llm_call_in_loop",
  "property_failed",
  "criterion_failed",
  "model_error",
  "model_timeout",
  "model_reply_invalid",
  "model_budget_exceeded",
  "cassette_miss",
  "agent_invalid",
  "no_program",
  "reply_truncated",
  "max_turns",
  "compiled_agent_invalid",
  "tool_contract_mismatch",
  "model_required",
  "compile_failed",
  "cache_miss",
];

type Params = Readonly<Record<string, string | number>>;

interface MessageSpec {
  readonly code: ErrorCode;
  readonly phase: Phase;
  /** `{name}` placeholders are replaced by the params of the same name. */
  readonly template: string;
}

/**
 * The one catalog of wording. Detection code names a message id and its params; the prose
 * lives here only.
 */
export const MESSAGES = {
  ...LANGUAGE_MESSAGES,
  ...AGENT_MESSAGES,
} as const satisfies Record<string, MessageSpec>;

export type MessageId = keyof typeof MESSAGES;

/**
 * The wording of hints (`Diagnostic.hint`): how to fix the fault. Names and code are quoted in
 * backticks, so a name ending in `?` never runs into the sentence's own punctuation.
 */
export const HINTS = {
  did_you_mean: "did you mean `{name}`?",
  use_instead: "use `{use}`",
  list_of_maps_field: "it is a list of maps; read each element's field, e.g. `(map :{name} ...)`",
  data_inputs: "inputs are read as `data/<name>`; this program's inputs are {inputs}",
  data_namespace: "inputs are read as `data/<name>`, e.g. `data/orders` for the input orders",
  input_prefix: "inputs are read as `data/<name>`: use `data/{name}`",
  tool_map_known: "tool arguments are one map: `(tool/{tool} {{fields}})`",
  tool_map: "tool arguments are one map: `(tool/{tool} {:name value ...})`",
  sum: "add numbers with `(reduce + coll)`, or a field of maps with `(sum-by :field coll)`",
  average: "average a field of maps with `(avg-by :field coll)`, or numbers with `(/ (reduce + coll) (count coll))`",
  cond_else: "the catch-all test of `cond` is the keyword `:else`",
  no_clock: "there is no clock: the run is deterministic; take the time as an input (data/) or from a tool",
  no_randomness:
    "there is no randomness: programs are deterministic, so a run can be replayed; take random values as an input (data/) or from a tool",
  no_bignums: "there are no big integers: numbers are doubles (integers are exact up to 2^53); use the number as it is",
  no_sleep: "there is no sleeping or waiting: a program's only contact with time is its tool calls",
  no_exit: "there is no process to exit: end the program with `return`, or give up with `fail`",
  no_json:
    "parse JSON text with `json/read-str` (`:key-fn keyword` makes keyword keys) and write it with `json/write-str`; data/ inputs and tool results already arrive as maps and vectors",
} as const satisfies Record<string, string>;

export type HintId = keyof typeof HINTS;

/** The longest a quoted name, key or token may be in a message before it is clipped. */
export const MAX_PARAM_CHARS = 100;

/**
 * Params that hold composed text (a list of validation errors, a value's preview, a tool's or
 * the reader's explanation) rather than one name: they are clipped at this length instead.
 */
export const MAX_TEXT_PARAM_CHARS = 1000;

const TEXT_PARAMS: ReadonlySet<string> = new Set([
  "file",
  "origin",
  "recorded",
  "given",
  "allowed",
  "names",
  "params",
  "detail",
  "errors",
  "expected",
  "fields",
  "inputs",
  "message",
  "reason",
  "signature",
  "value",
  "args",
]);

/**
 * A param as it is quoted in a message: text longer than `max` keeps its start and says how long
 * it was, so that no message grows with its input.
 */
export function clipParam(text: string, max: number = MAX_PARAM_CHARS): string {
  if (text.length <= max) return text;
  const suffix = `... (${text.length} characters)`;
  let end = Math.max(0, max - suffix.length);
  // Never split a surrogate pair.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}${suffix}`;
}

/** Renders a catalog hint; params are clipped like a message's. */
export function formatHint(id: HintId, params: Params = {}): string {
  return fill(HINTS[id], params);
}

/**
 * Renders a catalog message; unknown placeholders are left as written. Every param is clipped
 * (MAX_PARAM_CHARS, or MAX_TEXT_PARAM_CHARS for composed text), so a message stays a few KB
 * whatever the program or its data hold.
 */
export function formatMessage(id: MessageId, params: Params = {}): string {
  return fill(MESSAGES[id].template, params);
}

function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = params[key];
    if (value === undefined) return whole;
    return clipParam(String(value), TEXT_PARAMS.has(key) ? MAX_TEXT_PARAM_CHARS : MAX_PARAM_CHARS);
  });
}
