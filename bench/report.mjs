/**
 * Renders the benchmark report (built by bench/run.mjs) as Markdown (bench/results.md) and as
 * an SVG bar chart of the ratios to plain JavaScript (bench/results.svg), by hand.
 */

/** The two plain-JavaScript references (DESIGN section 10), by the name of their engine. */
const OPTIMIZED = "plain-js";
const FRESH = "plain-js-fresh";
const REFERENCES = { optimized: OPTIMIZED, fresh: FRESH };
/** The ptc-lisp columns the targets are judged on. */
const PTC_COLUMNS = ["ptc-lisp", "ptc-lisp-polluted"];

/** Milliseconds with three significant digits (whole numbers from 100 up). */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return "—";
  return ms >= 100 ? ms.toFixed(0) : ms.toPrecision(3);
}

/** A ratio as "6.8×" (whole numbers from 10 up). */
export function formatRatio(ratio) {
  if (!Number.isFinite(ratio)) return "—";
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio >= 0.1 ? ratio.toFixed(1) : ratio.toPrecision(1)}×`;
}

const grouped = (value) => Math.round(value).toLocaleString("en-US");

const bytes = (value) =>
  Math.abs(value) >= 1024 ? `${(value / 1024).toFixed(1)} KiB` : `${Math.round(value).toLocaleString("en-US")} B`;

const engineNamed = (report, name) => report.engines.find((engine) => engine.name === name);

/**
 * The ratio of an engine's median (or `field`) to a reference's (default: optimized plain
 * JavaScript) for a workload, or NaN.
 */
export function ratioOf(report, engineName, id, field = "median", referenceName = OPTIMIZED) {
  const base = engineNamed(report, referenceName)?.cells[id];
  const cell = engineNamed(report, engineName)?.cells[id];
  if (!base || !cell || base[field] === undefined || cell[field] === undefined) return Number.NaN;
  return cell[field] / base[field];
}

/** The reference a workload is judged against: its target's, else optimized plain JavaScript. */
const judgedAgainst = (workload) => REFERENCES[workload.target?.against ?? "optimized"] ?? OPTIMIZED;

/**
 * Whether an engine (default ptc-lisp in a fresh process) meets a workload's target:
 * {measured, target, met}, or null when the workload has no target or the engine no figure.
 */
export function targetStatus(report, workload, engineName = "ptc-lisp") {
  const cell = engineNamed(report, engineName)?.cells[workload.id];
  if (!workload.target || !cell || cell.median === undefined) return null;
  if (workload.target.ratio !== undefined) {
    const ratio = ratioOf(report, engineName, workload.id, "median", judgedAgainst(workload));
    return {
      measured: formatRatio(ratio),
      target: `≤ ${workload.target.ratio}× ${workload.target.against} JS`,
      met: ratio <= workload.target.ratio,
    };
  }
  return {
    measured: `${formatMs(cell.median)} ms`,
    target: `≤ ${workload.target.ms} ms`,
    met: cell.median <= workload.target.ms,
  };
}

/** Growth of the time per call of (t), from a quarter of the calls to all of them, that still counts as linear. */
export const LINEAR_GROWTH = 1.5;

/** The target of (t) for an engine: finishes under the default limits, and linear. */
function toolCallStatus(report, engineName) {
  const cell = engineNamed(report, engineName)?.cells.t;
  if (!cell || cell.median === undefined || cell.details?.perCallGrowth === undefined) return null;
  const { passes, restarts, perCallGrowth, quarterCalls } = cell.details;
  return {
    measured: `finishes (${passes} passes, ${restarts} restarts); per call ×${perCallGrowth.toFixed(2)} from ${quarterCalls} to 1,000 calls`,
    met: perCallGrowth <= LINEAR_GROWTH,
  };
}

const mark = (met) => (met ? "✓" : "✗");

/** The rows of the targets table: one per target of DESIGN section 10, each engine's measure and mark. */
export function targetRows(report) {
  const rows = [];
  const columns = PTC_COLUMNS.filter((name) => engineNamed(report, name));
  const both = (status) =>
    columns.flatMap((name) => {
      const each = status(name);
      return each ? [each.measured, mark(each.met)] : ["—", ""];
    });
  for (const workload of report.workloads) {
    if (!workload.target) continue;
    const first = columns.map((name) => targetStatus(report, workload, name)).find((status) => status);
    const target = first?.target ?? (workload.target.ms ? `≤ ${workload.target.ms} ms` : `≤ ${workload.target.ratio}×`);
    rows.push([workload.label, target, ...both((name) => targetStatus(report, workload, name))]);
  }
  const tools = report.workloads.find((workload) => workload.id === "t");
  if (tools) {
    rows.push([
      tools.label,
      `finishes under the default limits; linear (per call ≤ ×${LINEAR_GROWTH})`,
      ...both((name) => toolCallStatus(report, name)),
    ]);
  }
  const only = (status) => [status.measured, mark(status.met), ...columns.slice(1).flatMap(() => ["—", ""])];
  const missing = (entry) => [
    entry?.skipped ?? (entry?.error ? "failed" : "not measured"),
    "",
    ...columns.slice(1).flatMap(() => ["—", ""]),
  ];
  const agent = report.agent;
  if (agent !== undefined && agent !== null) {
    rows.push([
      "compiled agent, per input, excluding tools: overhead over the program's run",
      "≤ 50 µs",
      ...(agent.overheadUs === undefined
        ? missing(agent)
        : only({ measured: `${agent.overheadUs.toFixed(0)} µs`, met: agent.overheadUs <= 50 })),
    ]);
  }
  const cold = report.coldImport;
  if (cold !== undefined && cold !== null) {
    rows.push([
      'cold `import("ptc-lisp")` over bare `node`',
      "≤ 250 ms",
      ...(cold.overBareMs === undefined
        ? missing(cold)
        : only({ measured: `${cold.overBareMs.toFixed(0)} ms`, met: cold.overBareMs <= 250 })),
    ]);
  }
  const header = [
    "target (DESIGN section 10)",
    "goal",
    ...columns.flatMap((name) => [engineNamed(report, name).label, "met"]),
  ];
  return { header, rows };
}

function cellText(engine, id) {
  const cell = engine.cells[id];
  if (!cell) return engine.failed ? "failed" : "—";
  if (cell.error !== undefined) return "failed";
  if (cell.skipped !== undefined) return "not measured";
  const mark = cell.check ? " **wrong result**" : "";
  return `${formatMs(cell.median)} (${formatMs(cell.min)}–${formatMs(cell.max)})${mark}`;
}

/** "N× / M×": an engine's ratio to optimized and to fresh plain JavaScript; one ratio for fresh JS itself. */
function ratioText(report, engine, id) {
  const cell = engine.cells[id];
  if (!cell || cell.median === undefined) return cell?.skipped !== undefined ? "not measured" : "—";
  const optimized = formatRatio(ratioOf(report, engine.name, id, "median", OPTIMIZED));
  if (engine.name === FRESH) return optimized;
  return `${optimized} / ${formatRatio(ratioOf(report, engine.name, id, "median", FRESH))}`;
}

const NOTE_KEYS = { a: "abc", b: "abc", c: "abc", ga: "abc", gc: "abc", d: "d", e: "e", e2: "e2", f: "f", t: "t" };
const escapeCell = (text) => String(text).replaceAll("|", "\\|");

/** A Markdown table with its columns padded to equal width (as the project's formatter writes them). */
export function markdownTable(header, rows) {
  const cells = [header, ...rows].map((row) => row.map((cell) => escapeCell(cell)));
  const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => (row[column] ?? "").length)));
  const line = (row) => `| ${row.map((cell, column) => (cell ?? "").padEnd(widths[column])).join(" | ")} |`;
  const [head, ...body] = cells;
  return [line(head), line(widths.map((width) => "-".repeat(width))), ...body.map(line)];
}

/**
 * Lines on workload (t): ptc-lisp's interpreter time (`usage.ms`, tool waits excluded) next to
 * the wall time of its run and to plain JavaScript's loops. None when ptc-lisp did not run it.
 */
function toolCallLines(report) {
  const workload = report.workloads.find((entry) => entry.id === "t");
  const base = engineNamed(report, OPTIMIZED)?.cells.t;
  const fresh = engineNamed(report, FRESH)?.cells.t;
  const rows = [
    ["plain JS, optimized: the async loop compiled once", formatMs(base?.median)],
    ["plain JS, fresh: the async loop compiled per run", formatMs(fresh?.median)],
  ];
  const versus = (ms) => (base?.median ? ` (${formatRatio(ms / base.median)})` : "");
  const linear = [];
  for (const name of PTC_COLUMNS) {
    const engine = engineNamed(report, name);
    const cell = engine?.cells.t;
    if (!workload || cell?.median === undefined || cell.details?.interpreterMs === undefined) continue;
    const { interpreterMs, passes, restarts, perCallQuarterMs, perCallFullMs, quarterCalls } = cell.details;
    rows.push(
      [
        `${engine.label}: wall time of \`program.run\`, tool waits included`,
        `${formatMs(cell.median)}${versus(cell.median)}`,
      ],
      [`${engine.label}: interpreter time (\`usage.ms\`)`, `${formatMs(interpreterMs)}${versus(interpreterMs)}`],
    );
    linear.push(
      `${engine.label}: each run took ${passes ?? "?"} passes (stretches between tool rounds) and restarted ${restarts ?? "?"} time${restarts === 1 ? "" : "s"}; wall time per call ${formatMs(perCallQuarterMs)} ms with ${quarterCalls} calls, ${formatMs(perCallFullMs)} ms with 1,000.`,
    );
  }
  if (linear.length === 0) return [];
  return [
    "",
    "## Sequential tool calls",
    "",
    `${workload.label}: the median milliseconds per run of the loop. ptc-lisp's`,
    "interpreter time (`usage.ms`) counts its passes only; its wall time adds what happens between",
    "them: the tool's own time and the library's handling of each call (starting it with a timeout,",
    "copying the result into Lisp values, recording the trace). Ratios are to optimized plain JS.",
    "",
    ...markdownTable(["measure", "ms per run"], rows),
    "",
    "ptc-lisp runs it under the default limits. Linearity: the same loop with a quarter of the calls",
    "and with all of them, run alternately after the timing (median wall time of each).",
    "",
    ...linear.map((line) => `- ${line}`),
  ];
}

