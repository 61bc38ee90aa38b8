/**
 * Timing of one workload in one process: warm-up iterations, then timed iterations; reports the
 * median, minimum and maximum milliseconds per iteration. The same rules for every engine.
 *
 * Knobs (environment): BENCH_WARM_IT (default 5) and BENCH_WARM_MS (500) are the least warm-up
 * iterations and milliseconds; BENCH_MEAS_IT (15) and BENCH_MEAS_MS (1000) the least measured
 * iterations and milliseconds; BENCH_MAX_IT (5000) and BENCH_MAX_MS (20000) cap the measurement.
 * Quick mode (correctness only) uses one warm-up and two measured iterations.
 *
 * An iteration shorter than BENCH_SAMPLE_MS (default 10 ms; calibrated after the warm-up) is
 * timed in batches: one sample is the mean of as many back-to-back iterations as take about that
 * long, so that the clock's resolution and the garbage collector's pauses are spread over the
 * batch instead of missed by most samples and caught whole by a few.
 */
import { performance } from "node:perf_hooks";

const fromEnv = (name, fallback) => {
  const text = process.env[name];
  const value = text === undefined || text === "" ? Number.NaN : Number(text);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
};

/** The timing rules in effect: full (from the environment) or quick. */
export function timingRules(quick) {
  if (quick) {
    return {
      warmIterations: 1,
      warmMs: 0,
      measureIterations: 2,
      measureMs: 0,
      maxIterations: 2,
      maxMs: 0,
      sampleMs: 0,
    };
  }
  return {
    warmIterations: fromEnv("BENCH_WARM_IT", 5),
    warmMs: fromEnv("BENCH_WARM_MS", 500),
    measureIterations: Math.max(1, fromEnv("BENCH_MEAS_IT", 15)),
    measureMs: fromEnv("BENCH_MEAS_MS", 1000),
    maxIterations: Math.max(1, fromEnv("BENCH_MAX_IT", 5000)),
    maxMs: fromEnv("BENCH_MAX_MS", 20000),
    sampleMs: fromEnv("BENCH_SAMPLE_MS", 10),
  };
}

const MAX_BATCH = 1_000_000;

const isThenable = (value) => value !== null && typeof value === "object" && typeof value.then === "function";

/**
 * Times `step(i)` (sync or async) under `rules`. Returns the statistics of wall-clock time per
 * iteration, the median of the process's CPU time per iteration (user + system, helper threads
 * included; steadier than wall-clock time on a loaded machine), the iterations per sample, and
 * the results of the first and the last iteration, so that the caller can check both.
 */
export async function measure(step, rules) {
  let iteration = 0;
  let last;
  /** Runs `count` iterations back to back, awaiting only the steps that return promises. */
  const runBatch = async (count) => {
    for (let i = 0; i < count; i++) {
      const value = step(iteration++);
      last = isThenable(value) ? await value : value;
    }
  };
  await runBatch(1);
  const first = last;
  let started = performance.now();
  while (iteration < rules.warmIterations || performance.now() - started < rules.warmMs) {
    await runBatch(1);
    if (rules.maxMs > 0 && performance.now() - started > rules.maxMs) break;
  }
  // Calibration: grow the batch until one takes sampleMs.
  let batch = 1;
  while (rules.sampleMs > 0 && batch < MAX_BATCH) {
    const before = performance.now();
    await runBatch(batch);
    const elapsed = performance.now() - before;
    if (elapsed >= rules.sampleMs) break;
    const factor = elapsed > 0 ? Math.min(10, (1.05 * rules.sampleMs) / elapsed) : 10;
    batch = Math.min(MAX_BATCH, Math.ceil(batch * factor));
  }
  const samples = [];
  const cpuSamples = [];
  started = performance.now();
  for (;;) {
    const elapsed = performance.now() - started;
    const enough = samples.length >= rules.measureIterations && elapsed >= rules.measureMs;
    const capped = samples.length >= rules.maxIterations || (rules.maxMs > 0 && elapsed >= rules.maxMs);
    if (samples.length > 0 && (enough || capped)) break;
    const cpuBefore = process.cpuUsage();
    const before = performance.now();
    await runBatch(batch);
    samples.push((performance.now() - before) / batch);
    const cpu = process.cpuUsage(cpuBefore);
    cpuSamples.push((cpu.user + cpu.system) / 1000 / batch);
  }
  return { ...summarize(samples), cpuMedian: summarize(cpuSamples).median, batch, first, last };
}

/** Median, minimum and maximum of a list of milliseconds. */
export function summarize(samples) {
  const sorted = [...samples].sort((x, y) => x - y);
  const n = sorted.length;
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { n, median, min: sorted[0], max: sorted[n - 1] };
}
