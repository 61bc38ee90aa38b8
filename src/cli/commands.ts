import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { formatMessage } from "../errors/codes.js";
import { makeDiagnostic } from "../errors/errors.js";
import {
  analyzes,
  type CostExpr,
  compile,
  DEFAULT_LIMITS,
  type Diagnostic,
  estimateCost,
  formatDiagnostic,
  isFunction,
  isLoop,
  type Limits,
  maxCost,
  onlyTools,
  parses,
  printBounded,
  propertyCheck,
  type RunResult,
  type Tools,
  typeChecks,
  type Verifier,
  verify,
} from "../index.js";
import { AGENT_FILE_HELP } from "./agent/agent-file.js";
import { agentCommand } from "./commands/agent.js";
import { docCommand } from "./commands/doc.js";
import { promptCommand } from "./commands/prompt.js";
import { loadData, loadTools, parseLimits, parseSignatureFlag, parseSizes, readStream, readText } from "./inputs.js";
import { CliFailure, type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, firstSentence, plural, writeJson } from "./io.js";
import { printJson } from "./print-json.js";
import { needsMoreInput, ReplSession } from "./repl.js";

export { parseLimits, parseSizes } from "./inputs.js";
export { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./io.js";

export const USAGE = `Usage: ptc <command> [options]

Commands:
  eval <source>       Run PTC-Lisp source given as an argument
  run <file>          Run a PTC-Lisp file ("-" reads it from standard input)
  check <file>...     Parse and analyze files without running them; print every diagnostic
  repl                Read, evaluate and print interactively
  cost <file>         Estimate the program's cost without running it, line by line
  verify <file>       Run verifiers over a program; exit 1 when any fails
  doc [name]          Print the language reference, or one function's or form's documentation
  prompt <agent>      Print an agent's first prompt with token estimates per section
  agent compile <agent>   Compile an agent into one verified program and cache it
  agent run <agent>       Run an agent's loop on one input (--input)
  agent exec <agent>      Execute the compiled program on many inputs, no model writing code
                      ('ptc agent --help' for their options)

Options:
  --data <file|->     JSON input the program reads as data/... ("-" reads standard input)
  --input <file>      JSON input of the agent (prompt)
  --json              Print one JSON document on standard output and nothing else: for eval and run
                      {ok, value | error, prints, diagnostics, usage}; for check {ok, files}; the
                      report of doc, prompt, cost, verify and agent
  --limit <name=n>    Set a run limit; repeatable. Names: ${Object.keys(DEFAULT_LIMITS).join(", ")}
  --signature <sig>   The program's signature, e.g. "(orders [{id :int}]) -> :int": type-checked before the
                      run, the input data and the result validated by it (eval, run, check, cost, verify)
  --size <name=n>     Size of an input list for cost, e.g. --size orders=1000; repeatable (cost, verify)
  --tools <file>      The tools the program may call (eval, run, check, cost, verify); calls to any other
                      are compile errors. Either JSON declarations
                      {name: {signature, description, cost, kind}}, each a stub answering values of its
                      output type, or a .js/.mjs module whose default export is a tools object (a .ts
                      module through your own loader, e.g. node --import tsx)
  --verifier <name>   Verifier to run (verify; repeatable): parses, analyzes, typeChecks, isFunction,
                      isLoop, onlyTools, maxCost=<n>, propertyCheck[=<runs>]. Default: parses,
                      analyzes, and typeChecks
                      when --signature is given, onlyTools when --tools is given
  -h, --help          Show this help
  -v, --version       Show the version

${AGENT_FILE_HELP}

Without --tools, programs run without tools: a (tool/...) call fails with unknown_tool.
Exit status: 0 success, 1 the program or its input failed, 2 wrong usage.
`;

const RUN_OPTIONS = {
  signature: { type: "string" },
  size: { type: "string", multiple: true },
  tools: { type: "string" },
  verifier: { type: "string", multiple: true },
  data: { type: "string" },
  input: { type: "string" },
  json: { type: "boolean" },
  limit: { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
} as const;

type Flags = {
  data?: string;
  input?: string;
  json?: boolean;
  limit?: string[];
  help?: boolean;
  signature?: string;
  size?: string[];
  tools?: string;
  verifier?: string[];
};

/**
 * Runs the `ptc` command line: `argv` without the node and script paths. Returns the exit
 * status; never throws for a fault of the user's input.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        throw new CliFailure("no command given", EXIT_USAGE);
      case "-h":
      case "--help":
      case "help":
        io.stdout.write(USAGE);
        return EXIT_OK;
      case "-v":
      case "--version":
        io.stdout.write(`${packageVersion()}\n`);
        return EXIT_OK;
      case "eval":
        return await evalCommand(rest, io);
      case "run":
        return await runCommand(rest, io);
      case "check":
        return await checkCommand(rest, io);
      case "repl":
        return await replCommand(rest, io);
      case "cost":
        return await costCommand(rest, io);
      case "verify":
        return await verifyCommand(rest, io);
      case "doc": {
        const parsed = parse(rest);
        if (parsed.flags.help) return help(io);
        checkShape("doc", parsed, { positionals: "at most one name", min: 0, max: 1, flags: ["json"] });
        return docCommand(parsed.positionals[0], parsed.flags.json === true, io);
      }
      case "prompt": {
        const parsed = parse(rest);
        if (parsed.flags.help) return help(io);
        checkShape("prompt", parsed, { positionals: "one agent file", min: 1, max: 1, flags: ["input", "json"] });
        return await promptCommand(parsed.positionals[0] as string, parsed.flags.input, parsed.flags.json === true, io);
      }
      case "agent":
        return await agentCommand(rest, io);
      default:
        throw new CliFailure(`unknown command ${JSON.stringify(command)}`, EXIT_USAGE);
    }
  } catch (error) {
    if (!(error instanceof CliFailure)) {
      // A fault of the library itself: reported in one line, never as a host stack trace.
      io.stderr.write(`ptc: ${formatMessage("internal_error")}\n`);
      return EXIT_FAILURE;
    }
    const pointer = error.exitCode === EXIT_USAGE ? ` (run 'ptc --help' for usage)` : "";
    io.stderr.write(`ptc: ${error.message}${pointer}\n`);
    return error.exitCode;
  }
}

function parse(args: readonly string[]): { flags: Flags; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: RUN_OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    return { flags: values, positionals };
  } catch (error) {
    throw new CliFailure(firstSentence(error instanceof Error ? error.message : String(error)), EXIT_USAGE);
  }
}

/** Checks that a command got exactly the flags and positionals it understands. */
function checkShape(
  name: string,
  parsed: { flags: Flags; positionals: string[] },
  shape: { positionals: string; min: number; max: number; flags: readonly (keyof Flags)[] },
): void {
  for (const flag of ["data", "input", "json", "limit", "signature", "size", "tools", "verifier"] as const) {
    if (parsed.flags[flag] !== undefined && !shape.flags.includes(flag)) {
      throw new CliFailure(`${name} does not take --${flag}`, EXIT_USAGE);
    }
  }
  const count = parsed.positionals.length;
  if (count < shape.min || count > shape.max) {
    throw new CliFailure(`${name} takes ${shape.positionals}`, EXIT_USAGE);
  }
}

async function evalCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse(args);
  if (parsed.flags.help) return help(io);
  checkShape("eval", parsed, {
    positionals: "one source argument",
    min: 1,
    max: 1,
    flags: ["data", "json", "limit", "signature", "tools"],
  });
  return runSource(parsed.positionals[0] as string, undefined, parsed.flags, io);
}

async function runCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse(args);
  if (parsed.flags.help) return help(io);
  checkShape("run", parsed, {
    positionals: "one file",
    min: 1,
    max: 1,
    flags: ["data", "json", "limit", "signature", "tools"],
  });
  const file = parsed.positionals[0] as string;
  if (file === "-" && parsed.flags.data === "-") {
    throw new CliFailure("the program and --data cannot both come from standard input", EXIT_USAGE);
  }
  const source = file === "-" ? await readStream(io.stdin) : await readText(file, io);
  return runSource(source, file === "-" ? undefined : file, parsed.flags, io);
}