/** Lines on the compiled agent's overhead and the cold import, when measured. */
function agentAndImportLines(report) {
  const lines = [];
  const agent = report.agent;
  if (agent && agent.overheadUs !== undefined) {
    lines.push(
      "",
      "## Compiled agent and cold import",
      "",
      `Compiled agent (bench/compiled-overhead.ts, \`npm run bench:compiled\`; the example agent of examples/agent-definition.ts, 6 in-process tool calls per input; ${grouped(agent.runs)} inputs after ${agent.warmup} of warm-up, interleaved): \`compiled.execute(input)\` median ${agent.executeUs.toFixed(0)} µs; the same program run alone (\`program.run({data: input, tools})\`) ${agent.programRunUs.toFixed(0)} µs; the overhead is the median of the differences between neighbouring runs, ${agent.overheadUs.toFixed(0)} µs. \`agent.run(input)\` with a scripted model that answers at once (model time excluded): ${agent.agentRunUs.toFixed(0)} µs.`,
    );
  }
  const cold = report.coldImport;
  if (cold && cold.overBareMs !== undefined) {
    if (lines.length === 0) lines.push("", "## Compiled agent and cold import");
    lines.push(
      "",
      `Cold import: ${cold.runs} fresh \`node -e 'import("ptc-lisp")'\` processes in the repository (the package importing itself by name: dist/), interleaved with bare \`node -e ""\` ones: ${cold.importMs.toFixed(0)} ms against ${cold.bareMs.toFixed(0)} ms; over bare node (median of neighbouring differences) ${cold.overBareMs.toFixed(0)} ms. \`npm run bench:install\` measures the same from an installed tarball: [install-results.md](install-results.md).`,
    );
  }
  return lines;
}

