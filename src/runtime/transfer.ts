import type { Diagnostic } from "../errors/diagnostic.js";
import { makeError } from "../errors/errors.js";
import { NATURAL_ORDER } from "../lisp/builtins/maps-sets.js";
import { compileRegex } from "../lisp/builtins/regex.js";
import { BUILTINS } from "../lisp/builtins/registry.js";
import type { Limits } from "../lisp/eval/budget.js";
import type { PendingCall } from "../lisp/eval/runtime.js";
import {
  Atom,
  ExInfo,
  Fn,
  Keyword,
  keySlot,
  LazySeq,
  LMap,
  MapEntry,
  PList,
  PMap,
  PSet,
  PVector,
  Regex,
  SortedMap,
  type SortOrder,
  Sym,
  type Value,
  Var,
} from "../lisp/values/value.js";
import type { ExecutedCall } from "./replay.js";
import type { RunUsage } from "./run-result.js";

// Values cross between a worker and its host as a structured-clone-friendly tree: primitives as
// themselves (structured clone keeps NaN, ±Infinity and -0), everything else as an array whose
// first element is a tag. Chosen over re-reading printed EDN because it is exact for every data
// value (map key forms, list vs seq, map entries, atoms shared or cyclic, regexes) and needs no
// reader on the way back. Builtin functions come back as themselves; closures as IsolatedFn.

/** An encoded value: a primitive, or a tagged array. */
export type Encoded = null | boolean | number | string | readonly unknown[];

/** A function from an isolated run: prints like the original, fails if called. */
export class IsolatedFn extends Fn {
  constructor(readonly name: string) {
    super();
  }
  invoke(): Value {
    throw makeError("isolated_function", { name: this.name || "fn" });
  }
}

export function encodeValue(value: Value, atoms: Map<Atom, number> = new Map()): Encoded {
  if (value === null || typeof value !== "object") return value;
  const encode = (item: Value): Encoded => encodeValue(item, atoms);
  if (value instanceof Keyword) return ["k", value.ns, value.name];
  if (value instanceof Sym) return ["y", value.ns, value.name];
  if (value instanceof MapEntry) return ["e", encode(value.key), encode(value.val)];
  if (value instanceof PVector) return ["v", value.toArray().map(encode)];
  if (value instanceof PList) return ["l", value.items.map(encode), value.isList];
  if (value instanceof LazySeq) {
    if (value.infinite) throw makeError("invalid_argument", { fn: "result", reason: "an infinite sequence" });
    return ["l", [...value].map(encode), false];
  }
  if (value instanceof LMap) {
    const keys: Encoded[] = [];
    const vals: Encoded[] = [];
    for (const [k, v] of value.entries()) {
      keys.push(encode(k));
      vals.push(encode(v));
    }
    if (value instanceof SortedMap) return ["sm", keys, vals, encode(value.order.fn)];
    return ["m", keys, vals];
  }
  if (value instanceof PSet) {
    const items = [...value].map(encode);
    const order = value.order;
    return order === undefined ? ["s", items] : ["ss", items, encode(order.fn)];
  }
  if (value instanceof Fn) return BUILTINS.get(value.name) === value ? ["b", value.name] : ["f", value.name];
  if (value instanceof Atom) {
    const seen = atoms.get(value);
    if (seen !== undefined) return ["r", seen];
    const id = atoms.size;
    atoms.set(value, id);
    return ["a", id, encode(value.value)];
  }
  if (value instanceof Var) return ["w", value.name];
  if (value instanceof Regex) return ["x", value.source];
  if (value instanceof ExInfo) return ["i", value.message, encode(value.data), encode(value.cause)];
  return null;
}

