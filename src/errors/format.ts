import type { Diagnostic } from "./diagnostic.js";

/**
 * Renders a diagnostic for humans (and for the model that wrote the program): the code and
 * message, the source line, and a caret under the span.
 */
export function formatDiagnostic(diagnostic: Diagnostic, source?: string): string {
  const where = diagnostic.span ? ` at line ${diagnostic.span.line}, column ${diagnostic.span.column}` : "";
  const lines = [`${diagnostic.severity === "warning" ? "warning" : "error"} [${diagnostic.code}]${where}: ${diagnostic.message}`];
  if (source !== undefined && diagnostic.span) {
    const { line, column, start, end } = diagnostic.span;
    const text = source.split("\n")[line - 1];
    if (text !== undefined) {
      const gutter = `${line} | `;
      const width = Math.max(1, Math.min(end - start, text.length - column + 1));
      lines.push(`${gutter}${text}`, `${" ".repeat(gutter.length + column - 1)}${"^".repeat(width)}`);
    }
  }
  if (diagnostic.hint) lines.push(`hint: ${diagnostic.hint}`);
  const stack = diagnostic.details?.["stack"];
  if (Array.isArray(stack) && stack.length > 0) {
    for (const frame of stack.slice(0, 10) as { name: string; line?: number; column?: number }[]) {
      lines.push(`  in ${frame.name}${frame.line ? ` (line ${frame.line}, column ${frame.column})` : ""}`);
    }
  }
  return lines.join("\n");
}
