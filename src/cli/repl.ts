import {
  compile,
  type Diagnostic,
  formatDiagnostic,
  type Limits,
  printValue,
  type Tools,
  type Value,
} from "../index.js";

/** The names bound to the last three results, most recent first. */
const HISTORY_NAMES = ["*1", "*2", "*3"] as const;

/**
 * How many delimiters of `text` are still open: brackets are counted outside strings, regex
 * literals, comments and character literals (`\(` is a character, not a bracket). Negative
 * when a closer has nothing to close. `inString` is true when the text ends inside a string.
 */
export function openDelimiters(text: string): { depth: number; inString: boolean } {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
      continue;
    }
    switch (char) {
      case '"':
        inString = true;
        break;
      case ";":
        while (i + 1 < text.length && text[i + 1] !== "\n" && text[i + 1] !== "\r") i++;
        break;
      case "\\":
        // A character literal: the next character is data (\( \) \" \;). Named ones (\newline) are letters.
        i++;
        break;
      case "(":
      case "[":
      case "{":
        depth++;
        break;
      case ")":
      case "]":
      case "}":
        depth--;
        if (depth < 0) return { depth, inString: false };
        break;
    }
  }
  return { depth, inString };
}

/** True when the text needs more lines before it can be read: a delimiter or a string is still open. */
export function needsMoreInput(text: string): boolean {
  const { depth, inString } = openDelimiters(text);
  return depth > 0 || inString;
}

/** The outcome of one REPL input: what to show on stdout and on stderr. */
export interface ReplOutput {
  /** `println` lines, then the value as EDN (no trailing newlines). */
  readonly stdout: readonly string[];
  /** Formatted diagnostics. */
  readonly stderr: readonly string[];
  readonly ok: boolean;
}

/** Options of a REPL session. */
export interface ReplSessionOptions {
  /** The input behind `data/...`. */
  readonly data?: unknown;
  readonly limits?: Limits;
  /** The tools inputs may call; lazy sequences and functions defined by one input may call them in a later one. */
  readonly tools?: Tools;
}

/**
 * The state of a REPL: definitions persist from one input to the next, and `*1 *2 *3` hold the
 * last three successful results. Each input is compiled with the names defined so far and run
 * with their values.
 */
export class ReplSession {
  private readonly definitions = new Map<string, Value>();
  private history: Value[] = [];

  constructor(private readonly options: ReplSessionOptions = {}) {}

  /** Names defined by earlier inputs, in definition order. */
  get definedNames(): readonly string[] {
    return [...this.definitions.keys()];
  }

  async evaluate(source: string): Promise<ReplOutput> {
    const globals = new Map(this.definitions);
    HISTORY_NAMES.forEach((name, i) => {
      globals.set(name, this.history[i] ?? null);
    });
    const compiled = compile(source, {
      predefined: [...globals.keys()],
      ...(this.options.limits?.sourceChars === undefined ? {} : { maxSourceChars: this.options.limits.sourceChars }),
    });
    if (!compiled.ok) return { ok: false, stdout: [], stderr: render(compiled.diagnostics, source) };
    const warnings = render(compiled.diagnostics, source);
    const result = await compiled.program.run({
      data: this.options.data ?? null,
      globals,
      ...(this.options.tools === undefined ? {} : { tools: this.options.tools }),
      ...(this.options.limits === undefined ? {} : { limits: this.options.limits }),
    });
    // Definitions made before a failure stay, as in Clojure.
    for (const [name, value] of result.globals) {
      if (!(HISTORY_NAMES as readonly string[]).includes(name)) this.definitions.set(name, value);
    }
    if (!result.ok) {
      return { ok: false, stdout: [...result.prints], stderr: [...warnings, formatDiagnostic(result.error, source)] };
    }
    this.history = [result.value, ...this.history].slice(0, HISTORY_NAMES.length);
    return { ok: true, stdout: [...result.prints, printValue(result.value)], stderr: warnings };
  }
}

function render(diagnostics: readonly Diagnostic[], source: string): string[] {
  return diagnostics.map((diagnostic) => formatDiagnostic(diagnostic, source));
}
