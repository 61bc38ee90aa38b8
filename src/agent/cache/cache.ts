/**
 * The compiled-agent cache (DESIGN §9.4): artifacts kept in an {@link AgentStore} (store.ts;
 * `.ptc/agents` under the working directory by default in Node), keyed by the SHA-256 of
 * everything that shapes generation. Reading a corrupt or changed entry is an error, never a
 * silent recompile.
 */
import { formatMessage } from "../../errors/codes.js";
import { canonicalJson } from "../../llm/cassette.js";
import { artifactText, invalidArtifact, readArtifact, sha256Hex } from "../compile/artifact.js";
import { COMPILED_FORMAT_VERSION, type CompiledAgentData, type CompiledToolContract } from "../compile/types.js";
import type { Strategy } from "../types.js";
import { type AgentStore, checkKey, resolveStore } from "./store.js";

export {
  type AgentStore,
  cacheFile,
  DEFAULT_CACHE_DIR,
  fileAgentStore,
  type MemoryAgentStore,
  memoryAgentStore,
  resolveStore,
} from "./store.js";

/** The version of what the key covers; bumped when its inputs change meaning. */
export const CACHE_KEY_VERSION = 1;

/** Everything that shapes what a compile generates. */
export interface CacheKeyInputs {
  /** The agent's name (recorded in the artifact). Absent: not part of the key. */
  readonly name?: string;
  /** The mission template, `{{placeholders}}` unrendered. */
  readonly template: string;
  /** Budgets of the verification runs, when the agent sets them (they decide what verifies). */
  readonly limits?: Readonly<Record<string, unknown>>;
  /** The signature as text. */
  readonly signature: string;
  /** The tools' contracts (see `contractOf`): signatures, kinds, effects, descriptions. */
  readonly tools: Readonly<Record<string, CompiledToolContract>>;
  readonly model: {
    readonly provider: string;
    readonly modelId: string;
    readonly params: Readonly<Record<string, unknown>>;
  };
  /**
   * The strategy: a `Strategy` (its verifiers are keyed by `verifierName`, its cost function
   * by `costName`) or one already made serializable.
   */
  readonly strategy: Strategy | Readonly<Record<string, unknown>>;
  /** Descriptions of functions the caller found without a stable name: each makes the key null. */
  readonly unnamed?: readonly string[];
  /** The sample inputs (or `{input, output}` golden examples), in order. */
  readonly samples: readonly unknown[];
}

/** A cache key, or null (with the reasons as warnings) when the agent cannot be cached. */
export interface CacheKey {
  readonly key: string | null;
  readonly warnings: readonly string[];
}

function functionName(fn: { readonly name?: unknown }): string {
  return typeof fn.name === "string" && fn.name !== "" ? fn.name : "(anonymous)";
}

/**
 * The strategy as JSON: numbers as they are, verifiers by `verifierName` and the cost function
 * by `costName`. A function without its name is a warning (and `null` in the data).
 */
export function serializeStrategy(strategy: Strategy | Readonly<Record<string, unknown>>): {
  data: Record<string, unknown>;
  warnings: string[];
} {
  const warnings: string[] = [];
  const named = (value: unknown, what: string, property: "verifierName" | "costName" | "name"): unknown => {
    if (typeof value !== "function") return value;
    const name = (value as unknown as Record<string, unknown>)[property];
    if (property !== "name" && typeof name === "string" && name !== "") return name;
    warnings.push(formatMessage("agent_uncacheable", { what, name: functionName(value), property }));
    return null;
  };
  const data: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(strategy)) {
    if (value === undefined) continue;
    if (field === "verify") {
      const list: readonly unknown[] = Array.isArray(value) ? value : [value];
      data[field] = list.map((verifier) => named(verifier, "the verifier", "verifierName"));
    } else if (field === "cost") {
      data[field] = named(value, "the cost function", "costName");
    } else {
      data[field] = named(value, `the strategy's ${field}`, "name");
    }
  }
  return { data, warnings };
}

