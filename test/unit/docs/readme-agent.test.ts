// The TypeScript blocks of docs/agents.md, docs/models.md, docs/compile.md and the README's
// Agents section are type-checked against the real API (each block a module of its own,
// "ptc-lisp" read as src/); the first blocks of docs/agents.md and docs/compile.md and the
// README's two Agents blocks are run (the compile-then-execute one in a temporary directory,
// since it writes the cache under .ptc/agents).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..", "..");

/** The `ts` fenced blocks of a Markdown text (three or more backticks), in order. */
function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^(`{3,})ts\n([\s\S]*?)^\1$/gm)].map((match) => match[2] as string);
}

/** The README section that starts with `## Agents`, up to the next `## ` heading. */
function readmeAgents(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## Agents\n");
  if (start < 0) throw new Error("README.md has no ## Agents section");
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** A block with its package imports pointed at src/, for a module in test/unit/docs/. */
function localized(block: string): string {
  return block
    .replaceAll('from "ptc-lisp/testing"', 'from "../../../src/testing/index.js"')
    .replaceAll('from "ptc-lisp"', 'from "../../../src/index.js"');
}

const sources: { name: string; blocks: string[] }[] = [
  { name: "docs/agents.md", blocks: tsBlocks(readFileSync(join(ROOT, "docs/agents.md"), "utf8")) },
  { name: "docs/models.md", blocks: tsBlocks(readFileSync(join(ROOT, "docs/models.md"), "utf8")) },
  { name: "README.md (Agents)", blocks: tsBlocks(readmeAgents()) },
  { name: "docs/compile.md", blocks: tsBlocks(readFileSync(join(ROOT, "docs/compile.md"), "utf8")) },
];

/** tsx's loader as a file URL, so that a block can run from any working directory. */
const TSX = pathToFileURL(createRequire(join(ROOT, "package.json")).resolve("tsx/esm")).href;

/** Type errors of each block, checked as virtual modules next to this test (nothing is written). */
function typeErrors(blocks: readonly { file: string; text: string }[]): string[] {
  const config = ts.readConfigFile(join(ROOT, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const host = ts.createCompilerHost(options);
  const virtual = new Map(blocks.map((block) => [block.file, block.text]));
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, onError, create) => {
    const text = virtual.get(file);
    return text === undefined
      ? getSourceFile.call(host, file, language, onError, create)
      : ts.createSourceFile(file, text, language, true);
  };
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file !== undefined && virtual.has(diagnostic.file.fileName))
    .map((diagnostic) => {
      const file = diagnostic.file as ts.SourceFile;
      const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      return `${file.fileName}:${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
    });
}

/** Runs a block with tsx from a temporary module next to this test (removed after), in `cwd`; its stdout. */
function runBlock(block: string, tag: string, cwd: string = ROOT): string {
  const file = join(HERE, `.tmp-${tag}-${process.pid}.ts`);
  writeFileSync(file, localized(block));
  try {
    const run = spawnSync(process.execPath, ["--import", TSX, file], {
      cwd,
      encoding: "utf8",
      timeout: 30_000,
    });
    if (run.status !== 0) throw new Error(`${tag} exited with ${String(run.status)}:\n${run.stderr}`);
    return run.stdout;
  } finally {
    rmSync(file, { force: true });
  }
}

describe("TypeScript blocks in the docs", () => {
  it("each document has the blocks it is meant to have", () => {
    expect(sources.map((source) => source.blocks.length > 0)).toEqual([true, true, true, true]);
    expect(sources[2]?.blocks.length).toBeGreaterThanOrEqual(2);
    expect(sources[3]?.blocks.length).toBeGreaterThanOrEqual(3);
  });

  it("every block type-checks against the real API", () => {
    const blocks = sources.flatMap((source) =>
      source.blocks.map((text, index) => ({
        file: join(HERE, `__${source.name.replace(/[^a-z]+/gi, "_")}_${index + 1}.ts`).replaceAll("\\", "/"),
        text: localized(text),
      })),
    );
    expect(typeErrors(blocks)).toEqual([]);
  }, 60_000);

  it("docs/agents.md's first example prints what the text says", () => {
    const [first] = sources[0]?.blocks ?? [];
    expect(runBlock(first ?? "", "agents-md").trim()).toBe("200.5 2 2 2");
  }, 60_000);

  it("the README's Agents example prints its answer", () => {
    const [first] = sources[2]?.blocks ?? [];
    expect(runBlock(first ?? "", "readme-agents").trim()).toBe(README_OUTPUT);
  }, 60_000);

  it("the README's compile-then-execute example prints its answers and caches under .ptc/agents", () => {
    const block = sources[2]?.blocks[1] ?? "";
    const cwd = mkdtempSync(join(tmpdir(), "ptc-readme-compile-"));
    try {
      expect(runBlock(block, "readme-compile", cwd).trim()).toBe(README_COMPILE_OUTPUT);
      const dir = join(cwd, ".ptc", "agents");
      expect(existsSync(dir) ? readdirSync(dir).filter((name) => /^[0-9a-f]{64}\.json$/.test(name)) : []).toHaveLength(
        1,
      );
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);

  it("docs/compile.md's first example prints what the text says", () => {
    const [first] = sources[3]?.blocks ?? [];
    expect(runBlock(first ?? "", "compile-md").trim()).toBe(COMPILE_MD_OUTPUT);
  }, 60_000);

  it("docs/compile.md's LLM tool example prints what its comment says", () => {
    const block = sources[3]?.blocks[1] ?? "";
    const comment = /^\/\/ (.+)$/m.exec(block.trim().split("\n").at(-1) ?? "")?.[1];
    expect(comment).toBe("true [ 'positive', 'positive' ] 2");
    expect(runBlock(block, "compile-md-llm").trim()).toBe(comment);
  }, 60_000);
});

const README_OUTPUT = '{"total":200.5,"count":2} returned';
const README_COMPILE_OUTPUT = '{"total":200.5,"count":2} {"total":0,"count":0}';

/** The output docs/compile.md quotes after its first example (its first `text` block). */
const COMPILE_MD_OUTPUT = (() => {
  const text = readFileSync(join(ROOT, "docs/compile.md"), "utf8");
  const match = /^```text\n([\s\S]*?)^```$/m.exec(text);
  return (match?.[1] ?? "").trim();
})();
