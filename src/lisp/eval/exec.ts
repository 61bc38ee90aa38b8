import type { Value } from "../values/value.js";
import type { Frame, PendingCall } from "./runtime.js";

/** Executable node: the analyzer compiles every form into one of these. */
export type Exec = (frame: Frame) => Value;

/**
 * The resumable form of a node: a generator that yields the tool calls it waits for (the
 * driver makes them and resumes it) and returns the node's value.
 */
export type Step = Generator<PendingCall[], Value, void>;

/** A node's resumable form. */
export type GenExec = (frame: Frame) => Step;

/**
 * A node that can reach a tool call carries its resumable form on its exec (a property, as
 * constants are marked: cheaper for the collector than a WeakMap). Pure nodes carry none.
 */
const GEN = Symbol("resumable");

type Marked = Exec & { [GEN]?: GenExec };

export function withGen(exec: Exec, gen: GenExec): Exec {
  (exec as Marked)[GEN] = gen;
  return exec;
}

export function genOf(exec: Exec): GenExec | undefined {
  return (exec as Marked)[GEN];
}
