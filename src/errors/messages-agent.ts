/**
 * The wording of the faults above the language: verifiers, models and agents. Part of the one
 * catalog, `MESSAGES` in `codes.ts`, which checks every entry's shape.
 */
export const AGENT_MESSAGES = {
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
} as const;
