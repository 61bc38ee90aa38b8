/**
 * The compiled-agent cache (DESIGN §9.4): artifacts stored as `<key>.json` under a directory
 * (`.ptc/agents` by default, relative to the working directory), keyed by the SHA-256 of
 * everything that shapes generation. Reading a corrupt or changed file is an error, never a
 * silent recompile. Node only for the files: `node:fs/promises` is imported on first use.
 */
import { formatMessage } from "../../errors/codes.js";
import { canonicalJson } from "../../llm/cassette.js";
import { invalidArtifact, readArtifact, sha256Hex, writeJsonAtomic } from "../compile/artifact.js";
import { COMPILED_FORMAT_VERSION, type CompiledAgentData, type CompiledToolContract } from "../compile/types.js";
import type { Strategy } from "../types.js";

/** Where compiled agents are cached unless a directory is given; relative to `process.cwd()`. */
export const DEFAULT_CACHE_DIR = ".ptc/agents";

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

const KEY = /^[0-9a-f]{64}$/;

/** The file of a key in a cache directory: `<dir>/<key>.json`. Throws `compiled_agent_invalid` for a key that is not 64 hex digits. */
export function cacheFile(dir: string, key: string): string {
  if (!KEY.test(key)) {
    throw invalidArtifact("compiled_agent_field", {
      origin: dir,
      field: "key",
      reason: "expected 64 lowercase hex digits",
    });
  }
  const base = dir === "" ? "." : dir.replace(/[\\/]+$/, "");
  return `${base === "" ? "/" : base}/${key}.json`;
}

function errorCode(error: unknown): unknown {
  return error !== null && typeof error === "object" ? (error as { code?: unknown }).code : undefined;
}

/** The artifact of a file, or undefined when the file does not exist. */
async function readFileArtifact(file: string): Promise<CompiledAgentData | undefined> {
  const fs = await import("node:fs/promises");
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidArtifact("compiled_agent_unreadable", { origin: file, reason }, {}, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidArtifact("compiled_agent_not_json", { origin: file, reason }, {}, error);
  }
  return readArtifact(json, file);
}

/**
 * The cached artifact of `key` under `dir`, or undefined when there is none. Rejects with
 * `LispError` (`compiled_agent_invalid`, naming the file) when the file is not JSON, is
 * malformed, was changed (hash), or records another key.
 */
export async function readCache(dir: string, key: string): Promise<CompiledAgentData | undefined> {
  const file = cacheFile(dir, key);
  const data = await readFileArtifact(file);
  if (data !== undefined && data.key !== key) {
    throw invalidArtifact("compiled_agent_key_mismatch", { origin: file, recorded: String(data.key), expected: key });
  }
  return data;
}

/**
 * Stores an artifact under `dir` as `<key>.json` (creating the directory), atomically: a
 * temporary file renamed over it, so concurrent writers leave one whole file. A file that
 * already holds an artifact with the same hash is left alone. Returns the file, or undefined
 * (writing nothing) for an artifact without a key. Rejects with the file system's error.
 */
export async function writeCache(dir: string, data: CompiledAgentData): Promise<string | undefined> {
  if (data.key === null) return undefined;
  const file = cacheFile(dir, data.key);
  const fs = await import("node:fs/promises");
  await fs.mkdir(dir === "" ? "." : dir, { recursive: true });
  const existing = await readFileArtifact(file).catch(() => undefined);
  if (existing?.hash === data.hash) return file;
  await writeJsonAtomic(file, data);
  return file;
}

const inFlight = new Map<string, Promise<unknown>>();

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
