/**
 * What a user pays to install and load ptc-lisp: the package is packed (`npm pack`) and its
 * tarball installed into a scratch project with `npm install --offline` (the dependencies come
 * from the npm cache), then
 * - installed size: the bytes and files of the scratch project's node_modules (the package and
 *   its runtime dependency tree), per package and in all;
 * - cold import time: fresh `node -e 'import("ptc-lisp")'` processes (and `ptc-lisp/core`),
 *   interleaved with bare `node -e ""` ones; each figure is the median of N, and "over bare" is
 *   the median of the differences between neighbouring runs (steadier on a shared machine).
 *
 *   node bench/install.mjs               the repository's package (built first when dist/ is stale)
 *   options: --runs N                    processes per command (default 21)
 *            --package DIR               another package directory whose dist/ is built (for
 *                                        comparisons: e.g. an older commit's checkout)
 *            --json                      print the report as JSON instead of the table
 *            --out FILE                  also write the table (Markdown) to FILE
 *
 * Exits 1 when packing, installing or an import fails.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { markdownTable } from "./report.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const NPM_ENV = {
  ...process.env,
  npm_config_update_notifier: "false",
  npm_config_fund: "false",
  npm_config_audit: "false",
};

/** The figures' entries: what a user imports, and the bare process it is compared with. */
export const ENTRIES = ["ptc-lisp", "ptc-lisp/core"];

function parseArguments(argv) {
  const options = { runs: 21, packageDir: root, json: false, out: null };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${argument} needs a value`);
      return next;
    };
    if (argument === "--runs") options.runs = Math.max(3, Math.floor(Number(value())) || 3);
    else if (argument === "--package") options.packageDir = resolve(value());
    else if (argument === "--json") options.json = true;
    else if (argument === "--out") options.out = resolve(value());
    else throw new Error(`unknown option ${argument}`);
  }
  return options;
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: NPM_ENV, timeout: 600_000 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited with ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

function newestMtime(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds this repository's dist/ when a file under src/ is newer than dist/index.js. */
function ensureBuilt(packageDir) {
  if (packageDir !== root) return;
  const built = join(root, "dist", "index.js");
  try {
    if (statSync(built).mtimeMs >= newestMtime(join(root, "src"))) return;
  } catch {
    // not built yet
  }
  process.stderr.write("dist/ is older than src/: npm run build\n");
  run("npm", ["run", "build"], root);
}

/** Packs `packageDir` and installs the tarball into a new project under `work`; the tarball's figures and the install mode. */
function packAndInstall(packageDir, work) {
  const packed = join(work, "packed");
  mkdirSync(packed);
  const [info] = JSON.parse(
    run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", packed], packageDir),
  );
  const project = join(work, "project");
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "scratch", private: true, type: "module" })}\n`,
  );
  const install = (mode) =>
    spawnSync("npm", ["install", `--${mode}`, "--no-audit", "--no-fund", join(packed, info.filename)], {
      cwd: project,
      encoding: "utf8",
      env: NPM_ENV,
    });
  let mode = "offline";
  let installed = install(mode);
  // A cache filled by `npm ci` may lack registry documents: fetched once, offline afterwards.
  if (installed.status !== 0 && /ENOTCACHED/.test(installed.stderr)) {
    mode = "prefer-offline";
    installed = install(mode);
  }
  if (installed.status !== 0) throw new Error(`npm install --${mode} failed\n${installed.stderr}`);
  return { project, tarball: { bytes: info.size, unpackedBytes: info.unpackedSize, files: info.entryCount }, mode };
}

/** Bytes (apparent sizes) and files under a directory. */
function sizeOf(directory) {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      const inner = sizeOf(path);
      bytes += inner.bytes;
      files += inner.files;
    } else if (entry.isFile()) {
      bytes += statSync(path).size;
      files += 1;
    }
  }
  return { bytes, files };
}

/** Each installed package (node_modules/name, node_modules/@scope/name) with its size, largest first. */
function installedPackages(project) {
  const modules = join(project, "node_modules");
  const packages = [];
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const names = entry.name.startsWith("@")
      ? readdirSync(join(modules, entry.name)).map((inner) => `${entry.name}/${inner}`)
      : [entry.name];
    for (const name of names) {
      const manifest = JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8"));
      packages.push({ name, version: manifest.version, ...sizeOf(join(modules, name)) });
    }
  }
  return packages.sort((a, b) => b.bytes - a.bytes);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Wall milliseconds of one fresh `node -e script` process in `cwd`; throws when it fails. */
