/**
 * ptc-lisp/core: the whole library without Node's modules, for browsers, edge runtimes and
 * bundlers. The language (compile, evaluate, print), signatures, static types, cost,
 * verification, the model layer and the agent layer. What needs Node (worker isolation, files)
 * lives in the main entry `ptc-lisp`; here compiled agents are cached in a store given to
 * `compile` (in memory by default), and artifacts and cassettes are passed as data.
 *
 * @packageDocumentation
 */
import { Keyword } from "./lisp/values/value.js";
import { type CompileOptions, type CompileSignature, compile, type SignatureOutput } from "./runtime/compile.js";
import type { RunOptions, RunResult } from "./runtime/program.js";
import { failedRun } from "./runtime/run-result.js";

export { type AgentStore, type MemoryAgentStore, memoryAgentStore } from "./agent/cache/store.js";
export * from "./agent/index.js";

export type { CostNode, Sizes } from "./cost/cost-expr.js";
export { CostExpr } from "./cost/cost-expr.js";
export type { AssumedBound, CostEstimate, CostOptions } from "./cost/estimate-cost.js";
export { estimateCost } from "./cost/estimate-cost.js";
export type { ErrorCode } from "./errors/codes.js";
export { ERROR_CODES } from "./errors/codes.js";
export type { Diagnostic, Phase } from "./errors/diagnostic.js";
export type { LispFrame } from "./errors/errors.js";
export {
  AbortedError,
  AgentCompileError,
  CassetteMissError,
  CompileError,
  EvalError,
  LimitExceededError,
  LispError,
  LlmApiError,
  ModelBudgetError,
  RetryError,
  SignatureError,
  ToolError,
} from "./errors/errors.js";
export { formatDiagnostic } from "./errors/format.js";
export type { SourceSpan } from "./errors/span.js";
export type { Limits } from "./lisp/eval/budget.js";
export { DEFAULT_LIMITS } from "./lisp/eval/budget.js";
export { printValue, strValue } from "./lisp/printer/print-value.js";
export { equals } from "./lisp/values/equality.js";
export { fromJSON, toJSON } from "./lisp/values/json.js";
export type { Value } from "./lisp/values/value.js";
export {
  type AttemptEvent,
  type CassetteEntry,
  type CassetteMode,
  type CassetteOptions,
  type CassetteStore,
  type Clock,
  cassetteModel,
  DEFAULT_MODEL_CONCURRENCY,
  estimateRequestTokens,
  estimateTokens,
  type FinishReason,
  type GenerateCallOptions,
  type GenerateOptions,
  type GenerateResult,
  generate,
  getModelConcurrency,
  type LanguageModel,
  type MemoryCassette,
  ModelBudget,
  type ModelBudgetLimits,
  type ModelMessage,
  type ModelReply,
  type ModelRequest,
  type ModelToolCall,
  type ModelToolSpec,
  type ModelUsage,
  memoryCassette,
  recordModel,
  replayModel,
  requestKey,
  setModelConcurrency,
  systemClock,
  type TokenUsage,
} from "./llm/index.js";
export { type OpenAIModelOptions, openai } from "./llm/openai/index.js";
export type {
  CompileOptions,
  CompileResult,
  CompileSignature,
  SignatureOutput,
  ZodSignatureSchemas,
} from "./runtime/compile.js";
export { compile, compileOrThrow } from "./runtime/compile.js";
export {
  docOf,
  type LanguageDoc,
  languageReference,
  MAX_REFERENCE_CHARS,
  REFERENCE_VERSION,
  searchNames,
} from "./runtime/language-reference.js";
export { printBounded } from "./runtime/print-result.js";
export type {
  RunEvent,
  RunFailure,
  RunOptions,
  RunResult,
  RunSuccess,
  RunUsage,
  ToolCallEndEvent,
  ToolCallStartEvent,
} from "./runtime/program.js";
export { Program } from "./runtime/program.js";
export type { Trace, TraceEntry } from "./runtime/replay.js";
export type { ArbitraryOptions } from "./signature/arbitrary.js";
export { arbitrary } from "./signature/arbitrary.js";
export type {
  CoercionResult,
  CoercionWarning,
  SignatureLike,
  ValidateOptions,
  ValidationError,
  ValidationMode,
  ValidationResult,
} from "./signature/check-value.js";
export { coerce, validate } from "./signature/check-value.js";
export type { InferOptions } from "./signature/describe.js";
export { describeData, inferType } from "./signature/describe.js";
export type { JSONSchema, JSONSchemaOptions } from "./signature/json-schema.js";
export { toJSONSchema, typeFromJSONSchema } from "./signature/json-schema.js";
export type { SignatureParseResult, TypeParseResult } from "./signature/parse-signature.js";
export { parseSignature, parseType } from "./signature/parse-signature.js";
export type { RenderOptions } from "./signature/print-signature.js";
export { renderSignature, renderType } from "./signature/print-signature.js";
export type {
  Field,
  ListType,
  LiteralType,
  OptionalType,
  Param,
  PrimitiveName,
  PrimitiveType,
  RecordType,
  SetType,
  Signature,
  Type,
  UnionType,
} from "./signature/types.js";
export { signatureFromZod, signatureToZod, typeFromZod, typeToZod } from "./signature/zod.js";
export type {
  Tool,
  ToolCallContext,
  ToolCallRecord,
  ToolDefinition,
  ToolEffects,
  ToolFunction,
  ToolInput,
  ToolOutput,
  ToolSpec,
  Tools,
} from "./tools/define-tool.js";
export { defineTool } from "./tools/define-tool.js";
export type { DescribedTool } from "./tools/describe-tools.js";
export { describeTools } from "./tools/describe-tools.js";
export type { StubToolOptions } from "./tools/stub-tool.js";
export { stubTool } from "./tools/stub-tool.js";
export type {
  Verifier,
  VerifierResult,
  VerifyContext,
  VerifyOutcome,
  VerifyReport,
  VerifyTarget,
} from "./verify/verify.js";
export {
  analyzes,
  isFunction,
  isLoop,
  maxCost,
  onlyTools,
  parses,
  propertyCheck,
  typeChecks,
  verify,
} from "./verify/verify.js";

