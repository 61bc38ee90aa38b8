/**
 * Where compiled agents are cached (DESIGN §9.4): an {@link AgentStore} keeps each artifact's
 * JSON text under its cache key. `memoryAgentStore` works anywhere; `fileAgentStore` keeps one
 * `<key>.json` file per artifact under a directory and needs the main entry `ptc-lisp` (Node),
 * which makes `.ptc/agents` the default store. Without it (`ptc-lisp/core`) the default is one
 * in-memory store for the whole process.
 */
import { fileErrorCode, hostFiles } from "../../internal/files.js";
import { invalidArtifact, requireFiles } from "../compile/artifact.js";

/** Where compiled agents are cached unless a store or directory is given; relative to `process.cwd()`. */
export const DEFAULT_CACHE_DIR = ".ptc/agents";

/**
 * A place that keeps compiled agents: JSON text by cache key (64 lowercase hex digits). The
 * cache checks what it reads (format, hash, key), so a store only keeps text. Implement it to
 * cache elsewhere: a browser's IndexedDB, a KV store, a bucket.
 */
export interface AgentStore {
  /** Where the store keeps artifacts, named in messages: a directory, or `(memory)`. */
  readonly location: string;
  /** Where the artifact of `key` is or would be kept, named in messages and `cache-hit` events: its file, for a file store. */
  locate(key: string): string;
  /** The text stored under `key`, or undefined when there is none. Rejects when the store cannot be read. */
  read(key: string): Promise<string | undefined>;
  /** Stores `text` under `key`, replacing what was there; a concurrent `read` gets the old text or the new, whole. */
  write(key: string, text: string): Promise<void>;
}

/** An {@link AgentStore} in memory, with its entries to inspect or seed. */
export interface MemoryAgentStore extends AgentStore {
  /** The stored texts by key. */
  readonly entries: Map<string, string>;
}

/** A store that keeps artifacts in `entries` (a new map unless given): for browsers, edge runtimes and tests. */
export function memoryAgentStore(entries: Map<string, string> = new Map()): MemoryAgentStore {
  return {
    location: "(memory)",
    entries,
    locate: (key) => `(memory)/${key}.json`,
    read: async (key) => entries.get(key),
    write: async (key, text) => {
      entries.set(key, text);
    },
  };
}

const KEY = /^[0-9a-f]{64}$/;

/** Throws `compiled_agent_invalid` (naming `origin`) for a key that is not 64 lowercase hex digits. */
export function checkKey(key: string, origin: string): void {
  if (!KEY.test(key)) {
    throw invalidArtifact("compiled_agent_field", {
      origin,
      field: "key",
      reason: "expected 64 lowercase hex digits",
    });
  }
}

/** The file of a key in a cache directory: `<dir>/<key>.json`. Throws `compiled_agent_invalid` for a key that is not 64 hex digits. */
export function cacheFile(dir: string, key: string): string {
  checkKey(key, dir);
  const base = dir === "" ? "." : dir.replace(/[\\/]+$/, "");
  return `${base === "" ? "/" : base}/${key}.json`;
}

const fileStores = new Map<string, AgentStore>();

/**
 * The store of a directory: `<dir>/<key>.json` per artifact, the directory created on the first
 * write, each write atomic (a temporary file renamed over the old one, so concurrent writers
 * leave one whole file). One store per directory name. Needs the main entry `ptc-lisp` (Node):
 * without its file system it throws `node_required`.
 */
export function fileAgentStore(dir: string = DEFAULT_CACHE_DIR): AgentStore {
  const known = fileStores.get(dir);
  if (known !== undefined) return known;
  const files = requireFiles(`the compile cache directory ${JSON.stringify(dir)}`, "give compile a store");
  const store: AgentStore = {
    location: dir,
    locate: (key) => cacheFile(dir, key),
    read: async (key) => {
      try {
        return await files.readText(cacheFile(dir, key));
      } catch (error) {
        if (fileErrorCode(error) === "ENOENT") return undefined;
        throw error;
      }
    },
    write: async (key, text) => {
      await files.makeDirectory(dir === "" ? "." : dir);
      await files.writeTextAtomic(cacheFile(dir, key), text);
    },
  };
  fileStores.set(dir, store);
  return store;
}

let sharedMemory: AgentStore | undefined;

/**
 * The store `compile` uses unless given one: a store or a directory (a file store). By
 * default, `.ptc/agents` where the main entry installed a file system, else one memory store
 * shared by the process.
 */
export function resolveStore(place?: AgentStore | string): AgentStore {
  if (typeof place === "object") return place;
  if (place !== undefined) return fileAgentStore(place);
  if (hostFiles() !== undefined) return fileAgentStore(DEFAULT_CACHE_DIR);
  sharedMemory ??= memoryAgentStore();
  return sharedMemory;
}