async function checkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse(args);
  if (parsed.flags.help) return help(io);
  checkShape("check", parsed, {
    positionals: "one or more files",
    min: 1,
    max: Number.POSITIVE_INFINITY,
    flags: ["json", "signature", "tools"],
  });
  const signature = parseSignatureFlag(parsed.flags.signature);
  const tools = parsed.flags.tools === undefined ? undefined : await loadTools(parsed.flags.tools, io);
  if (parsed.flags.json) {
    const files = [];
    for (const file of parsed.positionals) {
      const source = await readText(file, io);
      const result = compile(source, { ...(signature ? { signature } : {}), ...(tools ? { tools } : {}) });
      files.push({ file, ok: result.ok, diagnostics: result.diagnostics });
    }
    const ok = files.every((entry) => entry.ok);
    writeJson(io, { ok, files });
    return ok ? EXIT_OK : EXIT_FAILURE;
  }
  let failed = false;
  for (const file of parsed.positionals) {
    const source = await readText(file, io);
    const result = compile(source, { ...(signature ? { signature } : {}), ...(tools ? { tools } : {}) });
    writeDiagnostics(io, result.diagnostics, source, file);
    const errors = result.diagnostics.filter((d) => d.severity !== "warning").length;
    const warnings = result.diagnostics.length - errors;
    if (!result.ok) {
      failed = true;
      io.stderr.write(
        `${file}: ${plural(Math.max(errors, 1), "error")}${warnings > 0 ? `, ${plural(warnings, "warning")}` : ""}\n`,
      );
    } else {
      io.stdout.write(`${file}: ok${warnings > 0 ? ` (${plural(warnings, "warning")})` : ""}\n`);
    }
  }
  return failed ? EXIT_FAILURE : EXIT_OK;
}

