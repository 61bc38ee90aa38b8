/**
 * `agent.run`: the multi-turn loop (DESIGN §9.3). Each turn: the model writes a program; static
 * faults are fed back without running it; it runs under the limits; `(return v)` ends the run
 * with a checked answer, anything else feeds its output back for the next turn. `def`s persist
 * across turns and `*1 *2 *3` hold the last turns' values; the last turn is announced.
 */
import type { Diagnostic } from "../../errors/diagnostic.js";
import { makeDiagnostic } from "../../errors/errors.js";
import { estimateRequestTokens, type ModelMessage, type ModelRequest } from "../../llm/language-model.js";
import { printBounded } from "../../runtime/print-result.js";
import { ANY, type Signature } from "../../signature/types.js";
import { promptFor } from "../prompt/build.js";
import { extractProgram } from "../prompt/extract-program.js";
import {
  continueFeedback,
  failedFeedback,
  lastTurnNotice,
  MAX_VALUE_CHARS,
  noProgramFeedback,
  rejectedFeedback,
  truncatedFeedback,
} from "../prompt/feedback.js";
import { DEFAULT_MAX_AGENT_DEPTH, parentBudget, parentDepth, parentModel } from "../scope.js";
import type { AgentSpec } from "../spec.js";
import type { AgentResult, AgentRunOptions, AgentTurn } from "../types.js";
import { agentFailure, checkAnswer, stopReasonOf } from "./answer.js";
import { errorsOf, Session } from "./session.js";

const HISTORY = ["*1", "*2", "*3"] as const;

/**
 * The signal a call runs under: the caller's (or the calling agent's, when nested), and the
 * deadline `timeoutMs` from now. Nested runs follow the outer signal, so they share its
 * deadline.
 */
export function withDeadline(signal: AbortSignal | undefined, timeoutMs: number | undefined): AbortSignal | undefined {
  if (timeoutMs === undefined) return signal;
  const deadline = AbortSignal.timeout(timeoutMs);
  return signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
}

/** The session of one call of an agent. */
export function openSession(spec: AgentSpec, options: AgentRunOptions): Session {
  return new Session({
    agent: spec.name,
    model: options.model ?? spec.model ?? parentModel(options.parent),
    tools: spec.tools,
    limits: spec.limits,
    maxModelCalls: spec.maxModelCalls,
    maxTokens: spec.maxTokens,
    parentBudget: options.budget ?? (options.parent === undefined ? undefined : parentBudget(options.parent)),
    depth: parentDepth(options.parent) + 1,
    signal: withDeadline(options.signal ?? options.parent?.signal, options.timeoutMs ?? spec.timeoutMs),
    onEvent: options.onEvent,
    replay: options.replay,
    clock: options.clock,
  });
}

/** The request of a turn. */
export function requestOf(
  spec: AgentSpec,
  system: string,
  messages: readonly ModelMessage[],
  temperature?: number,
): ModelRequest {
  const chosen = temperature ?? spec.temperature;
  return {
    system,
    messages: [...messages],
    ...(chosen === undefined ? {} : { temperature: chosen }),
    ...(spec.maxOutputTokens === undefined ? {} : { maxOutputTokens: spec.maxOutputTokens }),
  };
}

/** Whether compile errors look like a program cut off mid-way (an unclosed delimiter or string). */
export function looksCut(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some(
    (diagnostic) =>
      diagnostic.code === "parse_error" && /never closed|not terminated|end of input/.test(diagnostic.message),
  );
}

/** A call under way: its session, its turns so far, and how it ends (emitting `run-end`). */
export interface Call {
  readonly session: Session;
  readonly turns: AgentTurn[];
  finish(result: AgentResult): AgentResult;
}

/**
 * Starts a call (`run-start`), or ends it at once when there is no model to ask. The one
 * beginning and end of `run` and `jit`.
 */
export function startCall(
  spec: AgentSpec,
  options: AgentRunOptions,
  mode: "run" | "jit",
  warnings: readonly string[],
): { readonly call: Call } | { readonly done: AgentResult } {
  const session = openSession(spec, options);
  const turns: AgentTurn[] = [];
  session.emit({ type: "run-start", agent: spec.name, mode });
  const finish = (result: AgentResult): AgentResult => {
    session.emit({ type: "run-end", ok: result.ok, stopReason: result.stopReason, turns: turns.length });
    return result;
  };
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_AGENT_DEPTH;
  if (session.options.depth > maxDepth) {
    const error = makeDiagnostic("agent_depth_exceeded", { depth: session.options.depth, max: maxDepth });
    return {
      done: finish(agentFailure(session, { ...error, limit: "agentDepth" }, "failed", turns, warnings, undefined)),
    };
  }
  if (!session.hasModel) {
    const error = makeDiagnostic("agent_option_invalid", {
      option: "model",
      reason: `is missing: give defineAgent({model}) or ${mode}(input, {model})`,
    });
    return { done: finish(agentFailure(session, error, "model-error", turns, warnings, undefined)) };
  }
  return { call: { session, turns, finish } };
}

