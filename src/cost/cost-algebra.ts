import { CostExpr } from "./cost-expr.js";

/** Calls per tool, latency in rounds of calls, and steps. */
export interface Cost {
  readonly calls: ReadonlyMap<string, CostExpr>;
  readonly latency: CostExpr;
  readonly steps: CostExpr;
}

export const FREE: Cost = { calls: new Map(), latency: CostExpr.ZERO, steps: CostExpr.ZERO };
export const STEP: Cost = { calls: new Map(), latency: CostExpr.ZERO, steps: CostExpr.ONE };

export function plus(a: Cost, b: Cost): Cost {
  if (a === FREE) return b;
  if (b === FREE) return a;
  const calls = new Map(a.calls);
  for (const [tool, count] of b.calls) calls.set(tool, (calls.get(tool) ?? CostExpr.ZERO).plus(count));
  return { calls, latency: a.latency.plus(b.latency), steps: a.steps.plus(b.steps) };
}

/**
 * The sum of several costs in one pass. Adding them one by one with `plus` copies the running
 * map of calls each time: quadratic in the number of distinct tools a long program names.
 */
export function sum(costs: readonly Cost[], start: Cost = FREE): Cost {
  const calls = new Map(start.calls);
  let latency = start.latency;
  let steps = start.steps;
  for (const cost of costs) {
    if (cost === FREE) continue;
    for (const [tool, count] of cost.calls) calls.set(tool, (calls.get(tool) ?? CostExpr.ZERO).plus(count));
    latency = latency.plus(cost.latency);
    steps = steps.plus(cost.steps);
  }
  return { calls, latency, steps };
}

export function times(cost: Cost, factor: CostExpr, parallel = false): Cost {
  const calls = new Map<string, CostExpr>();
  for (const [tool, count] of cost.calls) calls.set(tool, count.times(factor));
  return { calls, latency: parallel ? cost.latency : cost.latency.times(factor), steps: cost.steps.times(factor) };
}

export function maximum(a: Cost, b: Cost): Cost {
  const calls = new Map<string, CostExpr>();
  for (const tool of new Set([...a.calls.keys(), ...b.calls.keys()])) {
    calls.set(tool, (a.calls.get(tool) ?? CostExpr.ZERO).max(b.calls.get(tool) ?? CostExpr.ZERO));
  }
  return { calls, latency: a.latency.max(b.latency), steps: a.steps.max(b.steps) };
}
