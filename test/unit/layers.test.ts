import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The layers of DESIGN.md §2, as the folder arrows each folder of `src/` may have:
 * `errors ← lisp ← signature ← tools ← types, cost ← runtime ← verify ← llm ← agent ← cli`.
 * A folder imports only the folders listed for it (type imports included); `internal/` holds
 * helpers any folder may use. The agent layer reaches the language only through the public
 * functions of the layers between (`runtime`, `verify`, `types`, `cost`, `signature`, `tools`),
 * never through `lisp/`.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  internal: [],
  errors: ["internal"],
  lisp: ["errors", "internal"],
  signature: ["errors", "lisp", "internal"],
  tools: ["errors", "lisp", "signature", "internal"],
  types: ["errors", "lisp", "signature", "tools", "internal"],
  cost: ["errors", "lisp", "signature", "tools", "internal"],
  runtime: ["errors", "lisp", "signature", "tools", "types", "cost", "internal"],
  verify: ["errors", "lisp", "signature", "tools", "types", "cost", "runtime", "internal"],
  llm: ["errors", "internal"],
  agent: ["errors", "signature", "tools", "types", "cost", "runtime", "verify", "llm", "internal"],
  testing: ["errors", "llm", "agent", "internal"],
  cli: ["(index)", "errors", "signature", "tools", "types", "cost", "runtime", "verify", "llm", "agent", "internal"],
  "(index)": ["errors", "lisp", "signature", "tools", "types", "cost", "runtime", "verify", "llm", "agent", "internal"],
};

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function folderOf(path: string): string {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? (parts[0] as string) : "(index)";
}

/** Every relative import, export-from and dynamic import of a file, type-only ones included. */
function importsOf(path: string): string[] {
  const text = readFileSync(path, "utf8");
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;
  return [...text.matchAll(pattern)].map((match) => resolve(dirname(path), match[1] as string));
}

function arrows(): { from: string; to: string; file: string }[] {
  return sourceFiles(SRC).flatMap((file) =>
    importsOf(file)
      .map((target) => ({ from: folderOf(file), to: folderOf(target), file: relative(SRC, file) }))
      .filter((arrow) => arrow.from !== arrow.to),
  );
}

describe("layers (DESIGN §2)", () => {
  it("every folder of src/ has its place in the layer table", () => {
    const folders = new Set(sourceFiles(SRC).map(folderOf));
    expect([...folders].filter((folder) => !(folder in ALLOWED))).toEqual([]);
  });

  it("every import follows an allowed folder arrow", () => {
    const wrong = arrows()
      .filter((arrow) => !(ALLOWED[arrow.from] ?? []).includes(arrow.to))
      .map((arrow) => `${arrow.file}: ${arrow.from} -> ${arrow.to}`);
    expect(wrong).toEqual([]);
  });

  it("finds arrows that break the table (the check itself works)", () => {
    expect(folderOf(join(SRC, "lisp/eval/runtime.ts"))).toBe("lisp");
    expect(folderOf(join(SRC, "index.ts"))).toBe("(index)");
    const sample = importsOf(join(SRC, "runtime/program.ts")).map((target) => folderOf(target));
    expect(sample).toContain("lisp");
    expect(ALLOWED["lisp"]).not.toContain("runtime");
  });
});
