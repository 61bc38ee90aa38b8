/**
 * `agent.jit`: A1's pipeline for one input (DESIGN §9.3). `numCandidates` conversations run in
 * parallel; each writes a program, which is compiled against the signature and the tools and
 * put through the strategy's verifiers, its faults fed back up to `maxIterations` times. The
 * verified candidates are costed for this input's sizes and the cheapest runs (ties go to the
 * lowest index). A run-time failure is fed back to that candidate and the next cheapest tried,
 * unless a tool that writes (any not declared `effects: "read"`) has run: a write is never repeated.
 */

import { estimateCost } from "../../cost/estimate-cost.js";
import type { Diagnostic } from "../../errors/diagnostic.js";
import { makeDiagnostic } from "../../errors/errors.js";
import { estimateRequestTokens, type ModelMessage } from "../../llm/language-model.js";
import type { Program } from "../../runtime/program.js";
import { toolEffects } from "../../tools/define-tool.js";
import { type Verifier, verify } from "../../verify/verify.js";
import { promptFor } from "../prompt/build.js";
import { extractProgram } from "../prompt/extract-program.js";
import { failedFeedback, noProgramFeedback, rejectedFeedback, truncatedFeedback } from "../prompt/feedback.js";
import type { AgentSpec } from "../spec.js";
import type { AgentResult, AgentTurn, JitOptions, Strategy } from "../types.js";
import { agentFailure, checkAnswer, stopReasonOf } from "./answer.js";
import { looksCut, requestOf, startCall } from "./run.js";

/** The defaults every strategy field falls back to. */
export const DEFAULT_STRATEGY: { readonly numCandidates: number; readonly maxIterations: number } = {
  numCandidates: 1,
  maxIterations: 3,
};

/** A strategy merged field by field: the call's over the agent's over the defaults. */
export function mergeStrategy(...strategies: readonly (Strategy | undefined)[]): Strategy & typeof DEFAULT_STRATEGY {
  const merged: Record<string, unknown> = { ...DEFAULT_STRATEGY };
  for (const strategy of strategies) {
    for (const [key, value] of Object.entries(strategy ?? {})) if (value !== undefined) merged[key] = value;
  }
  return merged as unknown as Strategy & typeof DEFAULT_STRATEGY;
}

/** The strategy's verifiers as a list. */
export function verifiersOf(strategy: Strategy): readonly Verifier[] {
  const given = strategy.verify;
  if (given === undefined) return [];
  return typeof given === "function" ? [given] : given;
}

/** One candidate's conversation and where it stands. */
interface Candidate {
  readonly index: number;
  readonly messages: ModelMessage[];
  iterations: number;
  /** The verified program and its cost, while it is in the pool. */
  verified?:
    | { readonly source: string; readonly program: Program; readonly cost: number; readonly turn: number }
    | undefined;
  /** Why it gave up, when it did. */
  error?: Diagnostic | undefined;
}

/** Sizes of the input for the cost estimate: the length of each list input. */
function sizesOf(input: Readonly<Record<string, unknown>>): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const [name, value] of Object.entries(input)) {
    if (Array.isArray(value)) sizes[name] = value.length;
    else if (typeof value === "string") sizes[name] = value.length;
  }
  return sizes;
}

