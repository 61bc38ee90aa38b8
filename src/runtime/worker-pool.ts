/**
 * Worker isolation (RunOptions.isolation = "worker"): the host side. A run is handed to a
 * pooled worker thread (worker.ts) that compiles the program and runs the whole pass loop;
 * each round of tool calls comes back here, where the tools run, and the outcomes go back.
 * The host keeps the second wall: V8 heap and stack limits fixed when the worker starts, a
 * hard `terminate()` when a pass overruns its deadline, and abort through a shared flag the
 * worker's budget reads (or termination, if the worker does not stop in time).
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { deserialize } from "node:v8";
import { Worker } from "node:worker_threads";
import { formatMessage } from "../errors/codes.js";
import type { Diagnostic } from "../errors/diagnostic.js";
import { AbortedError, LimitExceededError, LispError, makeDiagnostic } from "../errors/errors.js";
import { DEFAULT_LIMITS, type Limits } from "../lisp/eval/budget.js";
import { internalError } from "../lisp/eval/runtime.js";
import { fromJSON } from "../lisp/values/json.js";
import type { Atom, Value } from "../lisp/values/value.js";
import type { ToolCallRecord } from "../tools/define-tool.js";
import type { IsolatedRun } from "./isolation.js";
import { type TraceEntry, toolCallRecord } from "./replay.js";
import { failedRun, NO_USAGE, type RunOptions, type RunResult } from "./run-result.js";
import {
  decodeValue,
  type Encoded,
  encodeValue,
  type HostMessage,
  type ResultBytesMessage,
  type ResultMessage,
  type RunMessage,
  type WorkerMessage,
} from "./transfer.js";

/** Options of the worker pool behind `isolation: "worker"`. */
export interface WorkerPoolOptions {
  /**
   * Most worker threads alive at once; further isolated runs wait for a free worker (their
   * wait is not run time). Default: the machine's available parallelism, at most 4.
   */
  readonly maxWorkers?: number;
}

const MIB = 1024 * 1024;
/**
 * Old-space heap: a base for the interpreter, plus multiples of the memory budget and of the
 * data's JSON size. The budget counts estimated bytes (8 per element, 2 per character); V8's
 * real footprint is several times that for small maps and boxed numbers.
 */
const HEAP_BASE_MB = 64;
const HEAP_PER_BUDGET_MB = 4;
const HEAP_PER_DATA_MB = 4;
/** Stack: enough for `depth` Lisp calls (measured 0.7–0.9 KiB of host stack per simple call; ×4 for richer bodies). */
const STACK_BASE_MB = 2;
const STACK_PER_CALL_KB = 4;
/** The stack is outside the heap limit: a host raising `depth` very high gets at most this much. */
const MAX_STACK_MB = 256;
/** A run may compute this long past `timeMs` (plus 10 %) before the worker is terminated. */
const DEADLINE_MARGIN_MS = 100;
/** Compiling the program and parsing the data, before the first pass: base + per 1,000 characters. */
const SETUP_BASE_MS = 2000;
/** Longest delay setTimeout honours; a longer deadline (e.g. `timeMs: Infinity`) is none. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Thread start-up and module loading, which no run is charged for. */
const STARTUP_TIMEOUT_MS = 60_000;
/** After an abort, the worker gets this long to stop at its next budget check before it is terminated. */
const ABORT_GRACE_MS = 50;
/**
 * The largest serialized result the host decodes, as multiples of the run's budgets. The
 * worker refuses a result over `memoryBytes` / 2 characters before sending it; the encoding
 * (tagged arrays, the value sent both as a value and as JSON) costs a few bytes per character,
 * so this bound is met only by a worker that misbehaves.
 */
const TRANSFER_PER_MEMORY_BYTE = 4;
const TRANSFER_PER_OUTPUT_BYTE = 4;
const TRANSFER_BASE_BYTES = 16 * MIB;

