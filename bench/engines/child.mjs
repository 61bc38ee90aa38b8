/**
 * The part every engine's child process shares: reads the run's settings, builds the data and
 * times the workloads the engine defines (progress goes to standard error). An engine module
 * calls `runEngine(name, define)`, where
 * `define(input)` returns
 * `{version, notes, workloads: {id: {step, convert?, verify?, details?}}, skipped?, extras?, process?}`
 * (`process`: figures on what the process did before the workloads, for the report):
 * `step(i)` is one timed iteration; `convert(value)` turns a step's value into plain JSON
 * (outside the timing); `verify()` computes the value to check instead of the step's own (for
 * workloads whose step produces no comparable value, such as a compile); `details(timed)`
 * returns further figures for the report (or a promise of them), given the timing (`n` samples
 * of `batch` iterations each, the last ones the step ran). `skipped: {id: reason}` names the workloads the engine does
 * not measure; the report shows them as not measured rather than failed.
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
    variant: typeof settings.variant === "string" ? settings.variant : null,
  };
}

const describe = (error) => (error instanceof Error ? error.message : String(error));

async function runWorkload(name, id, workload, rules) {
  try {
    const timed = await measure(workload.step, rules);
    const convert = workload.convert ?? ((value) => value);
    const values = workload.verify ? [await workload.verify()] : [convert(timed.first), convert(timed.last)];
    const batch = timed.batch > 1 ? ` samples of ${timed.batch}` : "";
    process.stderr.write(
      `${name.padEnd(9)} ${id.padEnd(3)} median ${timed.median.toFixed(4)} ms  (min ${timed.min.toFixed(4)}, max ${timed.max.toFixed(4)}, n=${timed.n}${batch})\n`,
    );
    const { n, median, min, max, cpuMedian } = timed;
    const details = workload.details ? { details: await workload.details(timed) } : {};
    return { n, batch: timed.batch, median, min, max, cpuMedian, values, ...details };
  } catch (error) {
    process.stderr.write(`${name.padEnd(9)} ${id.padEnd(3)} failed: ${describe(error)}\n`);
    return { error: describe(error) };
  }
}

async function runExtras(engine, rules) {
  if (!engine.extras) return {};
  try {
    return await engine.extras(rules);
  } catch (error) {
    return { error: describe(error) };
  }
}

/**
 * Sets the engine up, then either serves the parent over IPC (started by bench/run.mjs with
 * `fork`: one workload per request, so that the parent can interleave the engines workload by
 * workload) or, started by hand, runs every workload once and prints the report as JSON.
 */
export async function runEngine(name, define) {
  const settings = readSettings();
  const rules = timingRules(settings.quick);
  const orders = makeOrders(settings.count, settings.seed);
  const json = JSON.stringify({ orders });
  const small = { orders: orders.slice(0, settings.smallCount) };
  const engine = await define({ settings, json, data: JSON.parse(json), small });
  const header = {
    engine: name,
    version: engine.version,
    notes: engine.notes ?? {},
    ...(engine.process ? { process: engine.process } : {}),
  };
  if (process.send) {
    process.on("message", async (message) => {
      if (message.type === "workload") {
        const workload = engine.workloads[message.id];
        const skipped = engine.skipped?.[message.id];
        const result = workload
          ? await runWorkload(name, message.id, workload, rules)
          : skipped
            ? { skipped }
            : { error: "no such workload" };
        process.send({ type: "result", id: message.id, result });
      } else if (message.type === "extras") {
        process.send({ type: "extras", extras: await runExtras(engine, rules) });
      } else if (message.type === "done") {
        process.disconnect();
      }
    });
    process.send({ type: "ready", ...header });
    return;
  }
  process.stderr.write(`${name} ${engine.version}\n`);
  const results = {};
  for (const [id, workload] of Object.entries(engine.workloads)) {
    if (!settings.only || settings.only.includes(id)) results[id] = await runWorkload(name, id, workload, rules);
  }
  const extras = await runExtras(engine, rules);
  process.stdout.write(`${JSON.stringify({ ...header, results, extras })}\n`);
}
