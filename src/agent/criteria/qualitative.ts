import { formatMessage, MESSAGES, type MessageId } from "../../errors/codes.js";
import type { Verifier, VerifyOutcome } from "../../verify/verify.js";
import { askJudges, type CriterionOptions, checkCommon, checkInteger, parseVerdict, type Verdict } from "./judge.js";

/** Options of {@link qualitative}. */
export interface QualitativeOptions extends CriterionOptions {
  /** Pass votes the program needs. Default `ceil(numSamples / 2)`. */
  readonly minPass?: number;
}

/** How the judges voted: `unparseable` replies said neither PASS nor FAIL and count for neither. */
export interface Votes {
  readonly pass: number;
  readonly fail: number;
  readonly unparseable: number;
}

/** The `details` of a `qualitative` outcome. */
export interface QualitativeDetails {
  readonly votes: Votes;
  /** Each readable vote and its reason, in judge (seed) order. */
  readonly reasons: readonly Verdict[];
}

/**
 * An LLM criterion as a verifier: `numSamples` judges (requests with `seed` 0, 1, …) each say
 * whether the program (its source, and its outputs on the samples, from
 * `VerifyContext.sampleRuns`) satisfies `expression`, answering PASS or FAIL.
 *
 * A reply that says neither is dropped and counted as unparseable. The verifier passes when at
 * least `minSamplesForAggregation` replies were readable and at least `minPass` said PASS;
 * otherwise it fails with code `criterion_failed` and a message that says why (the judges'
 * count and the first failing reason, or how many replies could not be read). A judge call that
 * fails (a model error, an exhausted budget) fails the verifier; an abort is thrown. The
 * outcome's `details` are {@link QualitativeDetails}.
 *
 * Its `verifierName` is `name`, default `qualitative:<the expression's first 40 characters>#<a hash of the expression, model and options>`.
 * Throws `agent_invalid` at once for an empty expression or counts out of range.
 */
export function qualitative(options: QualitativeOptions): Verifier {
  const name = checkCommon("qualitative", options);
  const numSamples = options.numSamples ?? 3;
  checkInteger("qualitative numSamples", numSamples, 1, 1000);
  const minPass = options.minPass ?? Math.ceil(numSamples / 2);
  checkInteger("qualitative minPass", minPass, 1, numSamples);
  const minValid = options.minSamplesForAggregation ?? 1;
  checkInteger("qualitative minSamplesForAggregation", minValid, 1, numSamples);

  const judge = async (...[target, context]: Parameters<Verifier>): Promise<VerifyOutcome> => {
    const replies = await askJudges(options, numSamples, { kind: "verdict" }, target, context);
    for (const reply of replies) {
      if ("error" in reply) {
        const { error } = reply;
        return failure(
          "criterion_judge_failed",
          { code: error.code, message: error.message },
          {
            error: error.toDiagnostic(),
          },
        );
      }
    }
    const reasons: Verdict[] = [];
    let unparseable = 0;
    for (const reply of replies) {
      const verdict = "text" in reply ? parseVerdict(reply.text) : undefined;
      if (verdict === undefined) unparseable++;
      else reasons.push(verdict);
    }
    const pass = reasons.filter((verdict) => verdict.pass).length;
    const votes: Votes = { pass, fail: reasons.length - pass, unparseable };
    const details: QualitativeDetails = { votes, reasons };
    const tooFew = (needed: number) =>
      failure("criterion_too_few_votes", { valid: reasons.length, total: numSamples, unparseable, needed }, details);
    if (reasons.length < minValid) return tooFew(minValid);
    if (pass >= minPass) return { ok: true, details: { ...details } };
    // No vote against it, yet too few for it: the unreadable replies decided.
    if (votes.fail === 0) return tooFew(minPass);
    const firstReason = reasons.find((verdict) => !verdict.pass)?.reason;
    return failure(
      "criterion_rejected",
      {
        failed: votes.fail,
        valid: reasons.length,
        passed: pass,
        needed: minPass,
        reason: firstReason === undefined || firstReason === "" ? "no reason given" : firstReason,
      },
      details,
    );
  };
  return Object.assign(judge, { verifierName: name });
}

function failure(id: MessageId, params: Readonly<Record<string, string | number>>, details: object): VerifyOutcome {
  return { ok: false, code: MESSAGES[id].code, message: formatMessage(id, params), details: { ...details } };
}
