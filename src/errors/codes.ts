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
  // reader
  unexpected_character: { code: "parse_error", phase: "lex", template: "unexpected character {text}" },
  unterminated_string: { code: "parse_error", phase: "lex", template: "string is not terminated" },
  unterminated_regex: { code: "parse_error", phase: "lex", template: "regex literal is not terminated" },
  invalid_escape: { code: "parse_error", phase: "lex", template: "invalid escape sequence {text} in string" },
  invalid_token: { code: "parse_error", phase: "lex", template: "invalid token {text}" },
  invalid_number: { code: "parse_error", phase: "lex", template: "invalid number {text}" },
  invalid_character_literal: { code: "parse_error", phase: "lex", template: "invalid character literal {text}" },
  unclosed_delimiter: {
    code: "parse_error",
    phase: "parse",
    template: "{open} opened at line {line}, column {column} is never closed",
  },
  mismatched_delimiter: {
    code: "parse_error",
    phase: "parse",
    template: "{found} does not close {open} opened at line {line}, column {column}",
  },
  unexpected_closer: { code: "parse_error", phase: "parse", template: "unexpected {found} with nothing to close" },
  missing_form: { code: "parse_error", phase: "parse", template: "{prefix} must be followed by a form" },
  odd_map_literal: {
    code: "parse_error",
    phase: "parse",
    template: "map literal must contain an even number of forms",
  },
  duplicate_key: { code: "parse_error", phase: "parse", template: "duplicate key {key} in {kind} literal" },
  nested_fn_literal: { code: "parse_error", phase: "parse", template: "#() literals cannot be nested" },
  unsupported_reader_macro: { code: "parse_error", phase: "parse", template: "reader macro {text} is not supported" },
  syntax_error: { code: "parse_error", phase: "parse", template: "{detail}" },
  unknown_symbolic_value: {
    code: "parse_error",
    phase: "lex",
    template: "unknown symbolic value {text}; use ##Inf, ##-Inf or ##NaN",
  },
  unexpected_token: { code: "parse_error", phase: "parse", template: "unexpected {found}; expected {expected}" },
  unexpected_end: { code: "parse_error", phase: "parse", template: "unexpected end of input; expected {expected}" },
  var_needs_symbol: { code: "parse_error", phase: "parse", template: "#' must be followed by a symbol, got {found}" },
  invalid_metadata: {
    code: "parse_error",
    phase: "parse",
    template: "metadata must be a symbol, keyword, string or map, got {found}",
  },
  nesting_too_deep: {
    code: "limit_exceeded",
    phase: "parse",
    template: "forms are nested more than {max} levels deep",
  },
  analysis_too_deep: {
    code: "limit_exceeded",
    phase: "analyze",
    template: "forms are nested too deeply to analyze (the host stack ran out); nest fewer forms",
  },
  source_too_large: {
    code: "limit_exceeded",
    phase: "limit",
    template: "source is {size} characters; the limit is {max}",
  },

  // analyzer
  unbound_symbol: { code: "unbound_symbol", phase: "analyze", template: "unable to resolve symbol {name}" },
  unknown_namespace: { code: "unbound_symbol", phase: "analyze", template: "unknown namespace {ns} in {name}" },
  arity_mismatch: {
    code: "arity_error",
    phase: "analyze",
    template: "{name} expects {expected} argument(s), got {actual}",
  },
  invalid_form: { code: "invalid_form", phase: "analyze", template: "{form}: {reason}" },
  recur_not_tail: { code: "invalid_form", phase: "analyze", template: "recur must be in tail position" },
  recur_outside_loop: { code: "invalid_form", phase: "analyze", template: "recur must be inside loop or fn" },
  recur_arity: {
    code: "arity_error",
    phase: "analyze",
    template: "recur expects {expected} argument(s), got {actual}",
  },
  placeholder_outside_fn_literal: {
    code: "unbound_symbol",
    phase: "analyze",
    template: "{name} can only be used inside #(...)",
  },
  interop_not_supported: {
    code: "invalid_form",
    phase: "analyze",
    template: "host interop {name} is not available in PTC-Lisp",
  },
  interop_unresolved: {
    code: "unbound_symbol",
    phase: "analyze",
    template:
      "unable to resolve symbol {name}: host interop (Java/JavaScript methods and classes) is not available in PTC-Lisp",
  },
  tool_positional_argument: {
    code: "invalid_form",
    phase: "analyze",
    template: "tool/{name} takes one map of named arguments, got {actual}",
  },
  tool_odd_arguments: {
    code: "invalid_form",
    phase: "analyze",
    template: "tool/{name} takes one map of named arguments (or keyword/value pairs), got {count} arguments",
  },
  tool_as_value: {
    code: "invalid_form",
    phase: "analyze",
    template: "{name} must be called, as ({name} {...}); it is not a value",
  },
  unknown_tool: { code: "unknown_tool", phase: "analyze", template: "unknown tool {name}" },
  unknown_tool_at_run: { code: "unknown_tool", phase: "tool", template: "unknown tool {name}" },
  return_in_parallel: {
    code: "invalid_form",
    phase: "analyze",
    template: "{name} cannot be used inside a parallel branch (pmap, pcalls)",
  },
  no_matching_clause: { code: "type_error", phase: "eval", template: "{form}: no clause matches {value}" },

  // evaluation
  wrong_argument_type: { code: "type_error", phase: "eval", template: "{fn} expects {expected}, got {actual}" },
  not_a_function: { code: "type_error", phase: "eval", template: "{actual} cannot be called as a function" },
  index_out_of_range: {
    code: "type_error",
    phase: "eval",
    template: "{fn}: index {index} is out of range for a {type} of {count} element(s)",
  },
  invalid_argument: { code: "type_error", phase: "eval", template: "{fn}: {reason}" },
  invalid_regex: { code: "type_error", phase: "eval", template: "invalid regular expression {pattern}: {reason}" },
  unsupported_regex_feature: {
    code: "type_error",
    phase: "eval",
    template: "regular expression {pattern} uses {feature}, which the linear-time engine does not support",
  },
  regex_too_long: {
    code: "type_error",
    phase: "eval",
    template: "regular expression is {length} characters long; the limit is {max}",
  },
  regex_too_complex: {
    code: "type_error",
    phase: "eval",
    template:
      "regular expression {pattern} expands to about {size} instructions (repetition counts multiply); the limit is {max}",
  },
  not_comparable: { code: "type_error", phase: "eval", template: "cannot compare {left} with {right}" },
  where_shape: {
    code: "invalid_form",
    phase: "eval",
    template: "where takes (where field) or (where field op value), got {count} argument(s)",
  },
  where_field: {
    code: "invalid_form",
    phase: "eval",
    template: "where: the field must be a keyword, a string, a vector of keys or a function, got {actual}",
  },
  where_operator: {
    code: "invalid_form",
    phase: "eval",
    template: "where: unknown operator {actual}; use one of = not= > < >= <= in includes",
  },
  control_in_parallel: {
    code: "invalid_form",
    phase: "eval",
    template: "({name} ...) cannot end the program from inside a {fn} branch",
  },
  arity_error: {
    code: "arity_error",
    phase: "eval",
    template: "{name} called with {actual} argument(s); it takes {expected}",
  },
  arithmetic: { code: "arithmetic_error", phase: "eval", template: "{fn}: {reason}" },
  destructure: {
    code: "destructure_error",
    phase: "eval",
    template: "cannot destructure {actual} with a {pattern} pattern",
  },
  uncaught_throw: { code: "thrown", phase: "eval", template: "uncaught exception: {message}" },
  fail: { code: "fail", phase: "eval", template: "program failed: {value}" },
  tool_failed: { code: "tool_error", phase: "tool", template: "tool {name} failed: {reason}" },
  tool_outside_run: {
    code: "tool_error",
    phase: "tool",
    template:
      "tool {name} cannot be called outside a run (a lazy value or function kept from an earlier run was used by the host)",
  },
  tool_args_collide: {
    code: "tool_error",
    phase: "tool",
    template:
      "tool {name}: argument keys {first} and {second} both become {key} (kebab-case keys are sent in snake_case)",
  },
  validation: { code: "validation_error", phase: "eval", template: "{detail}" },

  // signatures: parsing, validating values, checking programs against them
  signature_unexpected: {
    code: "parse_error",
    phase: "parse",
    template: "signature: unexpected {found}; expected {expected}",
  },
  signature_unknown_type: { code: "parse_error", phase: "parse", template: "signature: unknown type {name}" },
  signature_duplicate: { code: "parse_error", phase: "parse", template: "signature: duplicate {what} {name}" },
  signature_invalid: { code: "parse_error", phase: "parse", template: "signature: {reason}" },
  value_mismatch: { code: "validation_error", phase: "eval", template: "{where}expected {expected}, got {actual}" },
  value_missing: { code: "validation_error", phase: "eval", template: "{where}missing required field ({expected})" },
  value_unexpected: {
    code: "validation_error",
    phase: "eval",
    template: "{where}unexpected field (not in {expected})",
  },
  value_coerced: { code: "validation_error", phase: "eval", template: "{where}coerced {actual} to {expected}" },
  input_invalid: {
    code: "validation_error",
    phase: "eval",
    template: "the input data does not match the program's parameters {signature}: {errors}",
  },
  return_invalid: {
    code: "validation_error",
    phase: "eval",
    template: "the return value does not match the output signature {signature}: {errors}",
  },
  tool_arguments_invalid: {
    code: "validation_error",
    phase: "tool",
    template: "tool {name}: the arguments do not match its input {signature}: {errors}",
  },
  tool_result_invalid: {
    code: "validation_error",
    phase: "tool",
    template: "tool {name}: the result does not match its output {signature}: {errors}",
  },
  unknown_data_key: {
    code: "unknown_data_key",
    phase: "analyze",
    template: "data/{name} is not an input of this program; the inputs are {inputs}",
  },
  unknown_field: { code: "unknown_field", phase: "analyze", template: "{type} has no field {field}" },
  return_mismatch: {
    code: "validation_error",
    phase: "analyze",
    template: "the return value does not match the output signature{where}: expected {expected}, got {actual}",
  },
  return_missing_field: {
    code: "validation_error",
    phase: "analyze",
    template: "the return value lacks the field {field} ({expected}) that the output signature requires",
  },
  return_extra_field: {
    code: "validation_error",
    phase: "analyze",
    template: "the return value has the field {field}, which the output signature {expected} does not allow",
  },
  tool_argument_mismatch: {
    code: "validation_error",
    phase: "analyze",
    template: "tool/{tool}: argument {field} must be {expected}, got {actual}",
  },
  tool_argument_missing: {
    code: "validation_error",
    phase: "analyze",
    template: "tool/{tool}: missing required argument {field} ({expected})",
  },
  tool_argument_extra: {
    code: "validation_error",
    phase: "analyze",
    template: "tool/{tool}: unknown argument {field}; its input is {expected}",
  },
  callback_arity: {
    code: "arity_error",
    phase: "analyze",
    template: "{fn} calls its function argument with {actual} argument(s), but that function takes {expected}",
  },

  // limits and host
  limit_exceeded: {
    code: "limit_exceeded",
    phase: "limit",
    template: "{limit} limit exceeded ({used} of {max} {unit})",
  },
  depth_exceeded: {
    code: "limit_exceeded",
    phase: "limit",
    template:
      "depth limit exceeded ({used} of {max} calls): recursion this deep does not fit; write it as loop/recur, or reduce over the collection",
  },
  host_limit: { code: "limit_exceeded", phase: "limit", template: "{limit} limit exceeded: {reason}" },
  infinite_sequence: {
    code: "limit_exceeded",
    phase: "limit",
    template: "{fn} would realize an infinite sequence",
  },
  aborted: { code: "aborted", phase: "limit", template: "run aborted by the host{reason}" },
  replay_mismatch: {
    code: "replay_mismatch",
    phase: "tool",
    template: "the trace holds no result for tool {name} with arguments {args} (call {number} with these arguments)",
  },
  isolated_function: {
    code: "type_error",
    phase: "eval",
    template: "{name} is a function from an isolated run; it cannot be called outside it",
  },
  diagnostics_omitted: {
    code: "limit_exceeded",
    phase: "limit",
    template: "{omitted} more diagnostic(s) omitted ({total} in all; only the first {shown} are reported)",
  },
  internal_error: {
    code: "internal_error",
    phase: "eval",
    template: "internal error in the interpreter; please report it",
  },
  result_too_large_to_transfer: {
    code: "limit_exceeded",
    phase: "limit",
    template: "memory limit exceeded: the isolated run sent a result of {size} bytes; the limit is {max}",
  },
  not_transferable: {
    code: "type_error",
    phase: "eval",
    template: "{what} cannot be sent to the isolated run: it is not JSON data (a cycle, a function or a BigInt)",
  },
  isolation_needs_node: {
    code: "node_required",
    phase: "limit",
    template:
      'worker isolation needs Node\'s worker threads, which ptc-lisp/core does not load: import from "ptc-lisp" under Node, or run without isolation',
  },
  files_need_node: {
    code: "node_required",
    phase: "agent",
    template:
      '{what} needs a file system, which ptc-lisp/core does not load: import from "ptc-lisp" under Node, or {instead}',
  },
  cassette_files_need_node: {
    code: "node_required",
    phase: "llm",
    template:
      'cassette file {file} needs a file system, which ptc-lisp/core does not load: import from "ptc-lisp" under Node, or give the cassette as a store (memoryCassette)',
  },
  worker_out_of_memory: {
    code: "limit_exceeded",
    phase: "limit",
    template: "memory limit exceeded: the isolated run outgrew its {max} MB heap",
  },
  // verifiers
  verifier_threw: { code: "verifier_error", phase: "verify", template: "verifier {name} failed: {message}" },
  verifier_needs_signature: {
    code: "no_signature",
    phase: "verify",
    template: "{name} needs a signature in the verify context",
  },
  tool_not_allowed: {
    code: "tool_not_allowed",
    phase: "verify",
    template: "tool/{tool} is not among the allowed tools ({allowed})",
  },
  cost_exceeded: { code: "cost_exceeded", phase: "verify", template: "estimated cost {total} exceeds {limit}" },
  program_not_a_function: {
    code: "not_a_function",
    phase: "verify",
    template: "the program must be a single (fn [params] ...) form",
  },
  fn_not_single_arity: {
    code: "not_a_function",
    phase: "verify",
    template: "the fn must have a single arity with a parameter vector",
  },
  parameter_mismatch: {
    code: "parameter_mismatch",
    phase: "verify",
    template: "the fn's parameters [{names}] must be the signature's inputs [{expected}]",
  },
  not_a_loop: { code: "not_a_loop", phase: "verify", template: "the program has no loop/recur" },
  unbounded_loop: {
    code: "unbounded_loop",
    phase: "verify",
    template: "the loop around the LLM call has no iteration bound (compare a counter with a constant)",
  },
  no_llm_call_in_loop: {
    code: "no_llm_call_in_loop",
    phase: "verify",
    template: "no loop calls an LLM or sub-agent tool",
  },
  property_failed: { code: "property_failed", phase: "verify", template: "fails on input {value}{detail}" },
  criterion_rejected: {
    code: "criterion_failed",
    phase: "verify",
    template: "{failed} of {valid} judges failed it ({passed} passed, {needed} needed): {reason}",
  },
  criterion_too_few_votes: {
    code: "criterion_failed",
    phase: "verify",
    template: "too few valid judge replies: {valid} of {total} parsed, {unparseable} unparseable (need {needed})",
  },
  criterion_too_few_scores: {
    code: "criterion_failed",
    phase: "verify",
    template:
      "too few valid judge scores: {valid} of {total} in [{min}, {max}], {outOfRange} out of range, {unparseable} unparseable (need {needed})",
  },
  criterion_judge_failed: {
    code: "criterion_failed",
    phase: "verify",
    template: "the judge model failed: [{code}] {message}",
  },
  // models
  model_http_error: {
    code: "model_error",
    phase: "llm",
    template: "the model provider {provider} answered HTTP {status}: {message}",
  },
  model_connection_error: {
    code: "model_error",
    phase: "llm",
    template: "the model provider {provider} could not be reached: {message}",
  },
  model_failed: { code: "model_error", phase: "llm", template: "the model {model} failed: {message}" },
  model_timeout: {
    code: "model_timeout",
    phase: "llm",
    template: "the model {model} did not reply within {ms} ms",
  },
  model_reply_invalid: {
    code: "model_reply_invalid",
    phase: "llm",
    template: "the reply of {provider} could not be read: {detail}",
  },
  model_calls_exceeded: {
    code: "model_budget_exceeded",
    phase: "llm",
    template: "model call budget exceeded: {used} calls made, maxModelCalls is {max}",
  },
  model_tokens_exceeded: {
    code: "model_budget_exceeded",
    phase: "llm",
    template: "token budget exceeded: {used} tokens used and about {estimate} more needed, maxTokens is {max}",
  },
  cassette_miss: {
    code: "cassette_miss",
    phase: "llm",
    template: "the cassette {file} holds no reply for request {key}{detail}",
  },
  model_option_invalid: { code: "model_error", phase: "llm", template: "{option} must be {expected}, got {value}" },
  model_script_exhausted: {
    code: "model_error",
    phase: "llm",
    template: "the scripted model {model} has no reply for call {call}: {count} replies were scripted",
  },
  // model-backed tools (llmTool, agentTool): their failures reach the program as catchable tool errors
  llm_tool_no_model: {
    code: "tool_error",
    phase: "tool",
    template: "llm tool {name} has no model: give llmTool({model}) or run the agent with a model",
  },
  llm_tool_failed: {
    code: "tool_error",
    phase: "llm",
    template: "llm tool {name} got no valid answer in {attempts} replies: {reason}",
  },
  llm_reply_no_json: { code: "tool_error", phase: "llm", template: "the reply holds no JSON value" },
  llm_reply_malformed: { code: "tool_error", phase: "llm", template: "the reply's JSON could not be parsed" },
  llm_reply_cut: { code: "tool_error", phase: "llm", template: "the reply was cut off at the output-token limit" },
  llm_reply_mismatch: {
    code: "tool_error",
    phase: "llm",
    template: "the answer does not match {signature}: {errors}",
  },
  agent_tool_failed: { code: "tool_error", phase: "agent", template: "agent {name} failed: [{code}] {message}" },
  // agents
  placeholder_unknown: {
    code: "agent_invalid",
    phase: "agent",
    template: "the prompt's {{{name}}} is not a parameter of the signature (parameters: {params})",
  },
  agent_option_invalid: { code: "agent_invalid", phase: "agent", template: "{option} {reason}" },
  no_program: {
    code: "no_program",
    phase: "agent",
    template: "the reply holds no program: answer with PTC-Lisp code in a ```clojure block",
  },
  reply_truncated: {
    code: "reply_truncated",
    phase: "agent",
    template: "the reply was cut off at the output-token limit before the program was complete",
  },
  max_turns: {
    code: "max_turns",
    phase: "agent",
    template: "the agent used all {turns} turns without returning a valid answer",
  },
  compiled_agent_not_json: {
    code: "compiled_agent_invalid",
    phase: "agent",
    template: "compiled agent {origin} is not JSON: {reason}",
  },
  compiled_agent_unreadable: {
    code: "compiled_agent_invalid",
    phase: "agent",
    template: "compiled agent {origin} cannot be read: {reason}",
  },
  compiled_agent_format: {
    code: "compiled_agent_invalid",
    phase: "agent",
    template: "compiled agent {origin} has format version {found}; this library reads version {expected}",
  },
  compiled_agent_field: {
    code: "compiled_agent_invalid",
    phase: "agent",
    template: "compiled agent {origin}: field {field} is invalid: {reason}",
  },
  compiled_agent_tampered: {
    code: "compiled_agent_invalid",
    phase: "agent",
    template: "compiled agent {origin}: the hash does not match the content: the file was changed",
  },
  compiled_agent_key_mismatch: {
    code: "compiled_agent_invalid",
    phase: "agent",
    template: "compiled agent {origin}: it records the cache key {recorded} but is stored under {expected}",
  },
  compiled_agent_stale: {
    code: "compiled_agent_invalid",
    phase: "agent",
    template: "compiled agent {origin}: its source no longer compiles against its signature and tools: {errors}",
  },
  compiled_agent_signature: {
    code: "compiled_agent_invalid",
    phase: "agent",
    template: "compiled agent {origin}: its signature {signature} does not parse: {errors}",
  },
  tool_contract_missing: {
    code: "tool_contract_mismatch",
    phase: "agent",
    template: "tool {name} was not given; the compiled agent was verified against {name} {signature}",
  },
  tool_contract_changed: {
    code: "tool_contract_mismatch",
    phase: "agent",
    template:
      "tool {name} differs from the one the compiled agent was verified against: its {what} was {recorded}, is {given}",
  },
  agent_uncacheable: {
    code: "agent_invalid",
    phase: "agent",
    template: "{what} {name} has no stable {property}: the agent cannot be cached",
  },
  model_required: {
    code: "model_required",
    phase: "agent",
    template: "compiled agent {name} needs a model (its tools {names} call one) and none was given: pass `model`",
  },
  candidates_failed: {
    code: "compile_failed",
    phase: "agent",
    template: "no candidate program produced a valid answer ({count} attempts failed; the last with [{last}])",
  },
  agent_depth_exceeded: {
    code: "limit_exceeded",
    phase: "agent",
    template: "agents nest {depth} deep, more than the limit of {max}: an agent runs an agent that runs an agent...",
  },
  golden_mismatch: {
    code: "validation_error",
    phase: "verify",
    template: "on sample #{number} the answer differs from the sample's expected output",
  },
  cache_only_miss: {
    code: "cache_miss",
    phase: "agent",
    template:
      'no compiled program for agent {name} under {dir} (key {key}), and cache is "only": compile it where a model is reachable and commit the artifact',
  },
  agent_uncacheable_only: {
    code: "cache_miss",
    phase: "agent",
    template: 'agent {name} cannot be cached ({reason}), and cache is "only"',
  },
  compile_failed: {
    code: "compile_failed",
    phase: "agent",
    template: "no candidate program passed verification ({count} attempts failed)",
  },
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
  no_randomness: "there is no randomness: the run is deterministic",
  no_json: "JSON parsing is not available yet; data/ inputs and tool results already arrive as maps and vectors",
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
