/**
 * Calibration of the cost estimator against measured runs. Every corpus program runs at three
 * input sizes with counting stub tools; the estimate (from the source alone) must give the
 * measured tool-call counts exactly for programs whose calls depend only on sizes, and must rank
 * the whole corpus the way the measured totals do (Spearman ρ ≥ 0.9).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type CostEstimate, estimateCost } from "../../src/index.js";
import { type CostCase, corpus } from "./corpus.js";
import { type Measurement, measure, toolWeight } from "./measure.js";
import { spearman } from "./spearman.js";

const SIZES = [5, 20, 80] as const;
/** The size at which data-independence is checked against a second input of other values. */
const SEED_CHECK_SIZE = 20;
/** The estimator's size for names it is not given (its default); used to evaluate its expressions. */
const DEFAULT_SIZE = 10;

interface Observation {
  readonly costCase: CostCase;
  readonly size: number;
  readonly measured: Measurement;
  readonly estimate: CostEstimate;
}

function estimate(costCase: CostCase, size: number): CostEstimate {
  return estimateCost(costCase.program, {
    sizes: costCase.sizes(size),
    tools: costCase.tools,
    ...(costCase.toolCosts === undefined ? {} : { toolCosts: costCase.toolCosts }),
    ...(costCase.loopBound === undefined ? {} : { loopBound: costCase.loopBound }),
  });
}

const observations: Observation[] = [];
const runFailures: string[] = [];
const seedFailures: string[] = [];

