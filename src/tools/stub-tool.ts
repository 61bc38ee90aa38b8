import { arbitrary, hashText, sampleOne } from "../signature/arbitrary.js";
import { toSignature } from "../signature/parse-signature.js";
import { inputType, type Signature } from "../signature/types.js";
import { defineTool, type Tool } from "./define-tool.js";

/** Options of `stubTool`. */
export interface StubToolOptions {
  /** Seed of the generated results. Default 0. */
  readonly seed?: number;
  /** The tool's name, for messages. Default `stub`. */
  readonly name?: string;
  readonly description?: string;
}

/**
 * A tool whose results are generated from its signature's output: each call returns a value
 * that satisfies the output type, drawn from `arbitrary(output)` with a seed derived from
 * `seed` and the call's JSON arguments. The same seed and arguments always give the same
 * result, whatever the order of the calls, so runs and replays are reproducible. Its
 * arguments are checked against the signature's parameters like any `defineTool` tool.
 * Throws `SignatureError` for text that does not parse.
 */
export function stubTool(signature: Signature | string, options: StubToolOptions = {}): Tool {
  const parsed = toSignature(signature);
  const seed = options.seed ?? 0;
  const results = arbitrary(parsed.output);
  const input = inputType(parsed);
  return defineTool({
    name: options.name ?? "stub",
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(input === undefined ? {} : { input }),
    output: parsed.output,
    execute: (args) => sampleOne(results, hashText(`${seed}\u0000${JSON.stringify(args)}`)),
  });
}
