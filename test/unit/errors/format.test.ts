import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../../src/errors/diagnostic.js";
import { formatDiagnostic } from "../../../src/errors/format.js";

/** A diagnostic spanning [start, end) of the source, with line and column computed from the offset. */
function at(source: string, start: number, end: number, extra: Partial<Diagnostic> = {}): Diagnostic {
  const before = source.slice(0, start).split(/\r\n|\r|\n/);
  const line = before.length;
  const column = (before[before.length - 1] ?? "").length + 1;
  return { code: "type_error", phase: "eval", message: "bad", span: { start, end, line, column }, ...extra };
}

describe("formatDiagnostic", () => {
  it("renders the message, the source line and a caret under the span", () => {
    const source = "(let [x 1]\n  (+ x foo))";
    const start = source.indexOf("foo");
    expect(formatDiagnostic(at(source, start, start + 3), source)).toBe(
      "error [type_error] at line 2, column 8: bad\n2 |   (+ x foo))\n           ^^^",
    );
  });

  it("renders without a source or a span", () => {
    expect(formatDiagnostic({ code: "aborted", phase: "limit", message: "stopped" })).toBe("error [aborted]: stopped");
    expect(formatDiagnostic({ code: "fail", phase: "eval", message: "x", severity: "warning", hint: "h" })).toBe(
      "warning [fail]: x\nhint: h",
    );
  });

  it("names the file", () => {
    const text = formatDiagnostic(at("(x)", 1, 2), "(x)", { file: "a.clj" });
    expect(text).toBe("error [type_error] at line 1, column 2: bad\n --> a.clj:1:2\n1 | (x)\n     ^");
  });

  it("finds the line for CRLF and CR line endings", () => {
    for (const newline of ["\r\n", "\r"]) {
      const source = `(a)${newline}(bb)${newline}(c)`;
      const start = source.indexOf("bb");
      expect(
        formatDiagnostic(at(source, start, start + 2), source)
          .split("\n")
          .slice(1),
      ).toEqual(["2 | (bb)", "     ^^"]);
    }
  });

  it("keeps tabs before the caret and stops a multi-line span at the end of its line", () => {
    const source = "\t(foo\n  1)";
    expect(
      formatDiagnostic(at(source, 1, source.length), source)
        .split("\n")
        .slice(1),
    ).toEqual(["1 | \t(foo", "    \t^^^^"]);
  });

  it("puts a caret after the last character for a span at the end of input", () => {
    const source = "(+ 1";
    expect(formatDiagnostic(at(source, 4, 4), source).split("\n")[2]).toBe("        ^");
  });

  it("cuts a long line around the span", () => {
    const source = `${"a ".repeat(200)}target${" b".repeat(200)}`;
    const start = source.indexOf("target");
    const [, line, caret] = formatDiagnostic(at(source, start, start + 6), source, { maxLineWidth: 60 }).split("\n");
    expect(line).toMatch(/^1 \| \.\.\.a a .*target b .*\.\.\.$/);
    expect(line?.length).toBe("1 | ".length + 3 + 60 + 3);
    expect(line?.indexOf("target")).toBe(caret?.indexOf("^^^^^^"));
  });

  it("lists Lisp frames", () => {
    const stack = Array.from({ length: 12 }, (_, i) => ({ name: `f${i}`, line: i + 1, column: 1 }));
    const text = formatDiagnostic({ code: "type_error", phase: "eval", message: "m", details: { stack } });
    expect(text.split("\n")).toEqual([
      "error [type_error]: m",
      ...stack.slice(0, 10).map((frame) => `  in ${frame.name} (line ${frame.line}, column 1)`),
      "  ... 2 more",
    ]);
  });
});
