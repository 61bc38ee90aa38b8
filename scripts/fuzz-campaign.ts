/**
 * The long fuzz campaign, run by hand (not in CI): many generated cases through `evaluate`,
 * each checked by the same promises as test/property/fuzz.property.test.ts. The families
 * (test/property/fuzz-programs.ts): generated programs, raw text, aliasing collection
 * operations, tool calls (odd throws, deep, large and odd results, colliding keys, memory
 * probes), globals across runs (probed for failures kept from an earlier run), and result size.
 *
 *   node --import tsx scripts/fuzz-campaign.ts [--runs 100000] [--seed 1] [--depth 4] [--roomy]
 *     [--minutes 30] [--report file.json] [--families program,raw,aliasing,tools,globals,size]
 *
 * The programs run in a worker thread watched from here: a program that hangs the interpreter
 * (the worst sandbox failure, which no in-process check could report) is recorded as a
 * violation, the worker is replaced, and the campaign goes on with the next program. Prints
 * progress and a summary; the report file holds every distinct violation with the shortest
 * program that showed it, and the outcome of every case by family.
 */
import { writeFileSync } from "node:fs";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import fc from "fast-check";
import {
  anyCase,
  checkCase,
  describeCase,
  FAMILIES,
  type Family,
  type FuzzCase,
  LIMITS,
  ROOMY_LIMITS,
} from "../test/property/fuzz-programs.js";

interface Settings {
  readonly runs: number;
  readonly seed: number;
  readonly depth: number;
  /** Default-sized budgets instead of the small ones: programs get to do real work. */
  readonly roomy: boolean;
  readonly families: readonly Family[];
}

/** Programs per generated batch; batch `b` is drawn with seed `seed + b`, so any program can be drawn again. */
const BATCH = 1000;
/** A program that shows no progress for this long has hung the interpreter. */
const STALL_MS = 15_000;

const limitsOf = (settings: Settings) => (settings.roomy ? ROOMY_LIMITS : LIMITS);

function batchOf(settings: Settings, batch: number): FuzzCase[] {
  const arbitrary = anyCase(settings.families, {
    depth: settings.depth,
    memoryBytes: limitsOf(settings).memoryBytes,
    probes: true,
  });
  return fc.sample(arbitrary, { numRuns: BATCH, seed: settings.seed + batch });
}

type Message =
  | { readonly type: "start"; readonly position: number }
  | { readonly type: "violation"; readonly position: number; readonly detail: string; readonly transient: boolean }
  | { readonly type: "outcome"; readonly outcome: string }
  | { readonly type: "end" };

/** The worker: runs programs from `start` on, reporting each before it runs it. */
async function work(settings: Settings, start: number): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const limits = limitsOf(settings);
  const probes = { staleFailures: true };
  for (let position = start; position < settings.runs; ) {
    const batch = Math.floor(position / BATCH);
    const cases = batchOf(settings, batch);
    for (let index = position % BATCH; index < BATCH && position < settings.runs; index++, position++) {
      const fuzzCase = cases[index] as FuzzCase;
      port.postMessage({ type: "start", position } satisfies Message);
      let report = await checkCase(fuzzCase, limits, probes);
      let transient = false;
      if (report.violation?.includes("took ")) {
        // Timing on a shared machine is noisy: count it only if it happens again.
        report = await checkCase(fuzzCase, limits, probes);
        transient = report.violation === undefined;
      }
      if (report.violation !== undefined || transient) {
        port.postMessage({ type: "violation", position, detail: report.violation ?? "", transient } satisfies Message);
      }
      port.postMessage({ type: "outcome", outcome: `${fuzzCase.family} ${report.outcome}` } satisfies Message);
    }
  }
  port.postMessage({ type: "end" } satisfies Message);
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function familiesOption(): readonly Family[] {
  const at = process.argv.indexOf("--families");
  if (at < 0) return FAMILIES;
  const names = (process.argv[at + 1] ?? "").split(",").filter((name) => name !== "");
  const unknown = names.filter((name) => !(FAMILIES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`--families takes a list of ${FAMILIES.join(", ")}; got ${unknown.join(", ") || "nothing"}`);
  }
  return names as Family[];
}

