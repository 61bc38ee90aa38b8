import { describe, expect, it } from "vitest";
import { MAX_DIAGNOSTICS } from "../../../src/errors/cap.js";
import { tokenize } from "../../../src/lisp/lexer/lexer.js";
import { parse } from "../../../src/lisp/parser/parse.js";

/** The start offsets of a source's diagnostics that have a span. */
function starts(source: string): number[] {
  return parse(source)
    .diagnostics.filter((diagnostic) => diagnostic.span !== undefined)
    .map((diagnostic) => diagnostic.span?.start as number);
}

// Past the cap, which faults are kept follows a depth-first walk that visits, at each node, its
// own leading fault, then everything inside its discarded elements, then inside its other
// elements, then its own trailing faults; not the order in which the parser finishes forms.
describe("the reader's faults past the cap", () => {
  const odd = "{:a} ";
  const many = odd.repeat(MAX_DIAGNOSTICS + 20);

  it("keeps a fault inside a discarded form ahead of its siblings' faults", () => {
    const source = `${many}#_{:b}`;
    const found = starts(source);
    expect(found).toHaveLength(MAX_DIAGNOSTICS);
    expect(found).toContain(source.length - 4);
    expect(found).not.toContain(odd.length * (MAX_DIAGNOSTICS - 1));
  });

  it("keeps the same faults when the discard is nested in a collection", () => {
    const source = `[${many}#_{:b}]`;
    expect(starts(source)).toContain(source.length - 5);
  });

  it("keeps a nested #( ahead of the faults inside it", () => {
    const source = `#(#(${many}))`;
    const found = starts(source);
    expect(found).toContain(2);
    expect(found).not.toContain(4 + odd.length * (MAX_DIAGNOSTICS - 1));
  });

  it("keeps a #_ missing its form ahead of the faults of the discards inside it", () => {
    const source = `[#_ ${`#_{:b} `.repeat(MAX_DIAGNOSTICS + 5)}]`;
    expect(starts(source)).toContain(1);
  });

  it("counts any number of faults in one sequence", () => {
    const { diagnostics } = parse(odd.repeat(200_000));
    expect(diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(diagnostics.at(-1)?.message).toMatch(/\(200000 in all/);
  });

  it("keeps a map's own faults after those of its items", () => {
    const source = `{${"{:a} 1 ".repeat(MAX_DIAGNOSTICS + 5)}:k}`;
    expect(starts(source)).not.toContain(0);
  });
});

describe("whitespace", () => {
  it("locates tokens after runs of spaces, tabs and commas", () => {
    const { tokens } = tokenize("a   b\t c ,  d,\n  e , ,f");
    expect(tokens.map((token) => [token.image, token.startOffset, token.startLine, token.startColumn])).toEqual([
      ["a", 0, 1, 1],
      ["b", 4, 1, 5],
      ["c", 7, 1, 8],
      ["d", 12, 1, 13],
      ["e", 17, 2, 3],
      ["f", 22, 2, 8],
    ]);
  });
});
