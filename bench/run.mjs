/**
 * The benchmark (DESIGN section 10): runs workloads (a)-(g) and (t) of bench/workloads.mjs on
 * plain JavaScript (optimized and fresh), ptc-lisp (in fresh and in polluted processes), nbb
 * (with and without SCI's code generator) and QuickJS (quickjs-emscripten), each in its own
 * child process with the same data (bench/data.mjs, same seed), interleaved workload by
 * workload; checks every engine's results against optimized plain JavaScript's; then measures
 * a compiled agent's per-input overhead (bench/compiled-overhead.ts) and the cold import of
 * ptc-lisp (as bench/install.mjs does); writes bench/results.md and bench/results.svg with the
 * table of targets. An engine may skip a workload it cannot run (nbb and QuickJS skip the tool
 * calls of (t)): the report shows it as not measured.
 *
 *   node bench/run.mjs                 full run (a few minutes); builds dist/ first if it is stale
 *   node bench/run.mjs --quick         tiny data and two timed iterations: a correctness check
 *   options: --runs N (time every workload N times per engine, interleaved; default 1)
 *            --engines ptc-lisp,nbb    (the references plain-js and plain-js-fresh always run;
 *                                      names: ptc-lisp, ptc-lisp-polluted, nbb, nbb-interpreter,
 *                                      quickjs)
 *            --from-source             ptc-lisp from src/ through tsx instead of dist/
 *            --json                    print the report as JSON instead of the table
 *            --out DIR                 where results.md/.svg go (default bench/; quick mode writes
 *                                      nothing unless --out is given)
 *   environment: PTC_ENTRY=path/to/index.js runs that build of ptc-lisp instead;
 *                timing knobs: see bench/timing.mjs.
 *
 * Exits 1 when an engine fails or a result disagrees with plain JavaScript's.
 */
import { execFileSync, fork, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkWorkload, difference } from "./compare.mjs";
import { importTimes } from "./install.mjs";
import { renderMarkdown, renderSvg } from "./report.mjs";
import { timingRules } from "./timing.mjs";
import { WORKLOAD_IDS, WORKLOADS } from "./workloads.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const benchDir = join(root, "bench");

/**
 * The engines, the two references first. `variant` goes to the child in its settings;
 * `perWorkload` engines get a new process for every workload (and one for the throughput
 * figures), which runs only that workload. The others run every workload in one process.
 */
const ENGINES = [
  { name: "plain-js", label: "plain JS, optimized", script: "plain-js.mjs", variant: "optimized", reference: true },
  { name: "plain-js-fresh", label: "plain JS, fresh", script: "plain-js.mjs", variant: "fresh", reference: true },
  { name: "ptc-lisp", label: "ptc-lisp, fresh process", script: "ptc-lisp.mjs", variant: "fresh", perWorkload: true },
  { name: "ptc-lisp-polluted", label: "ptc-lisp, polluted process", script: "ptc-lisp.mjs", variant: "polluted" },
  { name: "nbb", label: "nbb (SCI + JS codegen)", script: "nbb.mjs", variant: "codegen" },
  { name: "nbb-interpreter", label: "nbb (SCI interpreter)", script: "nbb.mjs", variant: "interpreter" },
  { name: "quickjs", label: "QuickJS", script: "quickjs.mjs" },
];

