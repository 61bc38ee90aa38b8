/**
 * The wording of the language's faults: the reader, the analyzer, types, evaluation, tools and
 * limits. Part of the one catalog, `MESSAGES` in `codes.ts`, which checks every entry's shape.
 */
export const LANGUAGE_MESSAGES = {
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
  json_unexpected: {
    code: "type_error",
    phase: "eval",
    template: "{fn}: invalid JSON at line {line}, column {column}: expected {expected}, found {found}",
  },
  json_truncated: {
    code: "type_error",
    phase: "eval",
    template: "{fn}: invalid JSON: the text ends at line {line}, column {column}, where {expected} should follow",
  },
  json_unwritable: { code: "type_error", phase: "eval", template: "{fn}: {actual} cannot be written as JSON" },
  json_key: {
    code: "type_error",
    phase: "eval",
    template: "{fn}: a JSON object key must be a string, got {actual}",
  },
  unknown_option: {
    code: "type_error",
    phase: "eval",
    template: "{fn}: unknown option {option}; the options are {options}",
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
} as const;