async function costCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse(args);
  if (parsed.flags.help) return help(io);
  checkShape("cost", parsed, {
    positionals: "one file",
    min: 1,
    max: 1,
    flags: ["json", "signature", "size", "tools"],
  });
  const file = parsed.positionals[0] as string;
  const json = parsed.flags.json === true;
  const source = await readText(file, io);
  const sizes = parseSizes(parsed.flags.size);
  const tools = parsed.flags.tools === undefined ? undefined : await loadTools(parsed.flags.tools, io);
  const compiled = compile(source);
  if (!compiled.ok) {
    if (json) writeJson(io, { ok: false, diagnostics: compiled.diagnostics });
    else writeDiagnostics(io, compiled.diagnostics, source, file);
    return EXIT_FAILURE;
  }
  const estimate = estimateCost(source, { sizes, ...(tools ? { tools } : {}) });
  if (!json) {
    io.stdout.write(`${estimate.explain()}\n`);
    return EXIT_OK;
  }
  const term = (expr: CostExpr) => ({ expression: expr.toString(), value: expr.evaluate(sizes) });
  writeJson(io, {
    ok: true,
    total: estimate.total,
    sizes,
    toolCalls: Object.fromEntries(Object.entries(estimate.toolCalls).map(([name, expr]) => [name, term(expr)])),
    llmCalls: term(estimate.llmCalls),
    steps: term(estimate.steps),
    parallel: { totalCalls: term(estimate.parallel.totalCalls), criticalPath: term(estimate.parallel.criticalPath) },
    assumed: estimate.assumed,
    explanation: estimate.explain(),
    diagnostics: compiled.diagnostics,
  });
  return EXIT_OK;
}

async function verifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse(args);
  if (parsed.flags.help) return help(io);
  checkShape("verify", parsed, {
    positionals: "one file",
    min: 1,
    max: 1,
    flags: ["json", "signature", "size", "tools", "verifier"],
  });
  const file = parsed.positionals[0] as string;
  const source = await readText(file, io);
  const tools = parsed.flags.tools === undefined ? undefined : await loadTools(parsed.flags.tools, io);
  const names = parsed.flags.verifier ?? [
    "parses",
    "analyzes",
    ...(parsed.flags.signature ? ["typeChecks"] : []),
    ...(tools ? ["onlyTools"] : []),
  ];
  const verifiers = names.map((name) => verifierNamed(name, tools));
  const report = await verify(source, verifiers, {
    ...(parsed.flags.signature ? { signature: parsed.flags.signature } : {}),
    ...(tools ? { tools } : {}),
    sizes: parseSizes(parsed.flags.size),
  });
  if (parsed.flags.json) {
    writeJson(io, {
      ...report,
      passed: report.results.length - report.failures.length,
      failed: report.failures.length,
    });
    return report.ok ? EXIT_OK : EXIT_FAILURE;
  }
  for (const result of report.results) {
    if (result.ok) {
      io.stdout.write(`ok    ${result.verifier}\n`);
      continue;
    }
    const where = result.span ? ` (line ${result.span.line}, column ${result.span.column})` : "";
    io.stdout.write(`FAIL  ${result.verifier} [${result.code}]${where}: ${result.message}\n`);
  }
  io.stdout.write(`${report.results.length - report.failures.length} passed, ${report.failures.length} failed\n`);
  return report.ok ? EXIT_OK : EXIT_FAILURE;
}

