import { Readable, Writable } from "node:stream";
import { type CliIo, runCli } from "../../../src/cli/commands.js";

export /** Runs the CLI with in-memory files and standard input; returns the exit code and the output. */
async function cli(
  argv: string[],
  options: { stdin?: string; files?: Record<string, string>; env?: Record<string, string> } = {},
) {
  let stdout = "";
  let stderr = "";
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        append(chunk.toString());
        callback();
      },
    });
  const files = options.files ?? {};
  const io: CliIo = {
    stdout: sink((text) => {
      stdout += text;
    }),
    stderr: sink((text) => {
      stderr += text;
    }),
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    env: options.env ?? {},
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