export async function runJit(
  spec: AgentSpec,
  input: Readonly<Record<string, unknown>>,
  warnings: readonly string[],
  options: JitOptions,
): Promise<AgentResult> {
  const strategy = mergeStrategy(spec.strategy, options.strategy);
  const started = startCall(spec, options, "jit", warnings);
  if ("done" in started) return started.done;
  const { session, turns, finish } = started.call;
  const prompt = promptFor(spec, "single", input);
  for (const option of ["numCandidates", "maxIterations"] as const) {
    const value = strategy[option];
    if (!Number.isSafeInteger(value) || value < 1 || value > 100) {
      const error = makeDiagnostic("agent_option_invalid", {
        option: `strategy.${option}`,
        reason: `must be an integer from 1 to 100, got ${String(value)}`,
      });
      return finish(agentFailure(session, error, "failed", turns, warnings, undefined));
    }
  }
  const sizes = sizesOf(input);
  let stopped: { error: Diagnostic; reason: ReturnType<typeof stopReasonOf> } | undefined;

  /** Asks, extracts, compiles and verifies until the candidate has a verified program or gives up. */
  const develop = async (candidate: Candidate, feedback?: string): Promise<void> => {
    if (feedback !== undefined) candidate.messages.push({ role: "user", content: feedback });
    while (candidate.iterations < strategy.maxIterations && stopped === undefined) {
      candidate.iterations++;
      const where = { turn: candidate.iterations, candidate: candidate.index };
      const request = {
        ...requestOf(spec, prompt.system, candidate.messages, strategy.temperature),
        seed: candidate.index,
      };
      const asked = await session.ask(request, where, estimateRequestTokens(request));
      if (!asked.ok) {
        candidate.error = asked.error.toDiagnostic();
        stopped ??= { error: candidate.error, reason: stopReasonOf(asked.error.code) };
        return;
      }
      const reply = asked.reply;
      candidate.messages.push({ role: "assistant", content: reply.text });
      const extracted = extractProgram(reply.text);
      let diagnostics: Diagnostic[];
      let next: string;
      if (!extracted.ok) {
        const cut = reply.finishReason === "length";
        diagnostics = [makeDiagnostic(cut ? "reply_truncated" : "no_program", {})];
        next = cut ? truncatedFeedback() : noProgramFeedback();
      } else {
        const { source, compiled } = session.compileExtracted(extracted, spec.signature, []);
        if (compiled.ok) {
          const report = await verify(source, verifiersOf(strategy), {
            signature: spec.signature,
            tools: spec.tools,
            sizes,
          });
          if (report.ok) {
            const cost = estimateCost(source, { tools: spec.tools, sizes }).total;
            candidate.verified = { source, program: compiled.program, cost, turn: turns.length };
            turns.push({
              turn: where.turn,
              candidate: candidate.index,
              reply: reply.text,
              program: source,
              outcome: "verified",
              diagnostics: compiled.diagnostics,
              prints: [],
            });
            return;
          }
          diagnostics = report.failures.map((failure) => ({
            code: failure.code as Diagnostic["code"],
            phase: "verify" as const,
            message: failure.message ?? failure.verifier,
            ...(failure.span === undefined ? {} : { span: failure.span }),
          }));
        } else {
          diagnostics = [...compiled.diagnostics];
          if (reply.finishReason === "length" && looksCut(diagnostics))
            diagnostics.unshift(makeDiagnostic("reply_truncated", {}));
        }
        next = diagnostics[0]?.code === "reply_truncated" ? truncatedFeedback() : rejectedFeedback(diagnostics, source);
        session.emit({ type: "program-rejected", ...where, source, diagnostics });
      }
      candidate.error = diagnostics.find((diagnostic) => diagnostic.severity !== "warning") ?? diagnostics[0];
      const more = candidate.iterations < strategy.maxIterations;
      turns.push({
        turn: where.turn,
        candidate: candidate.index,
        reply: reply.text,
        ...(extracted.ok ? { program: extracted.source } : {}),
        outcome: "rejected",
        diagnostics,
        prints: [],
        ...(more ? { feedback: next } : {}),
      });
      if (more) candidate.messages.push({ role: "user", content: next });
    }
  };

  const candidates: Candidate[] = Array.from({ length: strategy.numCandidates }, (_, index) => ({
    index,
    messages: [...prompt.messages],
    iterations: 0,
  }));
  await Promise.all(
    candidates.map(async (candidate) => {
      session.emit({ type: "candidate-start", turn: 1, candidate: candidate.index });
      await develop(candidate);
      session.emit({
        type: "candidate-end",
        turn: candidate.iterations,
        candidate: candidate.index,
        ok: candidate.verified !== undefined,
        ...(candidate.verified === undefined ? {} : { cost: candidate.verified.cost }),
        ...(candidate.error === undefined || candidate.verified !== undefined ? {} : { error: candidate.error }),
      });
    }),
  );

  const writes = (where: { candidate: number }): boolean =>
    session.toolTrace.some(
      (entry) => entry.candidate === where.candidate && toolEffects(spec.tools, entry.name) === "write",
    );
  for (;;) {
    if (stopped !== undefined)
      return finish(agentFailure(session, stopped.error, stopped.reason, turns, warnings, undefined));
    const aborted = session.abortedError();
    if (aborted !== undefined)
      return finish(agentFailure(session, aborted.toDiagnostic(), "aborted", turns, warnings, undefined));
    const pool = candidates
      .filter((candidate) => candidate.verified !== undefined)
      .sort(
        (a, b) => (a.verified as { cost: number }).cost - (b.verified as { cost: number }).cost || a.index - b.index,
      );
    const chosen = pool[0];
    if (chosen === undefined) {
      const attempts = turns.length;
      const lastRun = turns.findLast((turn) => turn.outcome === "failed");
      const error =
        lastRun === undefined
          ? makeDiagnostic("compile_failed", { count: attempts })
          : makeDiagnostic("candidates_failed", { count: attempts, last: lastRun.diagnostics.at(-1)?.code ?? "?" });
      const errors = candidates.flatMap((candidate) => (candidate.error === undefined ? [] : [candidate.error]));
      return finish(agentFailure(session, { ...error, details: { errors } }, "failed", turns, warnings, undefined));
    }
    const { source, program, cost, turn } = chosen.verified as NonNullable<Candidate["verified"]>;
    chosen.verified = undefined;
    session.emit({ type: "candidate-selected", candidate: chosen.index, cost });
    const where = { turn: chosen.iterations, candidate: chosen.index };
    const result = await session.run(program, input, new Map(), where);
    const ran = (outcome: AgentTurn["outcome"], fault?: Diagnostic): void => {
      const entry = turns[turn] as AgentTurn;
      turns[turn] = {
        ...entry,
        outcome,
        prints: result.prints,
        diagnostics: fault === undefined ? entry.diagnostics : [...entry.diagnostics, fault],
      };
    };
    if (result.ok) {
      const checked = checkAnswer(spec, result.json);
      if (checked.ok) {
        ran("returned");
        return finish({
          ok: true,
          value: result.value,
          json: checked.json,
          program: source,
          stopReason: "returned",
          turns,
          usage: session.usage(),
          trace: session.trace(),
          warnings,
        });
      }
      chosen.error = checked.error;
    } else chosen.error = result.error;
    const error = chosen.error;
    ran("failed", error);
    const terminal = error.code === "fail" || error.code === "aborted" || writes(where);
    if (terminal) {
      const reason = error.code === "aborted" ? "aborted" : "failed";
      return finish(agentFailure(session, error, reason, turns, warnings, source));
    }
    const feedback = result.ok
      ? (checkAnswer(spec, result.json) as { feedback: string }).feedback
      : failedFeedback(error, source, result.prints);
    await develop(chosen, feedback);
  }
}
