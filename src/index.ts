/**
 * ptc-lisp: programmatic tool calling. Models write PTC-Lisp programs; this library parses,
 * checks and runs them in a sandbox whose only contact with the world is tool calls.
 *
 * The main entry, for Node: everything in `ptc-lisp/core`, plus what needs Node's modules,
 * installed when this module is imported: worker isolation (`isolation: "worker"`, the worker
 * pool) and files (the compile cache under `.ptc/agents` by default, `fileAgentStore`, cassette
 * files, `loadCompiledAgent(path)`, `compiled.save(path)`).
 *
 * @packageDocumentation
 */
import { installFiles } from "./internal/files.js";
import { nodeFiles } from "./internal/node-files.js";
import { installIsolation } from "./runtime/isolation.js";
import { runIsolated } from "./runtime/worker-pool.js";

installFiles(nodeFiles);
installIsolation(runIsolated);

export { fileAgentStore } from "./agent/cache/store.js";
export * from "./core.js";
export type { WorkerPoolOptions } from "./runtime/worker-pool.js";
export { closeWorkerPool, configureWorkerPool } from "./runtime/worker-pool.js";