/**
 * The cache key: SHA-256 (hex) of the canonical JSON of the inputs (object key order does not
 * matter). The language revision is not part of it: after an upgrade, a cached artifact is
 * re-checked on load instead. Null, with a warning naming each, when a verifier has no
 * `verifierName` or the cost function no `costName`.
 */
export async function cacheKey(inputs: CacheKeyInputs): Promise<CacheKey> {
  const { data, warnings } = serializeStrategy(inputs.strategy);
  warnings.push(...(inputs.unnamed ?? []));
  if (warnings.length > 0) return { key: null, warnings };
  const key = await sha256Hex(
    canonicalJson({
      keyVersion: CACHE_KEY_VERSION,
      formatVersion: COMPILED_FORMAT_VERSION,
      ...(inputs.name === undefined ? {} : { name: inputs.name }),
      template: inputs.template,
      ...(inputs.limits === undefined ? {} : { limits: inputs.limits }),
      signature: inputs.signature,
      tools: inputs.tools,
      model: inputs.model,
      strategy: data,
      samples: inputs.samples,
    }),
  );
  return { key, warnings: [] };
}

/** The artifact stored under `key`, or undefined when there is none. */
async function readStored(store: AgentStore, key: string): Promise<CompiledAgentData | undefined> {
  const origin = store.locate(key);
  let text: string | undefined;
  try {
    text = await store.read(key);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidArtifact("compiled_agent_unreadable", { origin, reason }, {}, error);
  }
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidArtifact("compiled_agent_not_json", { origin, reason }, {}, error);
  }
  return readArtifact(json, origin);
}

/**
 * The cached artifact of `key` in a store (a directory: its file store), or undefined when
 * there is none. Rejects with `LispError` (`compiled_agent_invalid`, naming where it is) when
 * what is stored is not JSON, is malformed, was changed (hash), or records another key.
 */
export async function readCache(place: AgentStore | string, key: string): Promise<CompiledAgentData | undefined> {
  const store = resolveStore(place);
  checkKey(key, store.location);
  const origin = store.locate(key);
  const data = await readStored(store, key);
  if (data !== undefined && data.key !== key) {
    throw invalidArtifact("compiled_agent_key_mismatch", { origin, recorded: String(data.key), expected: key });
  }
  return data;
}

/**
 * Stores an artifact under its key in a store (a directory: its file store, `<key>.json`,
 * written atomically). An entry that already holds an artifact with the same hash is left
 * alone. Returns where it is (the file, for a file store), or undefined (writing nothing) for
 * an artifact without a key. Rejects with the store's error.
 */
export async function writeCache(place: AgentStore | string, data: CompiledAgentData): Promise<string | undefined> {
  if (data.key === null) return undefined;
  const store = resolveStore(place);
  checkKey(data.key, store.location);
  const origin = store.locate(data.key);
  const existing = await readStored(store, data.key).catch(() => undefined);
  if (existing?.hash === data.hash) return origin;
  await store.write(data.key, artifactText(data));
  return origin;
}

const inFlight = new Map<string, Promise<unknown>>();
const storeIds = new WeakMap<AgentStore, number>();
let storesSeen = 0;

/** The lock key of `key` in `store` (see {@link withCacheLock}): one per store object and key. */
export function cacheLockKey(store: AgentStore, key: string): string {
  let id = storeIds.get(store);
  if (id === undefined) {
    id = ++storesSeen;
    storeIds.set(store, id);
  }
  return `${id}\u0000${key}`;
}

/**
 * Runs `fn` once per `key` at a time in this process: a call made while another with the same
 * key is in flight gets that call's promise (result or rejection) instead of running `fn`.
 */
export function withCacheLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const running = inFlight.get(key);
  if (running !== undefined) return running as Promise<T>;
  const started = Promise.resolve()
    .then(fn)
    .finally(() => inFlight.delete(key));
  inFlight.set(key, started);
  return started;
}