/** The most bytes of serialized result the host accepts from a run with these limits. */
export function maxTransferBytes(limits: Required<Limits>): number {
  return (
    TRANSFER_BASE_BYTES + TRANSFER_PER_MEMORY_BYTE * limits.memoryBytes + TRANSFER_PER_OUTPUT_BYTE * limits.outputBytes
  );
}

function roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** The V8 limits a worker is started with (worker_threads `resourceLimits`), in MB. */
export interface WorkerLimits {
  readonly maxOldGenerationSizeMb: number;
  readonly maxYoungGenerationSizeMb: number;
  readonly stackSizeMb: number;
}

/** V8 limits for a run's worker, rounded so that runs with similar limits share workers. */
export function resourceLimitsFor(limits: Required<Limits>, dataChars: number): WorkerLimits {
  const budgetMb = limits.memoryBytes / MIB;
  return {
    maxOldGenerationSizeMb: roundUp(
      HEAP_BASE_MB + HEAP_PER_BUDGET_MB * budgetMb + (HEAP_PER_DATA_MB * dataChars) / MIB,
      64,
    ),
    maxYoungGenerationSizeMb: clamp(roundUp(budgetMb / 8, 16), 16, 64),
    stackSizeMb: clamp(roundUp(STACK_BASE_MB + (limits.depth * STACK_PER_CALL_KB) / 1024, 2), 4, MAX_STACK_MB),
  };
}

// ---------------------------------------------------------------------------------------------
// The pool

interface Job {
  onMessage(message: WorkerMessage | ResultBytesMessage): void;
  /** The worker died (out of memory, crashed, or terminated by closeWorkerPool). */
  onDeath(diagnostic: Diagnostic): void;
}

interface PooledWorker {
  readonly worker: Worker;
  readonly profile: string;
  readonly resourceLimits: WorkerLimits;
  /** Shared with the worker: 1 aborts the current run. */
  readonly abort: Int32Array;
  job: Job | undefined;
  dead: boolean;
  /** The worker has loaded its modules (thread start-up is never charged to a run). */
  ready: boolean;
  onReady: (() => void) | undefined;
}

interface Waiter {
  readonly profile: string;
  readonly resourceLimits: WorkerLimits;
  readonly resolve: (slot: PooledWorker) => void;
  readonly reject: (error: unknown) => void;
}

let entry: { readonly script: URL | string; readonly eval: boolean } | undefined;

/**
 * The worker script: worker.js next to this module (the built package), or, when this module
 * runs from TypeScript sources (tests), a bootstrap that registers tsx (a devDependency) in the
 * worker and imports worker.ts.
 */