export function decodeValue(encoded: unknown, atoms: Map<number, Atom> = new Map()): Value {
  if (encoded === null || typeof encoded !== "object") return encoded as Value;
  const node = encoded as readonly unknown[];
  const decode = (item: unknown): Value => decodeValue(item, atoms);
  const list = (items: unknown): Value[] => (items as readonly unknown[]).map(decode);
  switch (node[0]) {
    case "k":
      return Keyword.of(node[2] as string, node[1] as string | null);
    case "y":
      return Sym.of(node[2] as string, node[1] as string | null);
    case "e":
      return new MapEntry(decode(node[1]), decode(node[2]));
    case "v":
      return PVector.from(list(node[1]));
    case "l":
      return PList.from(list(node[1]), node[2] === true);
    case "m": {
      // Keys exactly as they were (a map may hold both :a and "a", see PMap).
      const keys = list(node[1]);
      const vals = list(node[2]);
      let map = PMap.EMPTY;
      for (let i = 0; i < keys.length; i++) map = map.assocExact(keys[i] as Value, vals[i] as Value);
      return map;
    }
    case "s":
      return PSet.from(list(node[1]));
    case "sm": {
      const keys = list(node[1]);
      const vals = list(node[2]);
      let map = new SortedMap(null, transferredOrder(keys, decode(node[3])), true);
      for (let i = 0; i < keys.length; i++) map = map.assoc(keys[i] as Value, vals[i] as Value);
      return map;
    }
    case "ss": {
      const items = list(node[1]);
      let set = PSet.sorted(transferredOrder(items, decode(node[2])));
      for (const item of items) set = set.conj(item);
      return set;
    }
    case "b":
      return BUILTINS.get(node[1] as string) ?? new IsolatedFn(node[1] as string);
    case "f":
      return new IsolatedFn(node[1] as string);
    case "a": {
      const atom = new Atom(null);
      atoms.set(node[1] as number, atom);
      atom.value = decode(node[2]);
      return atom;
    }
    case "r":
      return atoms.get(node[1] as number) ?? null;
    case "w":
      return new Var(node[1] as string);
    case "x":
      return compileRegex(node[1] as string);
    case "i":
      return new ExInfo(node[1] as string, decode(node[2]), decode(node[3]));
    default:
      return null;
  }
}

/**
 * The order of a sorted collection that crossed from a worker: natural order as it was; a
 * `-by` comparator (a closure left in the worker) as the keys' transferred order, so reads of
 * those keys work and adding a new key fails as calling the comparator would
 * (`isolated_function`).
 */
function transferredOrder(keys: readonly Value[], fn: Value): SortOrder {
  if (fn === null) return NATURAL_ORDER;
  const ranks = new Map<unknown, number>();
  keys.forEach((key, i) => {
    ranks.set(keySlot(key), i);
  });
  const rank = (key: Value): number => {
    const found = ranks.get(keySlot(key));
    if (found === undefined) throw makeError("isolated_function", { name: fn instanceof Fn ? fn.name : "fn" });
    return found;
  };
  return {
    compare: (a, b) => Math.sign(rank(a) - rank(b)),
    incomparable: NATURAL_ORDER.incomparable,
    fn,
  };
}

// ---------------------------------------------------------------------------------------------
// Messages between the host (worker-pool.ts) and the worker (worker.ts)

/** Host to worker: start a run. */
export interface RunMessage {
  readonly type: "run";
  readonly source: string;
  /** The program's global names, in slot order (compiled as `predefined`, so slots match). */
  readonly globalNames: readonly string[];
  readonly dataJson: string;
  readonly limits: Required<Limits>;
  /** Callable tool names; null when any name may be called (replay without tools). */
  readonly names: readonly string[] | null;
  readonly globals: readonly (readonly [string, Encoded])[];
}

/** Host to worker: the outcomes of the round of tool calls the worker asked for. */
export interface OutcomesMessage {
  readonly type: "outcomes";
  readonly results: readonly ExecutedCall[];
}

/** Host to worker: the round of tool calls ended the run (abort, replay mismatch). */
export interface CallFailedMessage {
  readonly type: "call-failed";
  readonly error: Diagnostic;
}

export type HostMessage = RunMessage | OutcomesMessage | CallFailedMessage;

/** Worker to host: its modules are loaded; runs can be sent. */
export interface ReadyMessage {
  readonly type: "ready";
}

/** Worker to host: the program is compiled and the first pass starts. */
export interface StartedMessage {
  readonly type: "started";
}

/** Worker to host: a pass needs these tool calls. */
export interface ToolsMessage {
  readonly type: "tools";
  readonly calls: readonly PendingCall[];
}

/** Worker to host: the run is over. `toolCalls` and `trace` are the host's own copies. */
export interface ResultMessage {
  readonly type: "result";
  readonly ok: boolean;
  /** The encoded value (success, or `fail`), absent otherwise. */
  readonly value?: Encoded;
  readonly json?: unknown;
  readonly signal?: "return";
  readonly error?: Diagnostic;
  readonly prints: readonly string[];
  readonly usage: RunUsage;
  readonly globals: readonly (readonly [string, Encoded])[];
}

export type WorkerMessage = ReadyMessage | StartedMessage | ToolsMessage | ResultMessage;

/**
 * The run's result, serialized in the worker so that the host can check its size before it decodes
 * anything (worker-pool.ts).
 */
export interface ResultBytesMessage {
  readonly type: "result-bytes";
  readonly bytes: Uint8Array;
}