function parseArguments(argv) {
  const options = { quick: false, fromSource: false, json: false, runs: 1, engines: null, out: null };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${argument} needs a value`);
      return next;
    };
    if (argument === "--quick") options.quick = true;
    else if (argument === "--from-source") options.fromSource = true;
    else if (argument === "--json") options.json = true;
    else if (argument === "--runs") options.runs = Math.max(1, Math.floor(Number(value())) || 1);
    else if (argument === "--engines") options.engines = value().split(",");
    else if (argument === "--out") options.out = value();
    else throw new Error(`unknown option ${argument}`);
  }
  return options;
}

function newestMtime(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when a file under src/ is newer than dist/index.js. */
function ensureBuilt() {
  const built = join(root, "dist", "index.js");
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(root, "src"))) return;
  process.stderr.write("dist/ is older than src/: npm run build\n");
  const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (build.status !== 0) throw new Error("npm run build failed");
}

function git(...args) {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

/** The module the ptc-lisp child loads: PTC_ENTRY when set (another build), else dist/ or src/. */
function ptcEntry(options) {
  if (process.env.PTC_ENTRY) return process.env.PTC_ENTRY;
  return join(root, options.fromSource ? "src/index.ts" : "dist/index.js");
}

function ptcVersion(options) {
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  if (process.env.PTC_ENTRY) return `${version}, from ${process.env.PTC_ENTRY}`;
  const commit = git("rev-parse", "--short", "HEAD");
  const dirty = git("status", "--porcelain", "src") !== "";
  const where = options.fromSource ? "src/ through tsx" : "dist/";
  return `${version}${commit ? ` (commit ${commit}${dirty ? " + uncommitted changes in src/" : ""})` : ""}, from ${where}`;
}

/** An engine's child process, serving one request at a time over IPC. */
class EngineProcess {
  constructor(engine, settings, options) {
    const nodeArguments = [];
    const env = { ...process.env };
    if (engine.name === "ptc-lisp") {
      nodeArguments.push("--expose-gc");
      if (options.fromSource) nodeArguments.push("--import", "tsx");
      env.PTC_ENTRY = ptcEntry(options);
    }
    this.engine = engine;
    this.timeoutMs = (options.quick ? 3 : 20) * 60_000;
    this.waiting = null;
    this.failed = null;
    const childSettings = engine.variant ? { ...settings, variant: engine.variant } : settings;
    this.exited = new Promise((resolve) => {
      this.markExited = resolve;
    });
    this.child = fork(join(benchDir, "engines", engine.script), [JSON.stringify(childSettings)], {
      cwd: root,
      env,
      execArgv: nodeArguments,
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    this.child.on("message", (message) => this.settle(null, message));
    this.child.on("exit", (code, signal) => {
      this.markExited();
      this.settle(new Error(`child process exited (${code ?? signal})`));
    });
    this.child.on("error", (error) => this.settle(error));
    this.ready = this.next();
  }

  settle(error, message) {
    const waiting = this.waiting;
    if (waiting === null) return;
    this.waiting = null;
    clearTimeout(waiting.timer);
    if (error) waiting.reject(error);
    else waiting.resolve(message);
  }

  next() {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(new Error(`no answer in ${this.timeoutMs / 60_000} minutes`));
        this.child.kill();
      }, this.timeoutMs);
      this.waiting = { resolve, reject, timer };
    });
  }

  /** Sends a request and waits for its answer; the engine counts as failed from its first error on. */
  async request(message) {
    if (this.failed) throw new Error(this.failed);
    try {
      const answer = this.next();
      this.child.send(message);
      return await answer;
    } catch (error) {
      this.failed = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  /** Asks the child to finish and waits until it has exited. */
  close() {
    if (this.child.connected) this.child.send({ type: "done" });
    else if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    return this.exited;
  }
}

/**
 * One engine's processes: one for the whole run, or (`perWorkload`) a new one per request,
 * closed once it has answered. The first error marks the engine failed.
 */
class EngineSlot {
  constructor(engine, settings, options) {
    this.engine = engine;
    this.settings = settings;
    this.options = options;
    this.process = null;
    this.header = null;
    this.failed = null;
  }

  async start() {
    const running = new EngineProcess(this.engine, this.settings, this.options);
    try {
      const header = await running.ready;
      this.header ??= header;
      return running;
    } catch (error) {
      this.failed = `child process failed to start: ${error instanceof Error ? error.message : String(error)}`;
      await running.close();
      throw error;
    }
  }

  /** Starts the long-lived process (not for per-workload engines). */
  async open() {
    if (this.engine.perWorkload) return;
    try {
      this.process = await this.start();
    } catch {
      // recorded in this.failed
    }
  }

  async request(message) {
    if (this.failed) throw new Error(this.failed);
    const running = this.process ?? (await this.start());
    try {
      return await running.request(message);
    } catch (error) {
      this.failed = running.failed;
      throw error;
    } finally {
      if (running !== this.process) await running.close();
    }
  }

  async close() {
    if (this.process) await this.process.close();
  }
}

/**
 * Starts every long-lived engine process (the polluted one runs the conformance corpus as it
 * starts), then times the workloads interleaved: workload by workload, each engine in turn (the
 * order rotating from run to run), so that the engines compared in a row are timed minutes
 * apart at most, under the same load on a shared machine.
 */
async function measureAll(selected, settings, options) {
  const slots = selected.map((engine) => new EngineSlot(engine, settings, options));
  for (const slot of slots) await slot.open();
  const runsByEngine = new Map(selected.map((engine) => [engine.name, []]));
  for (let round = 0; round < options.runs; round++) {
    if (options.runs > 1) process.stderr.write(`--- run ${round + 1} of ${options.runs}\n`);
    const order = [...slots.slice(round % slots.length), ...slots.slice(0, round % slots.length)];
    const results = new Map(slots.map((slot) => [slot.engine.name, {}]));
    for (const id of WORKLOAD_IDS) {
      for (const slot of order) {
        if (slot.failed) continue;
        try {
          const answer = await slot.request({ type: "workload", id });
          results.get(slot.engine.name)[id] = answer.result;
        } catch {
          // recorded in slot.failed
        }
      }
    }
    for (const slot of slots) {
      const name = slot.engine.name;
      runsByEngine
        .get(name)
        .push(
          slot.failed
            ? { engine: name, failed: slot.failed }
            : { engine: name, ...slot.header, results: results.get(name) },
        );
    }
  }
  for (const slot of slots) {
    if (slot.failed || !["plain-js", "ptc-lisp"].includes(slot.engine.name)) continue;
    try {
      const answer = await slot.request({ type: "extras" });
      const runs = runsByEngine.get(slot.engine.name);
      runs[runs.length - 1].extras = answer.extras;
    } catch {
      // recorded in slot.failed
    }
  }
  for (const slot of slots) await slot.close();
  return runsByEngine;
}

const median = (values) => {
  const sorted = [...values].sort((x, y) => x - y);
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
};

/**
 * Merges the further figures of a workload's runs: the median over the runs of a time (a key
 * ending in "Ms"), the largest value of any other number (counts, such as restarts).
 */
function mergeDetails(details) {
  const merged = {};
  for (const key of Object.keys(details[0])) {
    const numbers = details.map((entry) => entry[key]).filter((value) => typeof value === "number");
    if (numbers.length > 0) merged[key] = key.endsWith("Ms") ? median(numbers) : Math.max(...numbers);
  }
  return merged;
}

/** Merges an engine's runs: the median of the run medians, the min and max over every sample. */
function mergeRuns(runs) {
  const cells = {};
  for (const id of WORKLOAD_IDS) {
    const measured = runs.map((run) => run.results?.[id]).filter((cell) => cell !== undefined);
    const failed = measured.find((cell) => cell.error !== undefined);
    if (measured.length === 0) continue;
    if (failed) {
      cells[id] = { error: failed.error };
      continue;
    }
    const skipped = measured.find((cell) => cell.skipped !== undefined);
    if (skipped) {
      cells[id] = { skipped: skipped.skipped };
      continue;
    }
    const details = measured.map((cell) => cell.details).filter((entry) => entry !== undefined);
    cells[id] = {
      median: median(measured.map((cell) => cell.median)),
      min: Math.min(...measured.map((cell) => cell.min)),
      max: Math.max(...measured.map((cell) => cell.max)),
      n: measured.reduce((sum, cell) => sum + cell.n, 0),
      batch: Math.max(...measured.map((cell) => cell.batch ?? 1)),
      runMedians: measured.map((cell) => cell.median),
      cpuMedian: median(measured.map((cell) => cell.cpuMedian)),
      values: measured.flatMap((cell) => cell.values),
      ...(details.length > 0 ? { details: mergeDetails(details) } : {}),
    };
  }
  return cells;
}

/**
 * The compiled agent's overhead per input over its program's run: bench/compiled-overhead.ts in
 * its own process (from src/ through tsx, like `npm run bench:compiled`), after the workloads.
 */
function agentOverhead(options) {
  const runs = options.quick ? 20 : 2000;
  process.stderr.write(`compiled agent: ${runs} inputs\n`);
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", join(benchDir, "compiled-overhead.ts"), "--runs", String(runs), "--json"],
    { cwd: root, encoding: "utf8", timeout: 10 * 60_000 },
  );
  if (child.status !== 0) return { error: `compiled-overhead.ts exited with ${child.status}: ${child.stderr.trim()}` };
  try {
    return JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "");
  } catch {
    return { error: `compiled-overhead.ts printed no figures: ${child.stdout.slice(0, 200)}` };
  }
}

/**
 * Cold `import("ptc-lisp")` in fresh processes over bare `node -e ""` ones, as bench/install.mjs
 * measures it, but importing the repository's dist/ (the package imports itself by name) rather
 * than an installed tarball: only when the run uses dist/.
 */
function coldImportTime(options) {
  if (options.fromSource || process.env.PTC_ENTRY) return { skipped: "not measured: the run does not use dist/" };
  const runs = options.quick ? 3 : 21;
  process.stderr.write(`cold import: ${runs} processes per command\n`);
  try {
    const rows = importTimes(root, runs, ["ptc-lisp"]);
    const bare = rows.find((row) => row.name === "bare");
    const imported = rows.find((row) => row.name === "ptc-lisp");
    return { runs, bareMs: bare.medianMs, importMs: imported.medianMs, overBareMs: imported.overBareMs };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const selected = ENGINES.filter(
    (engine) => engine.reference || options.engines === null || options.engines.includes(engine.name),
  );
  const usesDist = !options.fromSource && !process.env.PTC_ENTRY;
  if (selected.some((engine) => engine.name === "ptc-lisp") && usesDist) ensureBuilt();
  const settings = options.quick
    ? { quick: true, count: 300, smallCount: 20, seed: 42, reuseRuns: 100 }
    : { quick: false, count: 10_000, smallCount: 20, seed: 42, reuseRuns: 10_000 };

  const loadBefore = os.loadavg()[0];
  const runsByEngine = await measureAll(selected, settings, options);
  const ptcSelected = selected.some((engine) => engine.name === "ptc-lisp");
  const agent = ptcSelected ? agentOverhead(options) : null;
  const coldImport = ptcSelected ? coldImportTime(options) : null;

  const problems = [];
  const reference = mergeRuns(runsByEngine.get("plain-js").filter((run) => !run.failed));
  const engines = selected.map((engine) => {
    const runs = runsByEngine.get(engine.name);
    const failed = runs.find((run) => run.failed)?.failed;
    const good = runs.filter((run) => !run.failed);
    if (failed) problems.push(`${engine.name}: ${failed}`);
    const cells = mergeRuns(good);
    for (const id of WORKLOAD_IDS) {
      const cell = cells[id];
      if (cell === undefined) {
        if (!failed) problems.push(`${engine.name} (${id}): no result`);
        continue;
      }
      if (cell.error !== undefined) {
        problems.push(`${engine.name} (${id}): ${cell.error}`);
        continue;
      }
      if (cell.skipped !== undefined) continue;
      const expected = reference[id]?.values?.[0];
      cell.check = expected === undefined ? "no reference result" : checkWorkload(id, cell.values, expected);
      if (cell.check) problems.push(`${engine.name} (${id}): ${cell.check}`);
      delete cell.values;
    }
    return {
      name: engine.name,
      label: engine.label,
      reference: engine.reference === true,
      version: engine.name.startsWith("ptc-lisp") ? ptcVersion(options) : (good[0]?.version ?? "?"),
      notes: good[0]?.notes ?? {},
      ...(good[0]?.process ? { process: good[0].process } : {}),
      cells,
      ...(failed ? { failed } : {}),
    };
  });

  let extras = runsByEngine.get("ptc-lisp")?.findLast((run) => run.extras)?.extras ?? null;
  if (runsByEngine.has("ptc-lisp") && extras === null) problems.push("ptc-lisp (throughput and heap): no result");
  if (extras !== null) {
    const expected = runsByEngine.get("plain-js").findLast((run) => run.extras)?.extras?.small;
    if (extras.error) problems.push(`ptc-lisp (throughput and heap): ${extras.error}`);
    else {
      const check =
        expected === undefined
          ? "no reference result"
          : (difference(extras.small, expected) ?? difference(extras.smallLast, expected));
      if (check) problems.push(`ptc-lisp (reused program): ${check}`);
      extras = { ...extras, check };
      delete extras.small;
      delete extras.smallLast;
    }
  }

  if (agent?.error) problems.push(`compiled agent overhead: ${agent.error}`);
  if (coldImport?.error) problems.push(`cold import: ${coldImport.error}`);

  const cpus = os.cpus();
  const nbbVersion = engines.find((engine) => engine.name === "nbb")?.version;
  const quickjsVersion = engines.find((engine) => engine.name === "quickjs")?.version;
  const report = {
    date: new Date().toISOString(),
    quick: options.quick,
    runs: options.runs,
    settings,
    rules: timingRules(options.quick),
    machine: {
      cpu: cpus[0]?.model ?? "unknown",
      cores: cpus.length,
      memoryGiB: os.totalmem() / 1024 ** 3,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      load: [loadBefore, os.loadavg()[0]],
    },
    versions: {
      node: process.version,
      "ptc-lisp": engines.find((engine) => engine.name === "ptc-lisp")?.version,
      ...(nbbVersion ? { nbb: nbbVersion } : {}),
      ...(quickjsVersion ? { "quickjs-emscripten": quickjsVersion } : {}),
    },
    workloads: WORKLOADS,
    engines,
    extras,
    agent,
    coldImport,
    problems,
  };

  const out = options.out ?? (options.quick ? null : benchDir);
  if (out !== null) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "results.md"), renderMarkdown(report));
    writeFileSync(join(out, "results.svg"), renderSvg(report));
    process.stderr.write(`wrote ${join(out, "results.md")} and results.svg\n`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
  else process.stdout.write(renderMarkdown(report));
  if (problems.length > 0) {
    process.stderr.write(`${problems.length} problem(s):\n${problems.map((line) => `  ${line}`).join("\n")}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write("every engine's results agree with plain JS\n");
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
