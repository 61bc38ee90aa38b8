/**
 * Worker isolation as an installed capability (DESIGN §2, §5). `Program.run({isolation:
 * "worker"})` hands the run to the installed runner: the main entry `ptc-lisp` installs the
 * worker-thread pool (worker-pool.ts) when it is imported; `ptc-lisp/core` installs none, so
 * this module and everything that imports it stay free of Node's modules, and an isolated run
 * there fails with `node_required` instead of loading `node:worker_threads`.
 */
import type { Limits } from "../lisp/eval/budget.js";
import type { CallExecutor } from "./replay.js";
import type { RunOptions, RunResult } from "./run-result.js";

/** What `Program.run` hands over for an isolated run. */
export interface IsolatedRun {
  readonly source: string;
  readonly globalNames: readonly string[];
  readonly options: RunOptions;
  readonly limits: Required<Limits>;
  /** Callable tool names; undefined when any name may be called. */
  readonly names: ReadonlySet<string> | undefined;
  /** Makes each round of tool calls, in this thread. */
  readonly execute: CallExecutor;
}

/** Runs a program apart from this thread; the result has the shape of an in-process run's. Never rejects. */
export type IsolatedRunner = (run: IsolatedRun) => Promise<RunResult>;

let installed: IsolatedRunner | undefined;

/** Installs the runner behind `isolation: "worker"` (the Node entry's worker pool). @internal */
export function installIsolation(runner: IsolatedRunner): void {
  installed = runner;
}

/** The installed runner, or undefined where there is none (`ptc-lisp/core`). @internal */
export function isolatedRunner(): IsolatedRunner | undefined {
  return installed;
}
