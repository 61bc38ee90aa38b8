import { clipParam } from "../../errors/codes.js";
import type { CostFunction } from "../types.js";
import {
  askJudges,
  type CriterionOptions,
  checkCommon,
  checkInteger,
  criterionError,
  optionError,
  parseScore,
  type Score,
} from "./judge.js";

/** How judges' scores are combined: mean, median, lowest, highest. */
export type Aggregation = "avg" | "med" | "min" | "max";

const AGGREGATIONS: readonly Aggregation[] = ["avg", "med", "min", "max"];

/** Longest judge reply kept in a failure's details. */
const MAX_REPLY_CHARS = 500;

/**
 * Combines scores: `avg` the mean, `med` the median (the mean of the two middle scores when
 * there is an even number), `min` the lowest, `max` the highest. `NaN` for no scores.
 */
export function aggregateScores(scores: readonly number[], agg: Aggregation): number {
  if (scores.length === 0) return Number.NaN;
  switch (agg) {
    case "avg":
      return scores.reduce((sum, score) => sum + score, 0) / scores.length;
    case "min":
      return Math.min(...scores);
    case "max":
      return Math.max(...scores);
    case "med": {
      const sorted = [...scores].sort((a, b) => a - b);
      const middle = Math.floor(sorted.length / 2);
      return sorted.length % 2 === 1
        ? (sorted[middle] as number)
        : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
    }
  }
}

/** Options of {@link quantitative}. */
export interface QuantitativeOptions extends CriterionOptions {
  /** The lowest score a judge may give (the program does not meet the criterion). Default 0. */
  readonly min?: number;
  /** The highest score a judge may give (the program fully meets it). Default 10. */
  readonly max?: number;
  /** How the valid scores are combined. Default `"avg"`. */
  readonly agg?: Aggregation;
}

/**
 * An LLM criterion as a cost function: `numSamples` judges (requests with `seed` 0, 1, …) each
 * score from `min` to `max` how well the program (its source, and its outputs on the samples,
 * from `VerifyContext.sampleRuns`) meets `expression`, a higher score for a better program.
 *
 * Replies without a readable score and scores outside [min, max] are dropped (and counted);
 * the rest are combined with `agg` (see {@link aggregateScores}). The cost is
 * `max - aggregate`, so that LOWER cost means a BETTER score, as strategies rank candidates:
 * from 0 (every judge gave `max`) to `max - min`.
 *
 * Throws a `LispError` with code `criterion_failed` when fewer than `minSamplesForAggregation`
 * scores are valid (its `details` hold the counts and the replies), and the judge call's own
 * `LispError` (e.g. `model_error`, `model_budget_exceeded`, `aborted`) when a call fails; the
 * compile pipeline records either as the candidate's failure. Throws `agent_invalid` at once for
 * an empty expression, `min >= max`, or counts out of range.
 *
 * Its `costName` is `name`, default `quantitative:<the expression's first 40 characters>#<a hash of the expression, model and options>`.
 */
export function quantitative(options: QuantitativeOptions): CostFunction {
  const name = checkCommon("quantitative", options);
  const numSamples = options.numSamples ?? 3;
  checkInteger("quantitative numSamples", numSamples, 1, 1000);
  const minValid = options.minSamplesForAggregation ?? 1;
  checkInteger("quantitative minSamplesForAggregation", minValid, 1, numSamples);
  const min = options.min ?? 0;
  const max = options.max ?? 10;
  if (!Number.isFinite(min) || !Number.isFinite(max) || min >= max) {
    throw optionError("quantitative min and max", `must be finite numbers with min < max, got ${min} and ${max}`);
  }
  const agg = options.agg ?? "avg";
  if (!AGGREGATIONS.includes(agg)) {
    throw optionError("quantitative agg", `must be one of ${AGGREGATIONS.join(", ")}, got ${String(agg)}`);
  }

  const cost = async (...[target, context]: Parameters<CostFunction>): Promise<number> => {
    const replies = await askJudges(options, numSamples, { kind: "score", min, max }, target, context);
    const scores: Score[] = [];
    let unparseable = 0;
    let outOfRange = 0;
    for (const reply of replies) {
      if ("error" in reply) throw reply.error;
      const score = parseScore(reply.text);
      if (score === undefined) unparseable++;
      else if (score.score < min || score.score > max) outOfRange++;
      else scores.push(score);
    }
    if (scores.length < minValid) {
      throw criterionError(
        "criterion_too_few_scores",
        { valid: scores.length, total: numSamples, min, max, outOfRange, unparseable, needed: minValid },
        {
          scores,
          unparseable,
          outOfRange,
          replies: replies.map((reply) => ("text" in reply ? clipParam(reply.text, MAX_REPLY_CHARS) : "")),
        },
      );
    }
    return (
      max -
      aggregateScores(
        scores.map((score) => score.score),
        agg,
      )
    );
  };
  return Object.assign(cost, { costName: name });
}