function verifierNamed(name: string, tools: Tools | undefined): Verifier {
  const [base, argument] = name.split("=", 2) as [string, string | undefined];
  switch (base) {
    case "parses":
      return parses;
    case "analyzes":
      return analyzes;
    case "typeChecks":
      return typeChecks;
    case "isFunction":
      return isFunction;
    case "isLoop":
      return isLoop;
    case "propertyCheck": {
      const runs = argument === undefined ? 50 : Number(argument);
      if (!Number.isInteger(runs) || runs <= 0)
        throw new CliFailure("--verifier propertyCheck=<runs> needs a positive integer", EXIT_USAGE);
      return propertyCheck({ runs });
    }
    case "onlyTools":
      return onlyTools(Object.keys(tools ?? {}));
    case "maxCost": {
      const limit = Number(argument);
      if (argument === undefined || !Number.isFinite(limit))
        throw new CliFailure("--verifier maxCost needs a number: maxCost=<n>", EXIT_USAGE);
      return maxCost(limit);
    }
    default:
      throw new CliFailure(`unknown verifier ${JSON.stringify(name)}`, EXIT_USAGE);
  }
}

async function replCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse(args);
  if (parsed.flags.help) return help(io);
  checkShape("repl", parsed, { positionals: "no arguments", min: 0, max: 0, flags: ["data", "limit"] });
  if (parsed.flags.data === "-")
    throw new CliFailure("repl reads its input from standard input; give --data a file", EXIT_USAGE);
  const data = await loadData(parsed.flags.data, io);
  const limits = parseLimits(parsed.flags.limit);
  const session = new ReplSession({ data, ...(limits === undefined ? {} : { limits }) });
  const interactive = io.stdin.isTTY === true;
  const lines = createInterface({
    input: io.stdin,
    crlfDelay: Number.POSITIVE_INFINITY,
    ...(interactive ? { output: io.stdout, terminal: true } : { terminal: false }),
  });
  let buffer = "";
  let dropped = "";
  const prompt = () => {
    if (!interactive) return;
    lines.setPrompt(buffer === "" ? "ptc=> " : "  ... ");
    lines.prompt();
  };
  lines.on("SIGINT", () => {
    // Ctrl-C drops a half-typed form; on an empty prompt it leaves.
    if (buffer === "" && lines.line === "") {
      lines.close();
      return;
    }
    buffer = "";
    io.stdout.write("\n");
    lines.write(null, { ctrl: true, name: "e" });
    lines.write(null, { ctrl: true, name: "u" });
    // A dumb terminal (TERM=dumb) has no line editing: the typed text stays in readline's line,
    // so it is dropped from the front of the next line instead.
    dropped = lines.line;
    prompt();
  });
  const evaluate = async (source: string) => {
    const output = await session.evaluate(source);
    for (const line of output.stdout) io.stdout.write(`${line}\n`);
    for (const text of output.stderr) io.stderr.write(`${text}\n`);
  };
  prompt();
  for await (const entered of lines) {
    const line = dropped !== "" && entered.startsWith(dropped) ? entered.slice(dropped.length) : entered;
    dropped = "";
    if (buffer === "") {
      const trimmed = line.trim();
      if (trimmed === "") {
        prompt();
        continue;
      }
      if (trimmed === ":quit" || trimmed === ":exit") break;
    }
    buffer = buffer === "" ? line : `${buffer}\n${line}`;
    if (needsMoreInput(buffer)) {
      prompt();
      continue;
    }
    const source = buffer;
    buffer = "";
    await evaluate(source);
    prompt();
  }
  lines.close();
  // Input that ended inside an open form is still evaluated, so its error is shown.
  if (buffer.trim() !== "") await evaluate(buffer);
  if (interactive) io.stdout.write("\n");
  return EXIT_OK;
}

