/**
 * What LLM criteria share: the judges' requests, asking several judges, reading their replies,
 * and checking options.
 *
 * @module
 */
import { clipParam, formatMessage, MESSAGES, type MessageId } from "../../errors/codes.js";
import { LispError } from "../../errors/errors.js";
import type { ModelBudget } from "../../llm/budget.js";
import { generate } from "../../llm/generate.js";
import type { LanguageModel, ModelRequest } from "../../llm/language-model.js";
import type { Clock } from "../../llm/retry.js";
import type { SampleRun, VerifyContext, VerifyTarget } from "../../verify/verify.js";

/** Options every LLM criterion takes. */
export interface CriterionOptions {
  /** The criterion, in natural language (e.g. "handles an empty list without failing"). */
  readonly expression: string;
  /** The judge model. */
  readonly model: LanguageModel;
  /** Judges asked, each with its own `seed` (0, 1, …). Default 3. */
  readonly numSamples?: number;
  /** Fewest readable judge replies the criterion decides on. Default 1. */
  readonly minSamplesForAggregation?: number;
  /** The stable name (cache keys, reports). Default: the kind and the expression's first 40 characters. */
  readonly name?: string;
  /** Meter charged for every judge call. Default: unmetered. */
  readonly budget?: ModelBudget;
  /** Cancels the judges' calls. */
  readonly signal?: AbortSignal;
  /** Sampling temperature of the judges. Default: the model's. */
  readonly temperature?: number;
  /** Time source for retries' backoff. Default: real time. */
  readonly clock?: Clock;
}

/** The judges' fixed system prompts: constant text, so that providers can cache them. */
const VERDICT_SYSTEM =
  "You review programs written in PTC-Lisp, a small Clojure dialect that reads its inputs as data/<name>. " +
  "You are given a criterion, a program's source and what the program returned on sample inputs. " +
  "Decide whether the program satisfies the criterion, judging the criterion only. " +
  "Answer in exactly the format asked for.";

const SCORE_SYSTEM =
  "You review programs written in PTC-Lisp, a small Clojure dialect that reads its inputs as data/<name>. " +
  "You are given a criterion, a program's source and what the program returned on sample inputs. " +
  "Score how well the program meets the criterion, judging the criterion only. " +
  "Answer in exactly the format asked for.";

/** Longest program source a judge sees, in characters. */
const MAX_SOURCE_CHARS = 12_000;
/** Longest text of all sample runs together, in characters. */
const MAX_RUNS_CHARS = 4_000;
/** Shortest share of `MAX_RUNS_CHARS` one run gets, however many runs there are. */
const MIN_RUN_CHARS = 200;
/** Longest reason kept from a judge's reply. */
const MAX_REASON_CHARS = 500;

/** JSON text, or a placeholder for a value that cannot be serialised. Never throws. */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return '"<not serialisable>"';
  }
}

/**
 * The sample runs as JSON lines, one per run, within `MAX_RUNS_CHARS` in all: each run is
 * clipped to its share, and runs past the budget are only counted.
 */
export function describeRuns(runs: readonly SampleRun[] | undefined): string {
  if (runs === undefined || runs.length === 0) return "(no sample runs are available)";
  const share = Math.max(MIN_RUN_CHARS, Math.floor(MAX_RUNS_CHARS / runs.length));
  const lines: string[] = [];
  let used = 0;
  for (const run of runs) {
    const entry = run.error === undefined ? { input: run.input, output: run.output ?? null } : run;
    const line = clipParam(jsonText(entry), share);
    if (used + line.length > MAX_RUNS_CHARS && lines.length > 0) break;
    lines.push(line);
    used += line.length + 1;
  }
  if (lines.length < runs.length) lines.push(`(${runs.length - lines.length} more runs not shown)`);
  return lines.join("\n");
}

/** The user message of a judge: the criterion, the program, its runs, and the answer format. */
function judgeMessage(expression: string, target: VerifyTarget, context: VerifyContext, format: string): string {
  return [
    `Criterion:\n${expression}`,
    `Program:\n\`\`\`clojure\n${clipParam(target.source, MAX_SOURCE_CHARS)}\n\`\`\``,
    `Runs on the sample inputs (one JSON object per line: the input and the output, or the error):\n${describeRuns(context.sampleRuns)}`,
    format,
  ].join("\n\n");
}

/** What a judge is asked for. */
export type JudgeAsk =
  | { readonly kind: "verdict" }
  | { readonly kind: "score"; readonly min: number; readonly max: number };

function answerFormat(ask: JudgeAsk): string {
  if (ask.kind === "verdict") {
    return 'Answer with one JSON object and nothing else: {"pass": true or false, "reason": "<one sentence>"}';
  }
  return (
    `Answer with one JSON object and nothing else: {"score": <a number from ${ask.min} to ${ask.max}>, "reason": "<one sentence>"}. ` +
    `${ask.max} means the program fully meets the criterion, ${ask.min} that it does not meet it at all.`
  );
}

/** The request of judge `seed`. */
export function judgeRequest(
  options: CriterionOptions,
  ask: JudgeAsk,
  target: VerifyTarget,
  context: VerifyContext,
  seed: number,
): ModelRequest {
  return {
    system: ask.kind === "verdict" ? VERDICT_SYSTEM : SCORE_SYSTEM,
    messages: [{ role: "user", content: judgeMessage(options.expression, target, context, answerFormat(ask)) }],
    seed,
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
  };
}

/** One judge's reply text, or the error its call failed with. */
export type JudgeReply = { readonly text: string } | { readonly error: LispError };

/**
 * Asks `numSamples` judges in parallel (judge `i` with `seed: i`). Replies come back in seed
 * order. A failed call is returned as its error, except an abort, which is thrown.
 */