/** Options of `evaluate`: those of `compile` and of `Program.run` together. */
export type EvaluateOptions<S extends CompileSignature | undefined = CompileSignature | undefined> = CompileOptions<S> &
  RunOptions;

/**
 * Compiles and runs a program in one step. A compile-time fault comes back as a failed
 * RunResult carrying the first diagnostic (all of them are in `error.details.diagnostics`).
 * Never throws for a fault of the program, its data or its tools.
 */
export async function evaluate<S extends CompileSignature | undefined = undefined>(
  source: string,
  options: EvaluateOptions<S> = {},
): Promise<RunResult<SignatureOutput<S>>> {
  const given = options.globals;
  const predefined =
    options.predefined ??
    (given === undefined ? undefined : given instanceof Map ? [...given.keys()] : Object.keys(given));
  const maxSourceChars = options.maxSourceChars ?? options.limits?.sourceChars;
  const compiled = compile(source, {
    ...options,
    ...(predefined === undefined ? {} : { predefined }),
    ...(maxSourceChars === undefined ? {} : { maxSourceChars }),
  });
  if (!compiled.ok) {
    const [first] = compiled.diagnostics;
    return failedRun({
      ...(first ?? { code: "parse_error", phase: "parse", message: "empty program" }),
      details: { diagnostics: compiled.diagnostics },
    });
  }
  return compiled.program.run(options);
}

/** A keyword value, e.g. for building Lisp data from TypeScript: `keyword("status")`. */
export function keyword(name: string, ns: string | null = null): Keyword {
  return Keyword.of(name, ns);
}