function timeProcess(script, cwd) {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["-e", script], { cwd, encoding: "utf8" });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node -e ${JSON.stringify(script)} failed\n${result.stderr}`);
  return ms;
}

/** The entries of ENTRIES the installed package exports (an older version may lack `ptc-lisp/core`). */
function exportedEntries(project) {
  const manifest = JSON.parse(readFileSync(join(project, "node_modules", "ptc-lisp", "package.json"), "utf8"));
  const exported = Object.keys(manifest.exports ?? { ".": manifest.main });
  return ENTRIES.filter((entry) => exported.includes(`.${entry.slice("ptc-lisp".length)}`));
}

/**
 * Cold import time of each entry (default: those the package installed in `project` exports),
 * imported from `project`, interleaved with bare processes; two rounds of warm-up. bench/run.mjs
 * calls it on the repository itself (the package imports itself by name through its exports).
 */
export function importTimes(project, runs, entries = exportedEntries(project)) {
  const commands = [
    { name: "bare", script: "" },
    ...entries.map((name) => ({ name, script: `import(${JSON.stringify(name)})` })),
  ];
  const samples = new Map(commands.map((command) => [command.name, []]));
  for (let round = -2; round < runs; round++) {
    for (const command of commands) {
      const ms = timeProcess(command.script, project);
      if (round >= 0) samples.get(command.name).push(ms);
    }
  }
  const bare = samples.get("bare");
  return commands.map((command) => {
    const times = samples.get(command.name);
    return {
      name: command.name,
      medianMs: median(times),
      minMs: Math.min(...times),
      maxMs: Math.max(...times),
      overBareMs: command.name === "bare" ? 0 : median(times.map((ms, index) => ms - bare[index])),
    };
  });
}

function git(...args) {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
const ms = (value) => `${value.toFixed(0)} ms`;

/** The report as Markdown: the import table, then the installed packages. */
export function renderInstallMarkdown(report) {
  const lines = [
    "# Install size and cold import time",
    "",
    `\`node bench/install.mjs --runs ${report.runs}\` on ${report.date}: the tarball of \`npm pack\` installed with`,
    `\`npm install --${report.installMode}\` into a scratch project; ${report.runs} fresh processes per command, interleaved.`,
    "",
    `Machine: ${report.machine}; load average (1 minute) ${report.load.start.toFixed(1)} at the start, ${report.load.end.toFixed(1)} at the end.`,
    `Versions: node ${report.node}; ${report.package}.`,
    "",
    "## Cold import time",
    "",
    "Wall time of a fresh process: median (min–max); over bare is the median of the differences",
    'from the bare `node -e ""` run beside it.',
    "",
    ...markdownTable(
      ["command", "wall time", "over bare node"],
      report.imports.map((row) => [
        `\`${row.name === "bare" ? 'node -e ""' : `node -e 'import("${row.name}")'`}\``,
        `${ms(row.medianMs)} (${ms(row.minMs)}–${ms(row.maxMs)})`,
        row.name === "bare" ? "—" : ms(row.overBareMs),
      ]),
    ),
    "",
    "## Installed size",
    "",
    `The tarball: ${(report.tarball.bytes / 1024).toFixed(0)} KiB, ${mib(report.tarball.unpackedBytes)} unpacked, ${report.tarball.files} files.`,
    "Installed: the scratch project's node_modules, by package (apparent sizes).",
    "",
    ...markdownTable(
      ["package", "version", "size", "files"],
      [
        ...report.packages.map((each) => [each.name, each.version, mib(each.bytes), String(each.files)]),
        ["**all**", "", `**${mib(report.installed.bytes)}**`, `**${report.installed.files}**`],
      ],
    ),
    "",
  ];
  return lines.join("\n");
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  ensureBuilt(options.packageDir);
  const loadStart = os.loadavg()[0];
  const work = mkdtempSync(join(os.tmpdir(), "ptc-install-bench-"));
  try {
    const { project, tarball, mode } = packAndInstall(options.packageDir, work);
    const packages = installedPackages(project);
    const manifest = JSON.parse(readFileSync(join(options.packageDir, "package.json"), "utf8"));
    const commit = options.packageDir === root ? git("rev-parse", "--short", "HEAD") : "";
    const report = {
      date: new Date().toISOString().slice(0, 10),
      runs: options.runs,
      node: process.version,
      package: `${manifest.name} ${manifest.version}${commit ? ` (commit ${commit})` : ` from ${options.packageDir}`}`,
      machine: `${os.cpus()[0]?.model ?? "unknown"} ×${os.cpus().length}, ${os.platform()} ${os.arch()}`,
      installMode: mode,
      tarball,
      installed: sizeOf(join(project, "node_modules")),
      packages,
      imports: importTimes(project, options.runs),
      load: { start: loadStart, end: os.loadavg()[0] },
    };
    const markdown = renderInstallMarkdown(report);
    if (options.out !== null) writeFileSync(options.out, markdown);
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : markdown);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
