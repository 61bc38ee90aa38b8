/**
 * Regenerates grammar/diagrams.html, the railroad diagrams of the reader grammar, from the
 * parser itself: `npx tsx scripts/grammar-diagrams.ts`. test/unit/lisp/grammar-diagrams.test.ts
 * fails when the committed file is stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createSyntaxDiagramsCode } from "chevrotain";
import { readerGrammar } from "../src/lisp/parser/grammar.js";

export const DIAGRAMS_PATH = fileURLToPath(new URL("../grammar/diagrams.html", import.meta.url));

export function renderDiagrams(): string {
  return createSyntaxDiagramsCode(readerGrammar().getSerializedGastProductions());
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(DIAGRAMS_PATH, renderDiagrams());
  console.log(`wrote ${DIAGRAMS_PATH}`);
}
