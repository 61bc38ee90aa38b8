import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { LANGUAGE_DOC_PATH } from "../../../scripts/language-doc.js";
import { docOf, documentedNames } from "../../../src/lisp/builtins/docs.js";
import { languageMarkdown } from "../../../src/lisp/builtins/language-markdown.js";
import { BUILTINS } from "../../../src/lisp/builtins/registry.js";

const markdown = languageMarkdown();

/** The names of the entries (`### \`name\``), in document order. */
const entryNames = [...markdown.matchAll(/^### `(.+)`$/gm)].map((match) => match[1] as string);

describe("docs/language.md", () => {
  it("is the generated reference (run npm run docs:language after changing a builtin, form or macro)", () => {
    const committed = existsSync(LANGUAGE_DOC_PATH) ? readFileSync(LANGUAGE_DOC_PATH, "utf8") : "";
    expect(committed === markdown, "docs/language.md is stale: run `npm run docs:language` and commit it").toBe(true);
  });

  it("has one entry for every builtin, special form and macro, and indexes each", () => {
    expect([...entryNames].sort()).toEqual([...documentedNames()].sort());
    expect(entryNames.length).toBeGreaterThan(380);
    const index = markdown.slice(markdown.indexOf("\n## Index\n"));
    for (const name of documentedNames()) expect(index, name).toContain(`[\`${name}\`](#`);
  });

  it("gives each entry its usage, doc and, for a builtin, its type", () => {
    for (const name of ["map", "let", "->>", "clojure.string/join", "sum-by"]) {
      const entry = docOf(name);
      const start = markdown.indexOf(`### \`${name}\`\n`);
      const text = markdown.slice(start, markdown.indexOf("\n### ", start + 1));
      expect(text, name).toContain(`\`\`\`clojure\n${entry?.usage}\n\`\`\``);
      if (entry?.signature !== undefined) expect(text, name).toContain(`Type: \`${entry.signature}\``);
    }
    expect(markdown).toContain("- Also written: `str/join`, `string/join`, `s/join`, `join`");
    expect(markdown).toMatch(/### `map`[\s\S]*?- _In the prompt_ \(sequences\)/);
  });

  it("introduces the language and says what it leaves out, truly", () => {
    for (const text of ["no I/O, clock, randomness, environment, `eval` or host interop", "## Contents", "## Index"])
      expect(markdown).toContain(text);
    for (const absent of ["slurp", "spit", "rand", "shuffle", "random-uuid", "time", "eval", "read-string", "load"])
      expect(docOf(absent), absent).toBeUndefined();
    for (const absent of ["defmacro", "binding", "future"]) expect(docOf(absent), absent).toBeUndefined();
    for (const present of [".", "new", "require", "ns", "return", "fail", "doc", "apropos", "take", "iterate"])
      expect(docOf(present), present).toBeDefined();
  });

  it("links only to files that exist", () => {
    const files = [...markdown.matchAll(/\]\(([^#)][^)#]*)(?:#[^)]*)?\)/g)].map((match) => match[1] as string);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(existsSync(join(dirname(LANGUAGE_DOC_PATH), file)), file).toBe(true);
  });
});

describe("declared usage", () => {
  // Special forms and macros declare theirs (test/unit/lisp/reference.test.ts checks them).
  it("writes every builtin's usage from its signature, starting with its name", () => {
    for (const builtin of new Set(BUILTINS.values())) {
      const usage = docOf(builtin.name)?.usage ?? "";
      expect(usage.startsWith(`(${builtin.name}`), `${builtin.name}: ${usage}`).toBe(true);
      expect(usage, builtin.name).not.toContain("...");
    }
  });
});
