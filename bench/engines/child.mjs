/**
 * The part every engine's child process shares: reads the run's settings, builds the data,
 * times each workload the engine defines and writes one JSON line to standard output (progress
 * goes to standard error). An engine module calls `runEngine(name, define)`, where
 * `define(input)` returns `{version, notes, workloads: {id: {step, convert?, verify?}}, extras?}`:
 * `step(i)` is one timed iteration; `convert(value)` turns a step's value into plain JSON
 * (outside the timing); `verify()` computes the value to check instead of the step's own (for
 * workloads whose step produces no comparable value, such as a compile).
 */
import { makeOrders } from "../data.mjs";
import { measure, timingRules } from "../timing.mjs";

/** Settings from the parent (bench/run.mjs), passed as JSON in argv[2]. */
export function readSettings() {
  const text = process.argv[2];
  const settings = text ? JSON.parse(text) : {};
  return {
    quick: settings.quick === true,
    count: Number(settings.count ?? 10_000),
    smallCount: Number(settings.smallCount ?? 20),
    seed: Number(settings.seed ?? 42),
    reuseRuns: Number(settings.reuseRuns ?? 10_000),
    only: Array.isArray(settings.only) ? settings.only : null,
  };
}

const describe = (error) => (error instanceof Error ? error.message : String(error));

export async function runEngine(name, define) {
  const settings = readSettings();
  const rules = timingRules(settings.quick);
  const orders = makeOrders(settings.count, settings.seed);
  const json = JSON.stringify({ orders });
  const small = { orders: orders.slice(0, settings.smallCount) };
  const input = { settings, json, data: JSON.parse(json), small };
  const engine = await define(input);
  const results = {};
  process.stderr.write(`${name} ${engine.version}\n`);
  for (const [id, workload] of Object.entries(engine.workloads)) {
    if (settings.only && !settings.only.includes(id)) continue;
    try {
      const timed = await measure(workload.step, rules);
      const convert = workload.convert ?? ((value) => value);
      const values = workload.verify ? [await workload.verify()] : [convert(timed.first), convert(timed.last)];
      results[id] = { n: timed.n, batch: timed.batch, median: timed.median, min: timed.min, max: timed.max, values };
      const line = `  ${id.padEnd(4)} median ${timed.median.toFixed(4)} ms  (min ${timed.min.toFixed(4)}, max ${timed.max.toFixed(4)}, n=${timed.n}${timed.batch > 1 ? ` samples of ${timed.batch}` : ""})\n`;
      process.stderr.write(line);
    } catch (error) {
      results[id] = { error: describe(error) };
      process.stderr.write(`  ${id.padEnd(4)} failed: ${describe(error)}\n`);
    }
  }
  let extras = {};
  if (engine.extras) {
    try {
      extras = await engine.extras(rules);
    } catch (error) {
      extras = { error: describe(error) };
    }
  }
  const report = { engine: name, version: engine.version, notes: engine.notes ?? {}, results, extras };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