function workerEntry(): { readonly script: URL | string; readonly eval: boolean } {
  if (entry === undefined) {
    const here = import.meta.url;
    if (here.endsWith(".ts")) {
      const tsxRoot = dirname(createRequire(here).resolve("tsx/package.json"));
      const api = pathToFileURL(join(tsxRoot, "dist", "esm", "api", "index.mjs")).href;
      const target = new URL("./worker.ts", here).href;
      const script = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}); });`;
      entry = { script, eval: true };
    } else {
      entry = { script: new URL("./worker.js", here), eval: false };
    }
  }
  return entry;
}

const pool = {
  maxWorkers: Math.max(1, Math.min(4, availableParallelism())),
  all: new Set<PooledWorker>(),
  idle: [] as PooledWorker[],
  waiters: [] as Waiter[],
  spawned: 0,
  terminated: 0,
};

function spawn(profile: string, resourceLimits: WorkerLimits): PooledWorker {
  const { script, eval: isCode } = workerEntry();
  const abort = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(script, {
    eval: isCode,
    execArgv: [],
    resourceLimits,
    workerData: { abort: abort.buffer },
  });
  const slot: PooledWorker = {
    worker,
    profile,
    resourceLimits,
    abort,
    job: undefined,
    dead: false,
    ready: false,
    onReady: undefined,
  };
  pool.all.add(slot);
  pool.spawned++;
  const startup = setTimeout(() => {
    die(slot, internalError(new Error(`the worker did not start within ${STARTUP_TIMEOUT_MS} ms`)).toDiagnostic());
  }, STARTUP_TIMEOUT_MS);
  startup.unref();
  worker.on("message", (message: WorkerMessage | ResultBytesMessage) => {
    if (message.type === "ready") {
      clearTimeout(startup);
      slot.ready = true;
      const onReady = slot.onReady;
      slot.onReady = undefined;
      onReady?.();
    } else {
      slot.job?.onMessage(message);
    }
  });
  worker.on("error", (error: Error & { code?: string }) => {
    const diagnostic =
      error.code === "ERR_WORKER_OUT_OF_MEMORY"
        ? new LimitExceededError(
            "memory",
            formatMessage("worker_out_of_memory", { max: resourceLimits.maxOldGenerationSizeMb }),
          ).toDiagnostic()
        : internalError(error).toDiagnostic();
    die(slot, diagnostic);
  });
  worker.on("exit", (code) => die(slot, internalError(new Error(`worker exited with code ${code}`)).toDiagnostic()));
  return slot;
}

function die(slot: PooledWorker, diagnostic: Diagnostic): void {
  const job = slot.job;
  slot.onReady = undefined;
  discard(slot, true);
  job?.onDeath(diagnostic);
}

/**
 * Terminates a worker and forgets it; a waiting run gets a new one. With `replace` (the worker
 * was killed or died after starting), a fresh idle worker of the same profile starts at once,
 * so the next run does not pay the start-up.
 */
function discard(slot: PooledWorker, replace = false): void {
  slot.job = undefined;
  const wasAlive = !slot.dead;
  if (wasAlive) {
    slot.dead = true;
    pool.terminated++;
    slot.worker.unref();
    slot.worker.terminate().catch(() => {});
  }
  pool.all.delete(slot);
  const index = pool.idle.indexOf(slot);
  if (index >= 0) pool.idle.splice(index, 1);
  const waiter = pool.waiters[0];
  if (waiter !== undefined && pool.all.size < pool.maxWorkers) {
    pool.waiters.shift();
    waiter.resolve(spawn(waiter.profile, waiter.resourceLimits));
  } else if (replace && wasAlive && slot.ready && pool.all.size < pool.maxWorkers) {
    const fresh = spawn(slot.profile, slot.resourceLimits);
    fresh.worker.unref();
    pool.idle.push(fresh);
  }
}

function profileOf(resourceLimits: WorkerLimits): string {
  return `${resourceLimits.maxOldGenerationSizeMb}/${resourceLimits.maxYoungGenerationSizeMb}/${resourceLimits.stackSizeMb}`;
}

function acquire(resourceLimits: WorkerLimits, signal: AbortSignal | undefined): Promise<PooledWorker> {
  const profile = profileOf(resourceLimits);
  const index = pool.idle.findIndex((slot) => slot.profile === profile);
  if (index >= 0) {
    const [slot] = pool.idle.splice(index, 1) as [PooledWorker];
    slot.worker.ref();
    return Promise.resolve(slot);
  }
  if (pool.all.size >= pool.maxWorkers && pool.idle.length > 0) discard(pool.idle[0] as PooledWorker);
  if (pool.all.size < pool.maxWorkers) return Promise.resolve(spawn(profile, resourceLimits));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      const at = pool.waiters.indexOf(waiter);
      if (at >= 0) pool.waiters.splice(at, 1);
      reject(new AbortedError(""));
    };
    const waiter: Waiter = {
      profile,
      resourceLimits,
      resolve: (slot) => {
        signal?.removeEventListener("abort", onAbort);
        slot.worker.ref();
        resolve(slot);
      },
      reject: (error) => {
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      },
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    pool.waiters.push(waiter);
  });
}

function release(slot: PooledWorker): void {
  slot.job = undefined;
  if (slot.dead) return;
  const waiter = pool.waiters.shift();
  if (waiter === undefined) {
    if (pool.all.size > pool.maxWorkers) {
      discard(slot);
      return;
    }
    slot.worker.unref();
    pool.idle.push(slot);
  } else if (waiter.profile === slot.profile) {
    waiter.resolve(slot);
  } else {
    pool.waiters.unshift(waiter);
    discard(slot);
  }
}

/**
 * Sets the pool's options. Lowering `maxWorkers` stops idle workers beyond it at once and busy
 * ones when their runs end.
 */
export function configureWorkerPool(options: WorkerPoolOptions): void {
  if (options.maxWorkers !== undefined) {
    pool.maxWorkers = Math.max(1, Math.floor(options.maxWorkers));
    while (pool.all.size > pool.maxWorkers && pool.idle.length > 0) discard(pool.idle[0] as PooledWorker);
  }
}

/**
 * Terminates every worker of the pool. Runs still in progress fail with `aborted`; a later
 * isolated run starts a new pool. Idle workers never keep the process alive, so calling this is
 * needed only to free their memory or to stop runs at shutdown.
 */
export async function closeWorkerPool(): Promise<void> {
  const slots = [...pool.all];
  const waiters = pool.waiters.splice(0);
  const closed = new AbortedError(": the worker pool was closed");
  for (const waiter of waiters) waiter.reject(closed);
  await Promise.all(
    slots.map((slot) => {
      const job = slot.job;
      const exited = slot.dead ? Promise.resolve() : slot.worker.terminate().catch(() => 0);
      discard(slot);
      job?.onDeath(closed.toDiagnostic());
      return exited;
    }),
  );
}

/** Counters for tests and diagnostics: workers alive, idle, started and terminated so far. @internal */
export function workerPoolStats(): {
  alive: number;
  idle: number;
  waiting: number;
  spawned: number;
  terminated: number;
} {
  return {
    alive: pool.all.size,
    idle: pool.idle.length,
    waiting: pool.waiters.length,
    spawned: pool.spawned,
    terminated: pool.terminated,
  };
}

// ---------------------------------------------------------------------------------------------
// One isolated run

function abortedDiagnostic(signal: AbortSignal | undefined): Diagnostic {
  const reason: unknown = signal?.reason;
  const text = reason instanceof Error ? `: ${reason.message}` : typeof reason === "string" ? `: ${reason}` : "";
  return new AbortedError(text).toDiagnostic();
}

function encodeGlobals(names: readonly string[], given: RunOptions["globals"]): [string, Encoded][] {
  if (given === undefined) return [];
  const atoms = new Map<Atom, number>();
  const out: [string, Encoded][] = [];
  for (const name of names) {
    let value: Value | undefined;
    if (given instanceof Map) value = given.get(name);
    else if (Object.hasOwn(given, name)) value = fromJSON((given as Record<string, unknown>)[name]);
    if (value !== undefined) out.push([name, encodeValue(value, atoms)]);
  }
  return out;
}

/** The limits as plain numbers, without anything else the caller's object carried. */
function knownLimits(limits: Required<Limits>): Required<Limits> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) out[name] = Number(limits[name]);
  return out as Required<Limits>;
}

function callFailure(error: unknown): Diagnostic {
  return error instanceof LispError ? error.toDiagnostic() : internalError(error).toDiagnostic();
}

/** Runs a program in a pooled worker; the result has the shape of an in-process run's. Never rejects. */
export async function runIsolated(run: IsolatedRun): Promise<RunResult> {
  const { options, limits } = run;
  const signal = options.signal;
  const trace: TraceEntry[] = [];
  const toolCalls: ToolCallRecord[] = [];
  let passes = 0;
  let activeMs = 0;
  const failure = (error: Diagnostic): RunResult =>
    failedRun(error, { toolCalls, trace, usage: { ...NO_USAGE, ms: activeMs, passes } });
  if (signal?.aborted) return failure(abortedDiagnostic(signal));

  let dataJson: string;
  let globals: [string, Encoded][];
  try {
    dataJson = JSON.stringify(options.data ?? null) ?? "null";
    globals = encodeGlobals(run.globalNames, options.globals);
  } catch {
    return failure(makeDiagnostic("not_transferable", { what: "the input data or globals" }));
  }
  const resourceLimits = resourceLimitsFor(limits, dataJson.length);
  let slot: PooledWorker;
  try {
    slot = await acquire(resourceLimits, signal);
  } catch (error) {
    if (signal?.aborted) return failure(abortedDiagnostic(signal));
    return failure(error instanceof LispError ? error.toDiagnostic() : internalError(error).toDiagnostic());
  }
  // The signal may have fired after the slot was handed over and before a listener is added
  // below (one signal shared by several runs: the run that freed this slot was aborted by it).
  if (signal?.aborted) {
    release(slot);
    return failure(abortedDiagnostic(signal));
  }
  const worker = slot;
  const marginMs = DEADLINE_MARGIN_MS + limits.timeMs / 10;

  return new Promise<RunResult>((resolve) => {
    let state: "starting" | "setup" | "computing" | "tools" | "done" = "starting";
    let segmentStart = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let grace: ReturnType<typeof setTimeout> | undefined;
    let abortRequested = false;

    /** Posts a message; a value that cannot be cloned (e.g. a function in a replayed result) returns the error. */
    const send = (message: HostMessage, what: string): Diagnostic | undefined => {
      try {
        worker.worker.postMessage(message);
        return undefined;
      } catch {
        return makeDiagnostic("not_transferable", { what });
      }
    };
    const arm = (ms: number) => {
      if (timer !== undefined) clearTimeout(timer);
      timer = ms < MAX_TIMER_MS ? setTimeout(onDeadline, ms) : undefined;
    };
    const endSegment = () => {
      activeMs += performance.now() - segmentStart;
    };
    const finish = (result: RunResult, keep: boolean) => {
      if (state === "done") return;
      state = "done";
      if (timer !== undefined) clearTimeout(timer);
      if (grace !== undefined) clearTimeout(grace);
      signal?.removeEventListener("abort", onAbort);
      if (keep) release(worker);
      else discard(worker, true);
      resolve(result);
    };
    const onDeadline = () => {
      if (state !== "setup" && state !== "computing") return;
      const setupMs = performance.now() - segmentStart;
      endSegment();
      const used = Math.round(state === "computing" ? activeMs : setupMs);
      const diagnostic = new LimitExceededError(
        "time",
        formatMessage("limit_exceeded", { limit: "time", max: limits.timeMs, used, unit: "ms" }),
      ).toDiagnostic();
      finish(failure({ ...diagnostic, details: { terminated: true } }), false);
    };
    const onAbort = () => {
      if (state === "done") return;
      if (state === "starting") {
        worker.onReady = undefined;
        finish(failure(abortedDiagnostic(signal)), true);
        return;
      }
      abortRequested = true;
      // Computing, the worker's budget reads the flag at its next check; waiting on tools, the
      // executor sees the signal and the worker ends the run itself. Either way a worker that
      // has not answered within the grace period (a long builtin call, a result in transfer) is
      // terminated and replaced, and the run ends now.
      Atomics.store(worker.abort, 0, 1);
      grace = setTimeout(() => {
        if (state === "done") return;
        if (state === "setup" || state === "computing") endSegment();
        finish(failure(abortedDiagnostic(signal)), false);
      }, ABORT_GRACE_MS);
    };
    const startSegment = () => {
      state = "computing";
      segmentStart = performance.now();
      passes++;
      // timeMs is the run's across passes (tool waits excluded): each pass gets what is left.
      arm(Math.max(0, limits.timeMs - activeMs) + marginMs);
    };
    const onTools = (message: Extract<WorkerMessage, { type: "tools" }>) => {
      state = "tools";
      if (timer !== undefined) clearTimeout(timer);
      endSegment();
      run.execute(message.calls).then(
        (results) => {
          if (state !== "tools") return;
          startSegment();
          const unsent = send({ type: "outcomes", results }, "a tool result");
          if (unsent !== undefined) {
            send({ type: "call-failed", error: unsent }, "an error");
            return;
          }
          for (const { entry } of results) {
            trace.push(entry);
            toolCalls.push(toolCallRecord(entry));
          }
        },
        (error: unknown) => {
          if (state !== "tools") return;
          startSegment();
          send({ type: "call-failed", error: callFailure(error) }, "an error");
        },
      );
    };
    const onResult = (message: ResultMessage) => {
      endSegment();
      let result: RunResult;
      try {
        result = toRunResult(message, trace, toolCalls);
      } catch (error) {
        const diagnostic =
          error instanceof RangeError
            ? new LimitExceededError(
                "depth",
                formatMessage("host_limit", { limit: "depth", reason: "the host stack is exhausted" }),
              ).toDiagnostic()
            : callFailure(error);
        result = failure(diagnostic);
      }
      // A result that arrives after an abort (it was in transfer) is not the run's outcome.
      if (abortRequested)
        result = { ...failure(abortedDiagnostic(signal)), prints: result.prints, usage: result.usage };
      finish(result, true);
    };
    const onResultBytes = (bytes: Uint8Array) => {
      const max = maxTransferBytes(limits);
      if (!(bytes instanceof Uint8Array) || bytes.byteLength > max) {
        endSegment();
        const size = bytes instanceof Uint8Array ? bytes.byteLength : 0;
        const diagnostic = makeDiagnostic("result_too_large_to_transfer", { size, max });
        finish(failure({ ...diagnostic, limit: "memory" }), true);
        return;
      }
      let message: ResultMessage;
      try {
        message = deserialize(bytes) as ResultMessage;
      } catch (error) {
        endSegment();
        finish(failure(internalError(error).toDiagnostic()), false);
        return;
      }
      onResult(message);
    };

    worker.job = {
      onMessage(message) {
        if (state === "done") return;
        if (message.type === "started") startSegment();
        else if (message.type === "tools") onTools(message);
        else if (message.type === "result-bytes") onResultBytes(message.bytes);
        else if (message.type === "result") onResult(message);
      },
      onDeath(diagnostic) {
        if (state === "done") return;
        if (state === "setup" || state === "computing") endSegment();
        finish(failure(diagnostic), false);
      },
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    Atomics.store(worker.abort, 0, 0);
    const message: RunMessage = {
      type: "run",
      source: run.source,
      globalNames: run.globalNames,
      dataJson,
      limits: knownLimits(limits),
      names: run.names === undefined ? null : [...run.names],
      globals,
    };
    const start = () => {
      state = "setup";
      segmentStart = performance.now();
      arm(limits.timeMs + marginMs + SETUP_BASE_MS + (run.source.length + dataJson.length) / 1000);
      const unsent = send(message, "the input data or globals");
      if (unsent !== undefined) finish(failure(unsent), true);
    };
    if (worker.ready) start();
    else worker.onReady = start;
  });
}

function toRunResult(
  message: ResultMessage,
  trace: readonly TraceEntry[],
  toolCalls: readonly ToolCallRecord[],
): RunResult {
  const atoms = new Map<number, Atom>();
  const value = message.value === undefined ? undefined : decodeValue(message.value, atoms);
  const globals = new Map<string, Value>();
  for (const [name, encoded] of message.globals) globals.set(name, decodeValue(encoded, atoms));
  const base = { prints: message.prints, toolCalls, trace, usage: message.usage, globals };
  if (message.ok) {
    return {
      ok: true,
      value: value ?? null,
      json: message.json ?? null,
      ...(message.signal ? { signal: message.signal } : {}),
      ...base,
    };
  }
  const error = message.error ?? internalError(new Error("the worker sent no error")).toDiagnostic();
  return failedRun(error, { ...(value !== undefined ? { value } : {}), ...base });
}