/** The report as Markdown. */
export function renderMarkdown(report) {
  const { engines, workloads, machine, versions, rules, settings } = report;
  const lines = [];
  const labels = engines.map((engine) => engine.label);
  const compared = engines.filter((engine) => engine.name !== OPTIMIZED);
  const data = `${settings.count.toLocaleString("en-US")} synthetic orders from bench/data.mjs, seed ${settings.seed}`;
  const polluted = engineNamed(report, "ptc-lisp-polluted")?.process?.pollution;
  const targets = targetRows(report);
  lines.push("# Benchmark results", "");
  lines.push(
    `\`node bench/run.mjs${report.quick ? " --quick" : ""}${report.runs > 1 ? ` --runs ${report.runs}` : ""}\` on ${report.date.slice(0, 10)}: each engine in its own Node process,`,
    `the same data (${data}) and the same program per workload`,
    "(bench/workloads.mjs: Clojure for ptc-lisp and nbb, JavaScript for plain JS and QuickJS).",
    report.problems.length === 0
      ? "Every engine's results agree with plain JavaScript's (numbers within 1e-9 relative)."
      : `**${report.problems.length} problem(s)**: see the end of this file.`,
    "",
    `Machine: ${machine.cpu} ×${machine.cores}, ${machine.memoryGiB.toFixed(1)} GiB, ${machine.platform}; load average`,
    `(1 minute) ${machine.load.map((load) => load.toFixed(1)).join(" at the start, ")} at the end.`,
    `Versions: ${Object.entries(versions)
      .map(([name, version]) => `${name} ${version}`)
      .join("; ")}.`,
    "",
    "Columns: plain JS _optimized_ runs an unchanged source (V8 reuses its compilation and its",
    "optimized code); plain JS _fresh_ gives each iteration a unique source, so V8 parses, compiles",
    "and runs new code each time, as `evaluate` parses and analyzes each time. ptc-lisp in a _fresh_",
    "process: a new process for each workload, running only that workload. ptc-lisp in a _polluted_",
    `process: one process that first evaluated the conformance corpus${polluted ? ` (${grouped(polluted.programs)} programs, ${polluted.passes} pass${polluted.passes === 1 ? "" : "es"}, each through \`evaluate\` and \`compile\` + \`run\`, ${(polluted.ms / 1000).toFixed(1)} s)` : ""},`,
    "then runs every workload in turn. nbb as shipped turns some forms into JavaScript (SCI's code",
    "generator); nbb _interpreter_ sets `globalThis.SCI_DISABLE_JIT = true` before SCI loads.",
    "",
    "## ptc-lisp against the targets of DESIGN section 10",
    "",
    "All in this one run. (a) and (b) are judged against fresh JS (the optimized reference for (a)",
    "is bimodal: V8 inlines the callbacks or not), (c), (f) and (g) against optimized JS.",
    "",
    ...markdownTable(targets.header, targets.rows),
    "",
    "## Milliseconds per iteration",
    "",
    "Median (min–max) over the timed iterations.",
    "",
    ...markdownTable(
      ["workload", ...labels],
      workloads.map((workload) => [workload.label, ...engines.map((engine) => cellText(engine, workload.id))]),
    ),
    "",
    "## Ratios to plain JavaScript",
    "",
    "Each engine's median divided by optimized plain JS's / by fresh plain JS's.",
    "",
    ...markdownTable(
      ["workload", ...compared.map((engine) => engine.label)],
      workloads.map((workload) => [
        workload.label,
        ...compared.map((engine) => ratioText(report, engine, workload.id)),
      ]),
    ),
    "",
    "(e) and (e2) have no sandbox to start in plain JS, so their ratios say little; DESIGN",
    "section 10 sets absolute targets for (d) and (e).",
    ...toolCallLines(report),
    ...agentAndImportLines(report),
    "",
    "![Ratio to plain JavaScript per workload and engine](results.svg)",
    "",
    "## Process CPU time per iteration",
    "",
    "The median CPU time (user + system) of the engine's process per iteration, V8's helper threads",
    "included, and its ratio to optimized plain JavaScript's: steadier than wall-clock time when",
    "other work shares the machine.",
    "",
    ...markdownTable(
      ["workload", ...labels],
      workloads.map((workload) => [
        workload.label,
        ...engines.map((engine) => {
          const cell = engine.cells[workload.id];
          if (cell?.cpuMedian === undefined) return "—";
          if (engine.name === OPTIMIZED) return formatMs(cell.cpuMedian);
          return `${formatMs(cell.cpuMedian)} ${formatRatio(ratioOf(report, engine.name, workload.id, "cpuMedian"))}`;
        }),
      ]),
    ),
  );
  const extras = report.extras;
  if (extras && extras.error === undefined) {
    const rows = [
      [
        `programs compiled per second (${extras.mediumLines}-line program, \`compile\`)`,
        `${grouped(extras.compilesPerSecond)} /s (median ${formatMs(extras.compileMs.median)} ms, min–max ${formatMs(extras.compileMs.min)}–${formatMs(extras.compileMs.max)})`,
      ],
      [
        `runs per second, one compiled program run ${grouped(extras.reuseRuns)} times on ${settings.smallCount} orders`,
        `${grouped(extras.runsPerSecond)} /s (${formatMs(1000 / extras.runsPerSecond)} ms per run)`,
      ],
    ];
    if (extras.heapAllocatedPerRun !== undefined) {
      rows.push(
        ["heap allocated per run, garbage included (V8 heap use, GC profiler)", bytes(extras.heapAllocatedPerRun)],
        [
          `heap retained per run (growth after full GC, over ${grouped(extras.reuseRuns)} runs)`,
          bytes(extras.heapRetainedPerRun),
        ],
        [
          "the interpreter's own allocation estimate per run (`usage.allocations`)",
          bytes(extras.estimatedAllocationsPerRun),
        ],
      );
    }
    lines.push(
      "",
      "## ptc-lisp throughput and memory",
      "",
      "Measured in a fresh process.",
      "",
      ...markdownTable(["measure", "value"], rows),
      "",
      'The reused program: `(let [paid (filter #(= (:status %) "paid") data/orders)] {:count (count paid) :total (reduce + 0 (map :amount paid))})`.',
    );
  }
  lines.push(
    "",
    "## What each engine does in one iteration",
    "",
    ...markdownTable(
      ["workload", ...labels],
      workloads.map((workload) => [
        workload.label,
        ...engines.map((engine) => engine.notes[NOTE_KEYS[workload.id] ?? workload.id] ?? "—"),
      ]),
    ),
  );
  lines.push(
    "",
    "ptc-lisp runs with limits large enough not to trip (timeMs 60,000, fuel 1e9), except in (t),",
    "which runs under the default limits (1,000 tool calls, 1,000 ms of interpreter time); QuickJS",
    "with a 1 GiB memory limit, a 1 MiB stack and a 60 s deadline interrupt. nbb is not a sandbox.",
    "",
    "## Method",
    "",
    `- One Node process per engine (ptc-lisp in a fresh process: one per workload, and one for the throughput figures), started before its timing. The engines take turns workload by workload (each workload is timed on every engine, then the next workload), so that the engines in one row are timed close together under the same load; ${report.runs} run${report.runs === 1 ? "" : "s"} of every workload per engine, the engines' order rotating between runs. A cell's median is the median of the runs' medians; its min and max are over every timed sample.`,
    `- Per workload: warm-up until both ${rules.warmIterations} iterations and ${rules.warmMs} ms have passed, then timed samples until both ${rules.measureIterations} samples and ${rules.measureMs} ms have passed (or ${rules.maxIterations} samples or ${rules.maxMs} ms).`,
    `- An iteration shorter than ${rules.sampleMs} ms is timed in batches of back-to-back iterations lasting about ${rules.sampleMs} ms; such a sample is the batch's mean, so garbage collection and the clock's resolution are spread over it.`,
    "- Results are checked against optimized plain JavaScript's on the first and the last iteration; for (d), by running the 200-line program once with a call of each of its 20 functions. The group-by top 10 is compared as customer/count/total.",
    '- Workload (f) reads a JSON text of `{"orders": [...]}`; (a), (b) and (g) use data ingested once before timing.',
    "- Workload (t) reads no data: its tool `rows` returns a fresh shallow copy of 100 prebuilt rows `{id, score, name}` per call (bench/workloads.mjs), in the engines that run it.",
    "- After the workloads: the compiled agent's overhead (bench/compiled-overhead.ts, in its own process) and the cold import (fresh processes), one after the other.",
    "- Knobs: `node bench/run.mjs --runs 3`; environment BENCH_WARM_IT, BENCH_WARM_MS, BENCH_MEAS_IT, BENCH_MEAS_MS, BENCH_MAX_IT, BENCH_MAX_MS, BENCH_SAMPLE_MS (bench/timing.mjs).",
    "- Installed size and cold import from an installed tarball: `npm run bench:install` writes [install-results.md](install-results.md).",
  );
  if (report.problems.length > 0) {
    lines.push("", "## Problems", "", ...report.problems.map((problem) => `- ${escapeCell(problem)}`));
  }
  return `${lines.join("\n")}\n`;
}

