/**
 * ptc-lisp: programmatic tool calling. Models write PTC-Lisp programs; this library parses,
 * checks and runs them in a sandbox whose only contact with the world is tool calls.
 *
 * The main entry, for Node: everything in `ptc-lisp/core`, plus worker isolation
 * (`isolation: "worker"`) and files (the compile cache under `.ptc/agents`, cassette files,
 * `loadCompiledAgent(path)`, `compiled.save(path)`).
 *
 * @packageDocumentation
 */
export * from "./core.js";
export type { WorkerPoolOptions } from "./runtime/worker-pool.js";
export { closeWorkerPool, configureWorkerPool } from "./runtime/worker-pool.js";
