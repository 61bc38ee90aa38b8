// The playground page: compiles and runs a program in the page with the browser bundle of
// ptc-lisp/core. The interpreter shares the page's thread, so the run limits below are what
// keeps a hostile program (an endless loop, a huge value) from freezing the tab.
import {
  compile,
  DEFAULT_LIMITS,
  type Diagnostic,
  estimateCost,
  formatDiagnostic,
  type Limits,
  printValue,
} from "../../src/core.js";

/** Budgets of one run; the rest are DEFAULT_LIMITS. timeMs bounds how long a run holds the page. */
const LIMITS: Required<Limits> = {
  ...DEFAULT_LIMITS,
  timeMs: 1000,
  memoryBytes: 64 * 1024 * 1024,
  outputBytes: 64 * 1024,
};

/** Longest printed value shown; longer ones are cut with `...`. */
const MAX_VALUE_CHARS = 100_000;

const EXAMPLE_PROGRAM = `;; Revenue per region from the paid orders, largest first.
(def paid (filter #(= "paid" (:status %)) data/orders))

(println "paid orders:" (count paid) "of" (count data/orders))

(->> paid
     (group-by :region)
     (map (fn [[region orders]]
            {:region region
             :revenue (sum-by :amount orders)}))
     (sort-by :revenue >))`;

const EXAMPLE_DATA = `{
  "orders": [
    {"id": 1, "region": "west", "status": "paid", "amount": 120},
    {"id": 2, "region": "east", "status": "paid", "amount": 80.5},
    {"id": 3, "region": "west", "status": "refunded", "amount": 42},
    {"id": 4, "region": "north", "status": "paid", "amount": 310},
    {"id": 5, "region": "east", "status": "paid", "amount": 64}
  ]
}`;

function element<T extends HTMLElement>(id: string, type: { new (): T; prototype: T }): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`the page has no <${type.name}> #${id}`);
  return found;
}

const page = {
  main: element("main", HTMLElement),
  program: element("program", HTMLTextAreaElement),
  data: element("data", HTMLTextAreaElement),
  run: element("run", HTMLButtonElement),
  limits: element("limits", HTMLElement),
  status: element("status", HTMLElement),
  value: element("value", HTMLPreElement),
  prints: element("prints", HTMLPreElement),
  diagnostics: element("diagnostics", HTMLElement),
  cost: element("cost", HTMLElement),
};

type DataResult = { ok: true; data: Record<string, unknown> } | { ok: false; message: string };

function parseData(text: string): DataResult {
  if (text.trim() === "") return { ok: true, data: {} };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `The data is not valid JSON: ${error instanceof Error ? error.message : error}` };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return { ok: false, message: "The data must be a JSON object: each key is read as data/key." };
  }
  return { ok: true, data: data as Record<string, unknown> };
}

/**
 * Sizes for the cost estimate, named as estimateCost names them: `orders` for a list under a
 * key, `orders.items` for lists inside its elements (the largest, an upper bound per element).
 */
function sizesOf(data: Record<string, unknown>): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!Array.isArray(value)) continue;
    sizes[key] = value.length;
    for (const item of value) {
      if (item === null || typeof item !== "object" || Array.isArray(item)) continue;
      for (const [field, inner] of Object.entries(item)) {
        if (!Array.isArray(inner)) continue;
        const name = `${key}.${field}`;
        sizes[name] = Math.max(sizes[name] ?? 0, inner.length);
      }
    }
  }
  return sizes;
}

const CARET_LINE = /^\s*\^+$/;

/** formatDiagnostic's text, with the code marked and the caret line set apart. */
function diagnosticBlock(diagnostic: Diagnostic, source: string): HTMLElement {
  const block = document.createElement("pre");
  block.className = `diagnostic ${diagnostic.severity === "warning" ? "warning" : "error"}`;
  block.dataset["code"] = diagnostic.code;
  const lines = formatDiagnostic(diagnostic, source).split("\n");
  lines.forEach((line, index) => {
    if (index > 0) block.append("\n");
    const marker = `[${diagnostic.code}]`;
    const at = index === 0 ? line.indexOf(marker) : -1;
    if (at >= 0) {
      const code = document.createElement("mark");
      code.className = "diagnostic-code";
      code.textContent = diagnostic.code;
      block.append(line.slice(0, at + 1), code, line.slice(at + marker.length - 1));
    } else if (CARET_LINE.test(line)) {
      const caret = document.createElement("span");
      caret.className = "caret";
      caret.textContent = line;
      block.append(caret);
    } else {
      block.append(line);
    }
  });
  return block;
}