async function runSource(source: string, file: string | undefined, flags: Flags, io: CliIo): Promise<number> {
  const signature = parseSignatureFlag(flags.signature);
  const tools = flags.tools === undefined ? undefined : await loadTools(flags.tools, io);
  const data = await loadData(flags.data, io);
  const limits = parseLimits(flags.limit);
  const compiled = compile(source, {
    ...(limits?.sourceChars === undefined ? {} : { maxSourceChars: limits.sourceChars }),
    ...(signature ? { signature } : {}),
    ...(tools ? { tools } : {}),
  });
  if (flags.json && !compiled.ok) {
    writeJson(io, { ok: false, prints: [], diagnostics: compiled.diagnostics, usage: null });
    return EXIT_FAILURE;
  }
  if (!flags.json) writeDiagnostics(io, compiled.diagnostics, source, file);
  if (!compiled.ok) return EXIT_FAILURE;
  const result = await compiled.program.run({
    data,
    ...(limits === undefined ? {} : { limits }),
    ...(tools ? { tools } : {}),
  });
  if (flags.json) return writeRunJson(io, result, compiled.diagnostics, limits);
  let printed = 0;
  for (const line of result.prints) {
    io.stdout.write(`${line}\n`);
    printed += line.length + 1;
  }
  if (!result.ok) {
    writeDiagnostics(io, [result.error], source, file);
    return EXIT_FAILURE;
  }
  // The printed result counts against outputBytes, with the println lines before it.
  const room = Math.max(0, (limits?.outputBytes ?? DEFAULT_LIMITS.outputBytes) - printed);
  const text = printBounded(result.value, room);
  if (text === undefined) {
    const reason = `the result is more than ${room} characters to print`;
    writeDiagnostics(
      io,
      [{ ...makeDiagnostic("host_limit", { limit: "output", reason }), limit: "output" }],
      source,
      file,
    );
    return EXIT_FAILURE;
  }
  io.stdout.write(`${text}\n`);
  return EXIT_OK;
}

/**
 * `eval`/`run --json`: one JSON document, `{ok, value, prints, diagnostics, usage}` (on failure
 * `error` instead of `value`, and exit 1). The value counts against `outputBytes` with the
 * printed lines, as without `--json`; one too large to print is a `limit_exceeded` failure.
 */
function writeRunJson(
  io: CliIo,
  result: RunResult,
  warnings: readonly Diagnostic[],
  limits: Limits | undefined,
): number {
  const usage = { ...result.usage, toolCalls: result.toolCalls.length };
  const base = { prints: result.prints, diagnostics: result.ok ? warnings : [...warnings, result.error], usage };
  if (!result.ok) {
    writeJson(io, { ok: false, error: result.error, ...base });
    return EXIT_FAILURE;
  }
  const printed = result.prints.reduce((sum, line) => sum + line.length + 1, 0);
  const room = Math.max(0, (limits?.outputBytes ?? DEFAULT_LIMITS.outputBytes) - printed);
  const value = printJson(result.json, room);
  if (value === undefined) {
    const reason = `the result is more than ${room} characters to print`;
    const error = { ...makeDiagnostic("host_limit", { limit: "output", reason }), limit: "output" };
    writeJson(io, { ok: false, error, ...base, diagnostics: [...warnings, error] });
    return EXIT_FAILURE;
  }
  // The value's lines, indented one level, inside the document (JSON strings hold no raw newline).
  const rest = JSON.stringify(base, null, 2).slice(2);
  io.stdout.write(`{\n  "ok": true,\n  "value": ${value.split("\n").join("\n  ")},\n${rest}\n`);
  return EXIT_OK;
}

function writeDiagnostics(
  io: CliIo,
  diagnostics: readonly Diagnostic[],
  source: string,
  file: string | undefined,
): void {
  for (const diagnostic of diagnostics) {
    io.stderr.write(`${formatDiagnostic(diagnostic, source, file === undefined ? {} : { file })}\n`);
  }
}

function help(io: CliIo): number {
  io.stdout.write(USAGE);
  return EXIT_OK;
}

/** The version in package.json, two directories up from both src/cli and dist/cli. */
export function packageVersion(): string {
  try {
    const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
    const version: unknown = (JSON.parse(text) as Record<string, unknown>)["version"];
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}
