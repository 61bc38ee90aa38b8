import { type EvaluateOptions, evaluate, printValue } from "../../src/index.js";

/** The value of `source` as printed readably; a test fault when the run fails. */
export async function valueOf(source: string, options: EvaluateOptions = {}): Promise<string> {
  const result = await evaluate(source, options);
  if (!result.ok) throw new Error(`${source}: ${result.error.code}: ${result.error.message}`);
  return printValue(result.value);
}

/** The code and message `source` fails with; a test fault when the run succeeds. */
export async function failureOf(
  source: string,
  options: EvaluateOptions = {},
): Promise<{ code: string; message: string }> {
  const result = await evaluate(source, options);
  if (result.ok) throw new Error(`${source}: expected an error, got ${printValue(result.value)}`);
  return { code: result.error.code, message: result.error.message };
}

/** The message a program's catch clause sees (`ex-message`) for the error `source` raises. */
export async function caughtMessage(source: string): Promise<string> {
  return JSON.parse(await valueOf(`(try ${source} (catch :default e (ex-message e)))`)) as string;
}
