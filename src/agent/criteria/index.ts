/**
 * LLM criteria (DESIGN §9.4): `qualitative` (a verifier: judges vote PASS or FAIL) and
 * `quantitative` (a cost: judges score), both judging a program's source with its outputs on
 * the samples; and `named`, which gives any custom verifier or cost function a stable name.
 *
 * @module
 */
export type { CriterionOptions, Verdict } from "./judge.js";
export { type Named, named } from "./named.js";
export { type QualitativeDetails, type QualitativeOptions, qualitative, type Votes } from "./qualitative.js";
export { type Aggregation, aggregateScores, type QuantitativeOptions, quantitative } from "./quantitative.js";