/** Violations by kind (numbers and strings blurred), with the shortest program showing each. */
function kindOf(detail: string): string {
  return detail
    .replace(/\d+/g, "N")
    .replace(/"[^"]*"/g, "S")
    .slice(0, 120);
}

async function campaign(): Promise<void> {
  const settings: Settings = {
    runs: option("runs", 100_000),
    seed: option("seed", 1),
    depth: option("depth", 4),
    roomy: process.argv.includes("--roomy"),
    families: familiesOption(),
  };
  const minutes = option("minutes", 30);
  const reportAt = process.argv.indexOf("--report");
  const reportPath = reportAt >= 0 ? process.argv[reportAt + 1] : undefined;
  const deadline = Date.now() + minutes * 60_000;
  const started = Date.now();
  const found = new Map<string, { count: number; source: string; detail: string }>();
  const outcomes = new Map<string, number>();
  let transientOverruns = 0;
  let hangs = 0;
  let current = 0;
  let done = 0;
  const sourceAt = (position: number): string =>
    describeCase(batchOf(settings, Math.floor(position / BATCH))[position % BATCH] as FuzzCase);
  const record = (position: number, detail: string): void => {
    const source = sourceAt(position);
    const kind = kindOf(detail);
    const seen = found.get(kind);
    if (seen === undefined) {
      found.set(kind, { count: 1, source, detail });
      process.stdout.write(`\nVIOLATION ${detail}\n${source.slice(0, 400)}\n`);
    } else {
      seen.count++;
      if (source.length < seen.source.length) Object.assign(seen, { source, detail });
    }
  };

  for (let start = 0; start < settings.runs && Date.now() < deadline; ) {
    // The worker loads this file through tsx, as the campaign itself was started.
    const bootstrap = `import("tsx/esm/api").then((api) => { api.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    // A heap limit makes a case that runs the worker out of memory end the worker (reported
    // as a violation), not the campaign.
    const worker = new Worker(bootstrap, {
      eval: true,
      workerData: { settings, start },
      resourceLimits: { maxOldGenerationSizeMb: 3072 },
    });
    let lastProgress = Date.now();
    let watchdog: ReturnType<typeof setInterval> | undefined;
    const finished = await new Promise<"end" | "stall" | "deadline">((resolve) => {
      watchdog = setInterval(() => {
        if (Date.now() - lastProgress > STALL_MS) resolve("stall");
        else if (Date.now() > deadline) resolve("deadline");
      }, 1000);
      worker.on("message", (message: Message) => {
        lastProgress = Date.now();
        if (message.type === "start") {
          current = message.position;
          done = message.position + 1;
          if (done % 10_000 === 0) {
            const seconds = (Date.now() - started) / 1000;
            process.stdout.write(
              `${done} programs in ${seconds.toFixed(0)} s (${(done / seconds).toFixed(0)}/s), ${found.size} distinct violations\n`,
            );
          }
        } else if (message.type === "violation") {
          if (message.transient) transientOverruns++;
          else record(message.position, message.detail);
        } else if (message.type === "outcome") {
          outcomes.set(message.outcome, (outcomes.get(message.outcome) ?? 0) + 1);
        } else resolve("end");
      });
      worker.on("error", (error) => {
        record(current, `worker died: ${error.message}`);
        resolve(done > start ? "stall" : "deadline");
      });
      worker.on("exit", () => resolve("end"));
    });
    clearInterval(watchdog);
    await worker.terminate();
    if (finished === "stall") {
      hangs++;
      record(current, "hung the interpreter");
      start = current + 1;
    } else break;
  }

  const summary = {
    programs: done,
    seconds: Math.round((Date.now() - started) / 1000),
    ...settings,
    limits: limitsOf(settings),
    hangs,
    transientOverruns,
    violations: [...found.values()].sort((a, b) => b.count - a.count),
    outcomes: Object.fromEntries([...outcomes].sort((a, b) => a[0].localeCompare(b[0]))),
  };
  process.stdout.write(`${JSON.stringify({ ...summary, violations: summary.violations.length }, null, 1)}\n`);
  if (reportPath !== undefined) writeFileSync(reportPath, JSON.stringify(summary, null, 1));
  process.exit(found.size === 0 ? 0 : 1);
}

if (isMainThread) await campaign();
else await work((workerData as { settings: Settings }).settings, (workerData as { start: number }).start);