const COLORS = {
  "ptc-lisp": "#2563eb",
  "ptc-lisp-polluted": "#93c5fd",
  nbb: "#ea580c",
  "nbb-interpreter": "#fdba74",
  quickjs: "#16a34a",
};

const xml = (text) =>
  String(text).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/**
 * The ratios to plain JavaScript as horizontal bars on a logarithmic axis, one group per
 * workload, one bar per engine other than the references, drawn from the 1× line: against fresh
 * plain JavaScript for the workloads judged against it ((a), (b)), against optimized plain
 * JavaScript for the others; ptc-lisp's targets as marks across its two bars.
 */
export function renderSvg(report) {
  const engines = report.engines.filter((engine) => !engine.reference);
  const rows = report.workloads.map((workload) => ({
    workload,
    bars: engines.map((engine) => ({
      engine,
      ratio: ratioOf(report, engine.name, workload.id, "median", judgedAgainst(workload)),
    })),
    target: targetRatio(report, workload),
  }));
  const marked = engines.filter((engine) => PTC_COLUMNS.includes(engine.name)).length;
  const ratios = rows.flatMap((row) => [...row.bars.map((bar) => bar.ratio), row.target ?? 1]).filter(Number.isFinite);
  const low = Math.floor(Math.log10(Math.min(1, ...ratios)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(1, ...ratios))));
  const width = 960;
  const left = 330;
  const right = width - 70;
  const barHeight = 14;
  const groupGap = 14;
  const top = 78;
  const groupHeight = engines.length * barHeight + groupGap;
  const plotBottom = top + rows.length * groupHeight;
  const height = plotBottom + 74;
  const x = (ratio) => left + ((Math.log10(ratio) - low) / (high - low)) * (right - left);
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12" role="img" aria-labelledby="chart-title">`,
    `<title id="chart-title">ptc-lisp, nbb (SCI) and QuickJS: time per workload relative to plain JavaScript</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="bold">Time relative to plain JS (1× = fresh JS for (a) and (b), optimized JS for the rest; log scale)</text>`,
  );
  let legendX = 16;
  for (const engine of engines) {
    out.push(
      `<rect x="${legendX}" y="40" width="12" height="12" fill="${COLORS[engine.name] ?? "#6b7280"}"/>`,
      `<text x="${legendX + 18}" y="50">${xml(engine.label)}</text>`,
    );
    legendX += Math.round(24 + engine.label.length * 6.2);
  }
  out.push(
    `<line x1="${legendX}" y1="38" x2="${legendX}" y2="54" stroke="#dc2626" stroke-width="2" stroke-dasharray="3,2"/>`,
    `<text x="${legendX + 8}" y="50">ptc-lisp target</text>`,
  );
  for (let power = low; power <= high; power++) {
    for (const step of [1, 2, 5]) {
      const ratio = step * 10 ** power;
      if (power === high && step > 1) continue;
      const position = x(ratio).toFixed(1);
      const major = step === 1;
      out.push(
        `<line x1="${position}" y1="${top - 6}" x2="${position}" y2="${plotBottom}" stroke="${ratio === 1 ? "#111827" : major ? "#d1d5db" : "#f3f4f6"}" stroke-width="${ratio === 1 ? 1.5 : 1}"/>`,
      );
      if (major || high - low <= 2) {
        out.push(
          `<text x="${position}" y="${plotBottom + 16}" text-anchor="middle" fill="#374151">${axisLabel(ratio)}</text>`,
        );
      }
    }
  }
  rows.forEach((row, index) => {
    const groupTop = top + index * groupHeight;
    out.push(
      `<text x="${left - 10}" y="${groupTop + (engines.length * barHeight) / 2 + 4}" text-anchor="end">${xml(row.workload.label)}</text>`,
    );
    row.bars.forEach((bar, barIndex) => {
      const y = groupTop + barIndex * barHeight;
      if (!Number.isFinite(bar.ratio)) {
        const skipped = bar.engine.cells[row.workload.id]?.skipped !== undefined;
        out.push(
          `<text x="${x(1) + 4}" y="${y + barHeight - 3}" fill="#6b7280">${skipped ? "not measured" : "no result"}</text>`,
        );
        return;
      }
      const from = Math.min(x(1), x(bar.ratio));
      const length = Math.max(1, Math.abs(x(bar.ratio) - x(1)));
      const color = COLORS[bar.engine.name] ?? "#6b7280";
      out.push(
        `<rect x="${from.toFixed(1)}" y="${y + 1}" width="${length.toFixed(1)}" height="${barHeight - 2}" fill="${color}"><title>${xml(`${bar.engine.label}: ${formatRatio(bar.ratio)}`)}</title></rect>`,
      );
      let labelX = bar.ratio >= 1 ? from + length + 4 : from - 4;
      // Keep the first bar's label clear of the target mark drawn across it.
      const mark = barIndex < marked && row.target !== null && Number.isFinite(row.target) ? x(row.target) : null;
      if (mark !== null && bar.ratio >= 1 && labelX <= mark + 3 && labelX + 36 >= mark) labelX = mark + 5;
      out.push(
        `<text x="${labelX.toFixed(1)}" y="${y + barHeight - 3}" font-size="11" text-anchor="${bar.ratio >= 1 ? "start" : "end"}" fill="#111827">${formatRatio(bar.ratio)}</text>`,
      );
    });
    if (row.target !== null && Number.isFinite(row.target)) {
      const position = x(row.target).toFixed(1);
      out.push(
        `<line x1="${position}" y1="${groupTop - 2}" x2="${position}" y2="${groupTop + Math.max(1, marked) * barHeight + 1}" stroke="#dc2626" stroke-width="2" stroke-dasharray="3,2"/>`,
      );
    }
  });
  const { machine, versions } = report;
  const footer = `${machine.cpu} ×${machine.cores}; ${Object.entries(versions)
    .map(([name, version]) => `${name} ${String(version).split(/,| \(/)[0]}`)
    .join(", ")}; ${report.date.slice(0, 10)}`;
  out.push(
    `<text x="16" y="${plotBottom + 40}" fill="#374151">${xml(footer)}</text>`,
    `<text x="16" y="${plotBottom + 58}" fill="#374151">Median ms per iteration divided by plain JavaScript's; figures in bench/results.md.</text>`,
    "</svg>",
  );
  return `${out.join("\n")}\n`;
}

/** An axis tick: "0.1×", "1×", "20×". */
const axisLabel = (ratio) => `${Number(ratio.toPrecision(1))}×`;

/** ptc-lisp's target for a workload as a ratio to its reference (a ms target divided by the reference's median). */
function targetRatio(report, workload) {
  if (!workload.target) return null;
  if (workload.target.ratio !== undefined) return workload.target.ratio;
  const base = engineNamed(report, judgedAgainst(workload))?.cells[workload.id];
  return base?.median ? workload.target.ms / base.median : null;
}