export async function askJudges(
  options: CriterionOptions,
  numSamples: number,
  ask: JudgeAsk,
  target: VerifyTarget,
  context: VerifyContext,
): Promise<JudgeReply[]> {
  const calls = Array.from({ length: numSamples }, (_, seed) =>
    generate(options.model, judgeRequest(options, ask, target, context, seed), {
      ...(options.budget === undefined ? {} : { budget: options.budget }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    }),
  );
  const settled = await Promise.allSettled(calls);
  return settled.map((outcome): JudgeReply => {
    if (outcome.status === "fulfilled") return { text: outcome.value.reply.text };
    const error = outcome.reason as LispError;
    if (error.code === "aborted") throw error;
    return { error };
  });
}

/** The first JSON object in a reply (fences and surrounding prose allowed), if any parses. */
function jsonObject(text: string): Record<string, unknown> | undefined {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return undefined;
  try {
    const value: unknown = JSON.parse(text.slice(start, end + 1));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function reasonOf(value: unknown): string {
  return typeof value === "string" ? clipParam(value.trim(), MAX_REASON_CHARS) : "";
}

/** A judge's verdict and its reason (`""` when it gave none). */
export interface Verdict {
  readonly pass: boolean;
  readonly reason: string;
}

/** PASS or FAIL opening the reply (after markdown emphasis or quotes), then any punctuation. */
const LEADING_WORD = /^[\s*_#>`"'[(]*(pass|fail)(?![\p{L}\p{N}_])[*_`"'\])]*\s*[:.,;!\-–—]*\s*/iu;
/** A line holding only PASS or FAIL (markdown emphasis or quotes allowed). */
const STANDALONE_WORD = /^[\s*_#>`"'[(]*(pass|fail)[*_`"'\])]*[.!]?\s*$/iu;

/**
 * Reads a verdict: a JSON object with a boolean `pass`, else the word PASS or FAIL leading the
 * reply or alone on a line (any case, markdown emphasis allowed). A JSON object whose `pass` is
 * not a boolean, conflicting words, or no word at all: undefined (unparseable).
 */
export function parseVerdict(text: string): Verdict | undefined {
  const object = jsonObject(text);
  if (object !== undefined && "pass" in object) {
    const pass = object["pass"];
    return typeof pass === "boolean" ? { pass, reason: reasonOf(object["reason"]) } : undefined;
  }
  const lines = text.split(/\r?\n/);
  const words: string[] = [];
  const leading = LEADING_WORD.exec(text);
  if (leading !== null) words.push((leading[1] as string).toLowerCase());
  const rest: string[] = [];
  for (const line of lines) {
    const standalone = STANDALONE_WORD.exec(line);
    if (standalone === null) rest.push(line);
    else words.push((standalone[1] as string).toLowerCase());
  }
  if (words.length === 0 || words.some((word) => word !== words[0])) return undefined;
  const reason = leading !== null ? text.slice(leading[0].length) : rest.join("\n");
  return { pass: words[0] === "pass", reason: reasonOf(reason) };
}

/** A judge's score and its reason (`""` when it gave none). */
export interface Score {
  readonly score: number;
  readonly reason: string;
}

const FIRST_NUMBER = /[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?/;

/**
 * Reads a score: a JSON object's `score` (a finite number), else the first number in the reply.
 * A JSON object whose `score` is not a finite number, or no number at all: undefined
 * (unparseable).
 */
export function parseScore(text: string): Score | undefined {
  const object = jsonObject(text);
  if (object !== undefined && "score" in object) {
    const score = object["score"];
    return typeof score === "number" && Number.isFinite(score)
      ? { score, reason: reasonOf(object["reason"]) }
      : undefined;
  }
  const match = FIRST_NUMBER.exec(text);
  if (match === null) return undefined;
  const score = Number(match[0]);
  return Number.isFinite(score) ? { score, reason: reasonOf(text) } : undefined;
}

/** The error for a criterion's option out of range, thrown when the criterion is made. */
export function optionError(option: string, reason: string): LispError {
  return new LispError("agent_invalid", "agent", formatMessage("agent_option_invalid", { option, reason }));
}

/** Checks that `value` is an integer in [min, max]. */
export function checkInteger(option: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw optionError(option, `must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

/** Checks the options all criteria share; returns the criterion's name (given, or `<kind>:<first 40 characters>`). */
export function checkCommon(kind: string, options: CriterionOptions): string {
  if (typeof options.expression !== "string" || options.expression.trim() === "") {
    throw optionError(`${kind} expression`, "must be a non-empty criterion text");
  }
  if (typeof options.model?.doGenerate !== "function") {
    throw optionError(`${kind} model`, "must be a language model");
  }
  if (options.name !== undefined && (typeof options.name !== "string" || options.name === "")) {
    throw optionError(`${kind} name`, "must be a non-empty string");
  }
  return options.name ?? `${kind}:${Array.from(options.expression).slice(0, 40).join("")}#${identity(kind, options)}`;
}

/**
 * A short hash of what makes a criterion judge the way it does (the whole expression, the
 * model, the numeric options), so two criteria that differ only past the name's 40 characters,
 * or in their model or counts, never share a name (and so a cache key).
 */
function identity(kind: string, options: CriterionOptions): string {
  const scalars = Object.entries(options)
    .filter(([, value]) => typeof value === "number" || typeof value === "string")
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const text = JSON.stringify([kind, options.model.provider, options.model.modelId, scalars]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** A criterion failure as a thrown `LispError` (code and phase from the catalog). */
export function criterionError(
  id: MessageId,
  params: Readonly<Record<string, string | number>>,
  details: Record<string, unknown>,
): LispError {
  return new LispError(MESSAGES[id].code, MESSAGES[id].phase, formatMessage(id, params), { details });
}