function showDiagnostics(diagnostics: readonly Diagnostic[], source: string): void {
  page.diagnostics.replaceChildren(...diagnostics.map((diagnostic) => diagnosticBlock(diagnostic, source)));
  if (diagnostics.length === 0) page.diagnostics.replaceChildren(note("None."));
}

function note(text: string): HTMLElement {
  const paragraph = document.createElement("p");
  paragraph.className = "note";
  paragraph.textContent = text;
  return paragraph;
}

function showCost(source: string, sizes: Record<string, number>): void {
  const estimate = estimateCost(source, { sizes });
  const given = Object.entries(sizes).map(([name, size]) => `|${name}| = ${format(size)}`);
  const rows: [string, string][] = [
    ["Evaluation steps", withValue(estimate.steps, sizes)],
    ["Tool calls", withValue(estimate.parallel.totalCalls, sizes)],
    ["Weighted total", format(estimate.total)],
    ["Sizes from the data", given.length > 0 ? given.join(", ") : "none (unknown sizes count as 10)"],
  ];
  const list = document.createElement("dl");
  list.id = "cost-summary";
  for (const [term, value] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = value;
    list.append(dt, dd);
  }
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "Line by line";
  const explain = document.createElement("pre");
  explain.id = "cost-explain";
  explain.textContent = estimate.explain();
  details.append(summary, explain);
  page.cost.replaceChildren(list, details);
}

/** An expression of sizes and its value under them, or just the value when it is a constant. */
function withValue(expression: ReturnType<typeof estimateCost>["steps"], sizes: Record<string, number>): string {
  const value = format(expression.evaluate(sizes));
  const text = expression.toString();
  return text === value ? value : `${text} = ${value}`;
}

function format(value: number): string {
  return Number(value.toFixed(3)).toLocaleString("en-US");
}

function setStatus(text: string, state: "ok" | "error" | "running"): void {
  page.status.textContent = text;
  page.status.dataset["state"] = state;
}

function clearOutput(): void {
  page.value.textContent = "";
  page.prints.textContent = "";
  page.diagnostics.replaceChildren();
  page.cost.replaceChildren();
}

async function run(): Promise<void> {
  const source = page.program.value;
  clearOutput();
  const data = parseData(page.data.value);
  if (!data.ok) {
    setStatus(data.message, "error");
    return;
  }
  // No tools: with an empty set given, a tool call is a compile error with a caret.
  const compiled = compile(source, { tools: {} });
  if (!compiled.ok) {
    const count = compiled.diagnostics.length;
    setStatus(`Did not compile: ${count} diagnostic${count === 1 ? "" : "s"}.`, "error");
    showDiagnostics(compiled.diagnostics, source);
    page.cost.replaceChildren(note("No estimate: the program does not compile."));
    return;
  }
  showCost(source, sizesOf(data.data));
  const result = await compiled.program.run({ data: data.data, limits: LIMITS });
  const usage = `${format(result.usage.ms)} ms, ${format(result.usage.fuel)} steps`;
  page.prints.textContent = result.prints.join("\n");
  if (result.ok) {
    page.value.textContent = printValue(result.value, true, { maxChars: MAX_VALUE_CHARS });
    showDiagnostics(compiled.diagnostics, source);
    setStatus(`Ran in ${usage}.`, "ok");
  } else {
    if (result.value !== undefined)
      page.value.textContent = printValue(result.value, true, { maxChars: MAX_VALUE_CHARS });
    showDiagnostics([...compiled.diagnostics, result.error], source);
    setStatus(`Failed with ${result.error.code} after ${usage}.`, "error");
  }
}

let runs = 0;

async function runOnce(): Promise<void> {
  if (page.run.disabled) return;
  page.run.disabled = true;
  setStatus("Running...", "running");
  // Yield once so the status can show before the interpreter takes the thread.
  await new Promise((resolve) => setTimeout(resolve, 0));
  try {
    await run();
  } catch (error) {
    setStatus(`The playground failed: ${error instanceof Error ? error.message : String(error)}`, "error");
  } finally {
    page.run.disabled = false;
    page.main.dataset["runs"] = String(++runs);
  }
}

page.limits.textContent =
  `Limits per run: ${format(LIMITS.timeMs)} ms, ${format(LIMITS.fuel)} steps, ` +
  `${LIMITS.memoryBytes / (1024 * 1024)} MiB, call depth ${format(LIMITS.depth)}, ` +
  `${LIMITS.outputBytes / 1024} KiB printed.`;
page.program.value = EXAMPLE_PROGRAM;
page.data.value = EXAMPLE_DATA;
page.run.addEventListener("click", () => void runOnce());
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    void runOnce();
  }
});
void runOnce();
