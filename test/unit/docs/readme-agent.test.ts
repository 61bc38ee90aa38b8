// The TypeScript blocks of docs/agents.md, docs/models.md and the README's Agents section are
// type-checked against the real API (each block a module of its own, "ptc-lisp" read as
// src/), and the first block of docs/agents.md and the README's Agents block are run.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
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
];

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

/** Runs a block with tsx from a temporary module next to this test (removed after); its stdout. */
function runBlock(block: string, tag: string): string {
  const file = join(HERE, `.tmp-${tag}-${process.pid}.ts`);
  writeFileSync(file, localized(block));
  try {
    const run = spawnSync(process.execPath, ["--import", "tsx", file], {
      cwd: ROOT,
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
    expect(sources.map((source) => source.blocks.length > 0)).toEqual([true, true, true]);
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
});

const README_OUTPUT = '{"total":200.5,"count":2} returned';
