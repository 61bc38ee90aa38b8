/** The process I/O a command uses; `main.ts` passes the real streams, tests pass fakes. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Read by `--data -`, `run -` and the REPL. The REPL edits lines and shows prompts only when `isTTY`. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Reads a UTF-8 text file. */
  readFile(path: string): Promise<string>;
  /** The environment (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `PTC_MODEL` choose the agent commands' model). Default: empty. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Exit statuses. */
export const EXIT_OK = 0;
/** The program, its source or its input failed. */
export const EXIT_FAILURE = 1;
/** The command line itself is wrong. */
export const EXIT_USAGE = 2;

/**
 * A fault of the command line or its files, reported as one line and an exit status; a usage
 * fault (`EXIT_USAGE`) adds a pointer to `ptc --help` rather than printing the whole help.
 */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "CliFailure";
  }
}

/** Writes a value as one JSON document and a newline. */
export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The first sentence of a `parseArgs` message, which goes on to explain `--` at length. */
export function firstSentence(message: string): string {
  const sentence = message.split(/\.(?:\s|$)|\n/, 1)[0] ?? message;
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

/** `1 input`, `2 inputs`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
