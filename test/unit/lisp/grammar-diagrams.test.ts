import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DIAGRAMS_PATH, renderDiagrams } from "../../../scripts/grammar-diagrams.js";

describe("grammar/diagrams.html", () => {
  it("matches the parser (regenerate with `npx tsx scripts/grammar-diagrams.ts`)", () => {
    const committed = readFileSync(DIAGRAMS_PATH, "utf8");
    expect(committed === renderDiagrams(), "grammar/diagrams.html is stale").toBe(true);
  });

  it("draws every grammar rule", () => {
    const html = renderDiagrams();
    for (const rule of [
      "program",
      "discard",
      "list",
      "vector",
      "map",
      "set",
      "fnLiteral",
      "quote",
      "deref",
      "varQuote",
      "withMeta",
    ]) {
      expect(html).toContain(`"name": "${rule}"`);
    }
  });
});
