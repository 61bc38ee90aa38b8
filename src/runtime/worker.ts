/**
 * Entry of an isolation worker (see worker-pool.ts): compiles the program it is sent (cached
 * by source), runs the whole pass loop here, and asks the host for each round of tool calls.
 */
import { serialize } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import { formatMessage } from "../errors/codes.js";
import type { Diagnostic } from "../errors/diagnostic.js";
import { LimitExceededError, LispError } from "../errors/errors.js";
import { exceeded, type Limits } from "../lisp/eval/budget.js";
import { internalError } from "../lisp/eval/runtime.js";
import type { Meter } from "../lisp/values/meter.js";
import { measureJson, measureResult } from "../lisp/values/result-size.js";
import type { Atom, Value } from "../lisp/values/value.js";
import { compile } from "./compile.js";
import type { Program, RunResult } from "./program.js";
import type { CallExecutor, ExecutedCall } from "./replay.js";
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

const port = parentPort;
if (port === null) throw new Error("worker.ts must run in a worker thread");

/** Set to 1 by the host to abort the current run; read at every budget check. */
const abortFlag = new Int32Array((workerData as { abort: SharedArrayBuffer }).abort);

// The budget reads only `aborted` (and the run reads `reason`); the flag is the one way the host
// can reach a pass that is computing, since the pass never yields to this thread's event loop.
const flagSignal = {
  get aborted(): boolean {
    return Atomics.load(abortFlag, 0) === 1;
  },
  reason: undefined,
} as unknown as AbortSignal;

const PROGRAM_CACHE_SIZE = 64;
const programs = new Map<string, Program>();

function programFor(message: RunMessage): Program {
  const key = `${message.globalNames.join("\u0000")}\u0001${message.source}`;
  const cached = programs.get(key);
  if (cached !== undefined) {
    programs.delete(key);
    programs.set(key, cached);
    return cached;
  }
  const compiled = compile(message.source, {
    predefined: message.globalNames,
    maxSourceChars: Number.POSITIVE_INFINITY,
  });
  if (!compiled.ok) {
    const [first] = compiled.diagnostics;
    throw new LispError(first?.code ?? "parse_error", first?.phase ?? "parse", first?.message ?? "compile failed");
  }
  if (programs.size >= PROGRAM_CACHE_SIZE) programs.delete(programs.keys().next().value as string);
  programs.set(key, compiled.program);
  return compiled.program;
}

let waiting: { resolve: (results: readonly ExecutedCall[]) => void; reject: (error: unknown) => void } | undefined;

const executor: CallExecutor = (pending) =>
  new Promise((resolve, reject) => {
    waiting = { resolve, reject };
    post({ type: "tools", calls: pending.map(({ name, args, key }) => ({ name, args, key })) });
  });

function post(message: WorkerMessage | ResultBytesMessage): void {
  (port as NonNullable<typeof port>).postMessage(message);
}

/**
 * What measuring the outgoing result is charged to: the fuel the run left, and a memory
 * allowance of its own (the whole `memoryBytes`), so a result the run already paid for inside
 * its pass is not refused for being counted twice, and nothing larger ever leaves the worker.
 */
function transferMeter(limits: Required<Limits>, fuelUsed: number): Meter {
  let fuelLeft = limits.fuel - fuelUsed;
  let bytes = 0;
  return {
    charge(units) {
      fuelLeft -= units;
      if (fuelLeft < 0) throw exceeded("fuel", limits.fuel, limits.fuel - fuelLeft, "steps");
    },
    alloc(more) {
      bytes += more;
      if (bytes > limits.memoryBytes) throw exceeded("memory", limits.memoryBytes, bytes, "bytes");
    },
  };
}

/** Charges everything the result message will carry: the value, the globals, the error's details. */
function measureOutgoing(result: RunResult, limits: Required<Limits>): void {
  const meter = transferMeter(limits, result.usage.fuel);
  if (result.value !== undefined) measureResult(result.value, { meter });
  for (const value of result.globals.values()) measureResult(value, { meter });
  if (!result.ok && result.error.details !== undefined) measureJson(result.error.details, { meter });
}

function encodeGlobals(globals: ReadonlyMap<string, Value>, atoms: Map<Atom, number>): [string, Encoded][] {
  return [...globals].map(([name, value]) => [name, encodeValue(value, atoms)]);
}

function resultMessage(result: RunResult): ResultMessage {
  const atoms = new Map<Atom, number>();
  const base = { prints: result.prints, usage: result.usage };
  if (result.ok) {
    return {
      type: "result",
      ok: true,
      value: encodeValue(result.value, atoms),
      json: result.json,
      ...(result.signal ? { signal: result.signal } : {}),
      ...base,
      globals: encodeGlobals(result.globals, atoms),
    };
  }
  return {
    type: "result",
    ok: false,
    error: result.error,
    ...(result.value !== undefined ? { value: encodeValue(result.value, atoms) } : {}),
    ...base,
    globals: encodeGlobals(result.globals, atoms),
  };
}

/** A failed run's message; `outcome` (the run, when it ended before the failure) gives its prints and usage. */
function failureMessage(error: unknown, outcome?: RunResult): ResultMessage {
  let diagnostic: Diagnostic;
  if (error instanceof LispError) diagnostic = error.toDiagnostic();
  else if (error instanceof RangeError) {
    const reason = "the host stack is exhausted";
    diagnostic = new LimitExceededError(
      "depth",
      formatMessage("host_limit", { limit: "depth", reason }),
    ).toDiagnostic();
  } else diagnostic = internalError(error).toDiagnostic();
  return {
    type: "result",
    ok: false,
    error: diagnostic,
    prints: outcome?.prints ?? [],
    usage: outcome?.usage ?? { fuel: 0, ms: 0, allocations: 0, passes: 0, restarts: 0 },
    globals: [],
  };
}

async function run(message: RunMessage): Promise<void> {
  let result: ResultMessage;
  let outcome: RunResult | undefined;
  try {
    const program = programFor(message);
    const data: unknown = JSON.parse(message.dataJson);
    const globals = new Map<string, Value>();
    const atoms = new Map<number, Atom>();
    for (const [name, encoded] of message.globals) globals.set(name, decodeValue(encoded, atoms));
    post({ type: "started" });
    outcome = await program.runPasses(
      { data, limits: message.limits, globals },
      message.names === null ? undefined : new Set(message.names),
      executor,
      flagSignal,
    );
    measureOutgoing(outcome, message.limits);
    result = resultMessage(outcome);
  } catch (error) {
    result = failureMessage(error, outcome);
  }
  let bytes: Uint8Array;
  try {
    bytes = serialize(result);
  } catch (error) {
    bytes = serialize(failureMessage(error, outcome));
  }
  post({ type: "result-bytes", bytes });
}

port.on("message", (message: HostMessage) => {
  switch (message.type) {
    case "run":
      void run(message);
      return;
    case "outcomes": {
      const current = waiting;
      waiting = undefined;
      current?.resolve(message.results);
      return;
    }
    case "call-failed": {
      const current = waiting;
      waiting = undefined;
      const { code, phase, message: text, ...rest } = message.error;
      current?.reject(
        new LispError(code, phase, text, { ...(rest.details !== undefined ? { details: { ...rest.details } } : {}) }),
      );
      return;
    }
  }
});

post({ type: "ready" });