export async function runTurns(
  spec: AgentSpec,
  input: Readonly<Record<string, unknown>>,
  warnings: readonly string[],
  options: AgentRunOptions,
): Promise<AgentResult> {
  const started = startCall(spec, options, "run", warnings);
  if ("done" in started) return started.done;
  const { session, turns, finish } = started.call;
  const single = spec.maxTurns === 1;
  const prompt = promptFor(spec, single ? "single" : "turns", input);
  // Turns before the last may explore: the output type is checked on `(return v)`, by the loop.
  const turnSignature: Signature = single ? spec.signature : { ...spec.signature, output: ANY };
  const messages: ModelMessage[] = [...prompt.messages];
  let memory = new Map<string, unknown>();
  const history: unknown[] = [];
  let lastProgram: string | undefined;

  for (let turn = 1; turn <= spec.maxTurns; turn++) {
    const aborted = session.abortedError();
    if (aborted !== undefined)
      return finish(agentFailure(session, aborted.toDiagnostic(), "aborted", turns, warnings, lastProgram));
    const where = { turn };
    const last = turn === spec.maxTurns;
    session.emit({ type: "turn-start", turn, maxTurns: spec.maxTurns });
    const request = requestOf(spec, prompt.system, messages);
    const asked = await session.ask(request, where, estimateRequestTokens(request));
    if (!asked.ok) {
      turns.push({ turn, reply: "", outcome: "stopped", diagnostics: [asked.error.toDiagnostic()], prints: [] });
      session.emit({ type: "turn-end", turn, outcome: "stopped" });
      return finish(
        agentFailure(session, asked.error.toDiagnostic(), stopReasonOf(asked.error.code), turns, warnings, lastProgram),
      );
    }
    const reply = asked.reply;
    messages.push({ role: "assistant", content: reply.text });

    let outcome: AgentTurn["outcome"];
    let feedback: string;
    let diagnostics: readonly Diagnostic[] = [];
    let prints: readonly string[] = [];
    let program: string | undefined;
    const extracted = extractProgram(reply.text);
    if (!extracted.ok) {
      const cut = reply.finishReason === "length";
      diagnostics = [makeDiagnostic(cut ? "reply_truncated" : "no_program", {})];
      feedback = cut ? truncatedFeedback() : noProgramFeedback();
      outcome = "rejected";
      session.emit({ type: "program-rejected", ...where, diagnostics });
    } else {
      const predefined = [...[...memory.keys()].filter((name) => !HISTORY.includes(name as never)), ...HISTORY];
      const chosen = session.compileExtracted(extracted, turnSignature, predefined);
      const compiled = chosen.compiled;
      program = chosen.source;
      lastProgram = program;
      if (!compiled.ok) {
        diagnostics = compiled.diagnostics;
        const cut = reply.finishReason === "length" && looksCut(compiled.diagnostics);
        feedback = cut ? truncatedFeedback() : rejectedFeedback(compiled.diagnostics, program);
        if (cut) diagnostics = [makeDiagnostic("reply_truncated", {}), ...diagnostics];
        outcome = "rejected";
        session.emit({ type: "program-rejected", ...where, source: program, diagnostics });
      } else {
        const globals = new Map(memory);
        HISTORY.forEach((name, i) => {
          globals.set(name, history[i] ?? null);
        });
        const result = await session.run(compiled.program, input, globals, where);
        prints = result.prints;
        diagnostics = compiled.diagnostics;
        if (result.ok) {
          const answered = result.signal === "return" || single || last;
          if (answered) {
            const checked = checkAnswer(spec, result.json);
            if (checked.ok) {
              turns.push({ turn, reply: reply.text, program, outcome: "returned", diagnostics, prints });
              session.emit({ type: "turn-end", turn, outcome: "returned" });
              return finish({
                ok: true,
                value: result.value,
                json: checked.json,
                program,
                stopReason: "returned",
                turns,
                usage: session.usage(),
                trace: session.trace(),
                warnings,
              });
            }
            // On the last turn this ends the loop: max-turns, with this as the last fault.
            diagnostics = [...diagnostics, checked.error];
            feedback = checked.feedback;
            outcome = "failed";
          } else {
            memory = new Map([...result.globals].filter(([name]) => !HISTORY.includes(name as never)));
            history.unshift(result.value);
            history.length = Math.min(history.length, HISTORY.length);
            feedback = continueFeedback(result.prints, printBounded(result.value, MAX_VALUE_CHARS));
            outcome = "continued";
          }
        } else {
          diagnostics = [...diagnostics, result.error];
          if (result.error.code === "fail" || result.error.code === "aborted") {
            const stop = result.error.code === "fail" ? "failed" : "aborted";
            turns.push({ turn, reply: reply.text, program, outcome: "stopped", diagnostics, prints });
            session.emit({ type: "turn-end", turn, outcome: "stopped" });
            return finish(agentFailure(session, result.error, stop, turns, warnings, program));
          }
          feedback = failedFeedback(result.error, program, result.prints);
          outcome = "failed";
        }
      }
    }
    if (!last && turn + 1 === spec.maxTurns) feedback = `${feedback}\n\n${lastTurnNotice(turn + 1, spec.maxTurns)}`;
    turns.push({
      turn,
      reply: reply.text,
      ...(program === undefined ? {} : { program }),
      outcome,
      diagnostics,
      prints,
      ...(last ? {} : { feedback }),
    });
    session.emit({ type: "turn-end", turn, outcome, ...(last ? {} : { feedback }) });
    if (!last) messages.push({ role: "user", content: feedback });
  }
  const lastTurn = turns[turns.length - 1];
  const lastError = lastTurn === undefined ? undefined : errorsOf(lastTurn.diagnostics).at(-1);
  // Single-shot: the one program's fault is the answer. Otherwise the turns ran out; the last
  // fault is attached (and named in the hint).
  if (single && lastError !== undefined) {
    return finish(agentFailure(session, lastError, "failed", turns, warnings, lastProgram));
  }
  const error = makeDiagnostic(
    "max_turns",
    { turns: spec.maxTurns },
    undefined,
    lastError === undefined ? undefined : `the last turn failed with [${lastError.code}] ${lastError.message}`,
  );
  return finish(
    agentFailure(
      session,
      lastError === undefined ? error : { ...error, details: { last: lastError } },
      "max-turns",
      turns,
      warnings,
      lastProgram,
    ),
  );
}
