/**
 * The compiled agent as data (DESIGN §9.4): what `agent.compile` produces, `save` writes and
 * `loadCompiledAgent` reads back.
 */
import type { Diagnostic } from "../../errors/diagnostic.js";
import type { ToolEffects } from "../../tools/define-tool.js";

/** The version of the artifact's JSON format. */
export const COMPILED_FORMAT_VERSION = 1;

/** A tool's contract as the compiled program was verified against it. */
export interface CompiledToolContract {
  /** `(input) -> output` in signature text (`(id :int) -> {name :string}`); `(...) -> :any` when undeclared. */
  readonly signature: string;
  readonly kind: "tool" | "llm" | "agent";
  readonly effects: ToolEffects;
  readonly description?: string;
}

/** One verifier's verdict at compile time. */
export interface CompiledVerification {
  readonly verifier: string;
  readonly ok: boolean;
  readonly message?: string;
}

/** The artifact: JSON, content-addressed (`hash`), keyed for the cache (`key`). */
export interface CompiledAgentData {
  readonly formatVersion: typeof COMPILED_FORMAT_VERSION;
  readonly name: string;
  readonly description?: string;
  /** The program: PTC-Lisp source that reads `data/<param>`. */
  readonly source: string;
  /** The agent's signature, as signature text. */
  readonly signature: string;
  /** The tools the program was verified against, by name. */
  readonly tools: Readonly<Record<string, CompiledToolContract>>;
  /** True when a tool the program can call is `llm` or `agent`: executing needs a model. */
  readonly llmRequired: boolean;
  /** SHA-256 (hex) of the canonical JSON of every field but `hash`, `createdAt` and `usage`. */
  readonly hash: string;
  /** The cache key (SHA-256 of what shaped generation), or null when the agent is uncacheable. */
  readonly key: string | null;
  /** The model that wrote it and its parameters. */
  readonly model: {
    readonly provider: string;
    readonly modelId: string;
    readonly params: Readonly<Record<string, unknown>>;
  };
  /** The strategy, serializable: verifiers and the cost function by name. */
  readonly strategy: Readonly<Record<string, unknown>>;
  /** What was checked: each verifier, the sample runs, the property check. */
  readonly verification: {
    readonly results: readonly CompiledVerification[];
    readonly samples: number;
    readonly propertyRuns: number;
  };
  /** The selected candidate's cost under the samples' sizes, and each tool's calls as expressions. */
  readonly cost: {
    readonly total: number;
    readonly toolCalls: Readonly<Record<string, string>>;
    /** Set when a custom cost function or a quantitative criterion decided. */
    readonly custom?: number;
  };
  /** What compiling took. */
  readonly usage: {
    readonly modelCalls: number;
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly ms: number;
    readonly candidates: number;
  };
  /** ISO 8601 time of compilation. */
  readonly createdAt: string;
  readonly library: { readonly version: string; readonly languageRevision: string };
}

/** Every attempt of a failed compile (in `error.details.attempts`). */
export interface CompileAttempt {
  readonly candidate: number;
  readonly iteration: number;
  readonly reply: string;
  readonly source?: string;
  readonly diagnostics: readonly Diagnostic[];
}