beforeAll(async () => {
  for (const costCase of corpus) {
    for (const size of SIZES) {
      try {
        observations.push({
          costCase,
          size,
          measured: await measure(costCase, size),
          estimate: estimate(costCase, size),
        });
      } catch (error) {
        runFailures.push(error instanceof Error ? error.message : String(error));
      }
    }
    if (!costCase.dataDependent) {
      try {
        const first = await measure(costCase, SEED_CHECK_SIZE, 0);
        const second = await measure(costCase, SEED_CHECK_SIZE, 1);
        if (JSON.stringify(first.calls) !== JSON.stringify(second.calls)) {
          seedFailures.push(`${costCase.id}: ${JSON.stringify(first.calls)} vs ${JSON.stringify(second.calls)}`);
        }
      } catch (error) {
        seedFailures.push(`${costCase.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}, 180_000);

/** A mismatch between estimated and measured calls of one tool, with the expression. */
interface Mismatch {
  readonly id: string;
  readonly size: number;
  readonly tool: string;
  readonly expression: string;
  readonly estimated: number;
  readonly measured: number;
}

function mismatches(observation: Observation): Mismatch[] {
  const { costCase, size, measured, estimate: estimated } = observation;
  const sizes = costCase.sizes(size);
  const tools = new Set([...Object.keys(measured.calls), ...Object.keys(estimated.toolCalls)]);
  const out: Mismatch[] = [];
  for (const tool of [...tools].sort()) {
    const expression = estimated.toolCalls[tool];
    const value = expression === undefined ? 0 : expression.evaluate(sizes, DEFAULT_SIZE);
    const count = measured.calls[tool] ?? 0;
    if (Math.abs(value - count) > 1e-9) {
      out.push({
        id: costCase.id,
        size,
        tool,
        expression: expression === undefined ? "(none)" : expression.toString(),
        estimated: value,
        measured: count,
      });
    }
  }
  return out;
}

describe("cost calibration corpus", () => {
  it("has at least 65 programs with distinct ids, data-independent and data-dependent", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(65);
    expect(new Set(corpus.map((costCase) => costCase.id)).size).toBe(corpus.length);
    expect(corpus.filter((costCase) => !costCase.dataDependent).length).toBeGreaterThanOrEqual(40);
    expect(corpus.filter((costCase) => costCase.dataDependent).length).toBeGreaterThanOrEqual(15);
  });

  it("runs every program at every size", () => {
    expect(runFailures).toEqual([]);
    expect(observations).toHaveLength(corpus.length * SIZES.length);
  });

  it("makes tool calls in every program, and more of them in bigger inputs for most", () => {
    for (const costCase of corpus) {
      const runs = observations.filter((observation) => observation.costCase === costCase);
      const calls = runs.map((run) => Object.values(run.measured.calls).reduce((sum, count) => sum + count, 0));
      expect(Math.max(...calls), costCase.id).toBeGreaterThan(0);
    }
    const growing = corpus.filter((costCase) => {
      const totals = observations
        .filter((observation) => observation.costCase === costCase)
        .map((observation) => Object.values(observation.measured.calls).reduce((sum, count) => sum + count, 0));
      return (totals.at(-1) ?? 0) > (totals[0] ?? 0);
    });
    expect(growing.length).toBeGreaterThanOrEqual(corpus.length / 2);
  });

  it("makes the same calls on other values of the same sizes when marked data-independent", () => {
    expect(seedFailures).toEqual([]);
  });
});

describe("estimateCost against measured runs", () => {
  it("gives the measured tool-call counts exactly for every data-independent program at every size", () => {
    expect(observations).toHaveLength(corpus.length * SIZES.length);
    const independent = corpus.filter((costCase) => !costCase.dataDependent);
    const found = observations.filter((observation) => !observation.costCase.dataDependent).flatMap(mismatches);
    const wrong = new Set(found.map((mismatch) => mismatch.id));
    const rate = (independent.length - wrong.size) / independent.length;
    process.stdout.write(
      `cost calibration: ${corpus.length} programs (${independent.length} data-independent, ` +
        `${corpus.length - independent.length} data-dependent) × sizes ${SIZES.join(", ")}\n` +
        `cost calibration: exact tool-call estimates for ${independent.length - wrong.size}/${independent.length} ` +
        `data-independent programs (${(rate * 100).toFixed(1)}%)\n`,
    );
    for (const mismatch of found) {
      process.stdout.write(
        `  mismatch ${mismatch.id} at size ${mismatch.size}: ${mismatch.tool} estimated ${mismatch.expression} = ` +
          `${mismatch.estimated}, measured ${mismatch.measured}\n`,
      );
    }
    expect(found).toEqual([]);
  });

  it("ranks the corpus as the measured totals do (Spearman ρ ≥ 0.9)", () => {
    expect(observations).toHaveLength(corpus.length * SIZES.length);
    const estimated = observations.map((observation) => observation.estimate.total);
    const measured = observations.map((observation) => observation.measured.total);
    const rho = spearman(estimated, measured);
    const callsOnly = spearman(
      observations.map((observation) =>
        Object.entries(observation.estimate.toolCalls).reduce(
          (sum, [tool, expression]) =>
            sum +
            toolWeight(observation.costCase, tool) *
              expression.evaluate(observation.costCase.sizes(observation.size), DEFAULT_SIZE),
          0,
        ),
      ),
      observations.map((observation) =>
        Object.entries(observation.measured.calls).reduce(
          (sum, [tool, count]) => sum + toolWeight(observation.costCase, tool) * count,
          0,
        ),
      ),
    );
    process.stdout.write(
      `cost calibration: Spearman ρ(estimated total, measured total) = ${rho.toFixed(4)} over ${observations.length} runs ` +
        `(weighted tool calls alone: ${callsOnly.toFixed(4)})\n`,
    );
    expect(rho).toBeGreaterThanOrEqual(0.9);
  });

  it("names every tool a program calls, and bounds data-dependent counts from above where no loop bound is assumed", () => {
    expect(observations).toHaveLength(corpus.length * SIZES.length);
    const unnamed: string[] = [];
    let bounded = 0;
    let boundable = 0;
    for (const observation of observations) {
      const { costCase, size, measured, estimate: estimated } = observation;
      for (const [tool, count] of Object.entries(measured.calls)) {
        if (count > 0 && estimated.toolCalls[tool] === undefined)
          unnamed.push(`${costCase.id} at size ${size}: ${tool}`);
      }
      if (costCase.dataDependent && estimated.assumed.length === 0) {
        boundable++;
        if (mismatches(observation).every((mismatch) => mismatch.estimated >= mismatch.measured)) bounded++;
      }
    }
    process.stdout.write(
      `cost calibration: data-dependent runs without an assumed loop bound whose estimate bounds every tool's count: ` +
        `${bounded}/${boundable}\n`,
    );
    expect(unnamed).toEqual([]);
    expect(bounded).toBe(boundable);
  });
});
