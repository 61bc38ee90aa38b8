import type { VerifyContext, VerifyTarget } from "../../verify/verify.js";
import { optionError } from "./judge.js";

/** A verifier or cost function given a stable name by {@link named}. */
export type Named<R> = ((target: VerifyTarget, context: VerifyContext) => R) & {
  readonly verifierName: string;
  readonly costName: string;
};

/**
 * Gives a custom verifier or cost function a stable name, as cache keys and reports need
 * (a strategy with an unnamed custom function cannot be cached). Returns a new function that
 * calls `fn`, with both `verifierName` and `costName` set to `name`, so it serves as either;
 * `fn` itself is left as it is. Throws `agent_invalid` for an empty name.
 *
 * @example named("no-tool-in-loop", (target) => ({ ok: !target.source.includes("loop") }))
 */
export function named<R>(name: string, fn: (target: VerifyTarget, context: VerifyContext) => R): Named<R> {
  if (typeof name !== "string" || name === "") throw optionError("named", "needs a non-empty name");
  const wrapped = (target: VerifyTarget, context: VerifyContext): R => fn(target, context);
  return Object.assign(wrapped, { verifierName: name, costName: name });
}
