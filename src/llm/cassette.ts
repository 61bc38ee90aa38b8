/**
 * Cassettes: record a model's replies to a JSONL file and replay them later, offline and
 * deterministically. Each line is `{key, request, reply}`, `key` being the SHA-256 (hex) of the
 * canonical provider-neutral request ({@link requestKey}).
 *
 * Hashing uses WebCrypto (`globalThis.crypto.subtle`), so keys are the same in Node and
 * browsers. A cassette is a file (needs the main entry `ptc-lisp`, which installs Node's file
 * system) or a {@link CassetteStore} (`memoryCassette`, or your own), which works anywhere.
 *
 * @module
 */
import { formatMessage } from "../errors/codes.js";
import { CassetteMissError, LispError, LlmApiError } from "../errors/errors.js";
import { envVar } from "../internal/env.js";
import { fileErrorCode, hostFiles } from "../internal/files.js";
import type { GenerateOptions, LanguageModel, ModelReply, ModelRequest } from "./language-model.js";
import { optionError } from "./options.js";

/** One line of a cassette file. */
export interface CassetteEntry {
  /** {@link requestKey} of `request`. */
  readonly key: string;
  /** The request, canonical (keys sorted, undefined fields dropped). */
  readonly request: unknown;
  /** The reply the model gave. */
  readonly reply: ModelReply;
}

/**
 * Where a cassette's JSONL text is kept. Implement it to keep cassettes elsewhere (a fetched
 * file in a browser, a KV store).
 */
export interface CassetteStore {
  /** Names the cassette in messages (a file path, `(memory)`). */
  readonly name: string;
  /** The whole text, or undefined when nothing was recorded yet. Rejects when it cannot be read. */
  read(): Promise<string | undefined>;
  /** Appends `text` (whole lines, each ending in a newline). */
  append(text: string): Promise<void>;
}

/** A {@link CassetteStore} in memory, with its text to save or inspect. */
export interface MemoryCassette extends CassetteStore {
  /** The JSONL text: what it started with, then each recorded entry. */
  text(): string;
}

/** A cassette held in memory, starting with `text` (JSONL, e.g. a committed cassette file's content). */
export function memoryCassette(text = ""): MemoryCassette {
  let content = text;
  return {
    name: "(memory)",
    read: async () => (content === "" ? undefined : content),
    append: async (more) => {
      content += more;
    },
    text: () => content,
  };
}

/**
 * Options of {@link recordModel} and {@link replayModel}: the cassette, as a file or a store.
 * A file needs the main entry `ptc-lisp` (Node); in `ptc-lisp/core` a file throws
 * `node_required` when the cassette is first used.
 */
export type CassetteOptions =
  | {
      /** Path of the JSONL cassette file (created with its directory when recording). */
      readonly file: string;
    }
  | {
      /** The cassette's store: `memoryCassette(text)`, or your own. */
      readonly store: CassetteStore;
    };

/** The store of a file: read whole, appended to (creating it and its directory). */
function fileCassette(file: string): CassetteStore {
  const files = () => {
    const installed = hostFiles();
    if (installed === undefined) {
      throw new LispError("node_required", "llm", formatMessage("cassette_files_need_node", { file }));
    }
    return installed;
  };
  return {
    name: file,
    read: async () => {
      try {
        return await files().readText(file);
      } catch (error) {
        if (fileErrorCode(error) === "ENOENT") return undefined;
        throw error;
      }
    },
    append: (text) => files().appendText(file, text),
  };
}

function storeOf(options: CassetteOptions): CassetteStore {
  return "store" in options ? options.store : fileCassette(options.file);
}

/**
 * How {@link cassetteModel} uses its cassette:
 * - `auto`: replay on a hit; on a miss, call the model and record its reply when one is given,
 *   else fail closed (`CassetteMissError`);
 * - `record`: always call the model and append its reply;
 * - `replay`: serve from the cassette only, failing closed on a miss;
 * - `live`: call the model and leave the cassette alone.
 */
export type CassetteMode = "auto" | "record" | "replay" | "live";

const MODES: readonly CassetteMode[] = ["auto", "record", "replay", "live"];

/**
 * JSON of `value` with object keys sorted recursively and `undefined` fields dropped (as in
 * `JSON.stringify`, non-finite numbers become `null`). `indent` pretty-prints.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(canonicalize(value), null, indent) ?? "null";
}

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonicalize(item)));
  if (typeof value !== "object" || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) sorted[key] = canonicalize(item);
  }
  return sorted;
}

/**
 * The cassette key of a request: SHA-256 (lowercase hex) of its canonical JSON, so property
 * order and `undefined` fields do not change it. The model's name is not part of the key.
 */
export async function requestKey(request: ModelRequest): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(request));
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * A model that forwards every call to `model` and appends `{key, request, reply}` to `file`
 * (one JSON line per successful call; failed calls are not recorded). Appending never
 * overwrites: delete the file to record afresh.
 */
export function recordModel(model: LanguageModel, options: CassetteOptions): LanguageModel {
  const cassette = new Cassette(storeOf(options));
  return wrap(model, async (request, generateOptions) => {
    const reply = await model.doGenerate(request, generateOptions);
    await cassette.append(request, reply);
    return reply;
  });
}

/**
 * A model that serves replies from `file`: identical repeated requests get the recorded
 * replies in order, and after the last, the last again. Rejects with `CassetteMissError`
 * (`cassette_miss`, with the key and a diff against the nearest recorded request) for a
 * request the cassette does not hold, and with `LlmApiError` (`model_reply_invalid`) when a
 * line of the file is not a cassette entry. The file is read on the first call.
 */
export function replayModel(
  options: CassetteOptions & { readonly provider?: string; readonly modelId?: string },
): LanguageModel {
  const cassette = new Cassette(storeOf(options));
  const model: LanguageModel = {
    provider: options.provider ?? "cassette",
    modelId: options.modelId ?? "replay",
    maxRetries: 0,
    doGenerate: async (request) => {
      const reply = await cassette.lookup(request);
      if (reply !== undefined) return reply;
      throw await cassette.miss(request);
    },
  };
  return model;
}

/**
 * A model behind a cassette, in `mode` (default: env `PTC_CASSETTE`, else `auto`; see
 * {@link CassetteMode}). Without `model`, only replay is possible: a miss fails closed.
 * Throws `LispError` (`model_error`) for an unknown mode, or for `record`/`live` without a model.
 */
export function cassetteModel(
  model: LanguageModel | undefined,
  options: CassetteOptions & { readonly mode?: CassetteMode },
): LanguageModel {
  const mode = options.mode ?? envMode();
  if (!MODES.includes(mode)) throw optionError("cassette mode", MODES.join(" | "), mode);
  if (mode === "replay" || (mode === "auto" && model === undefined)) {
    return replayModel({
      store: storeOf(options),
      ...(model === undefined ? {} : { provider: model.provider, modelId: model.modelId }),
    });
  }
  if (model === undefined) throw optionError(`a ${mode} cassette's model`, "a LanguageModel", undefined);
  if (mode === "live") return model;
  if (mode === "record") return recordModel(model, { store: storeOf(options) });
  const cassette = new Cassette(storeOf(options));
  return wrap(model, async (request, generateOptions) => {
    const recorded = await cassette.lookup(request);
    if (recorded !== undefined) return recorded;
    const reply = await model.doGenerate(request, generateOptions);
    await cassette.append(request, reply);
    return reply;
  });
}

function envMode(): CassetteMode {
  const value = envVar("PTC_CASSETTE");
  return value === undefined || value === "" ? "auto" : (value as CassetteMode);
}

function wrap(
  model: LanguageModel,
  doGenerate: (request: ModelRequest, options: GenerateOptions) => Promise<ModelReply>,
): LanguageModel {
  return {
    provider: model.provider,
    modelId: model.modelId,
    ...(model.maxRetries === undefined ? {} : { maxRetries: model.maxRetries }),
    doGenerate,
  };
}

/** Appends to one cassette (by name) are chained, so concurrent calls never interleave their lines. */
const appendChains = new Map<string, Promise<unknown>>();

class Cassette {
  readonly #store: CassetteStore;
  #entries: Promise<Map<string, CassetteEntry[]>> | undefined;
  readonly #served = new Map<string, number>();

  constructor(store: CassetteStore) {
    this.#store = store;
  }

  async lookup(request: ModelRequest): Promise<ModelReply | undefined> {
    const key = await requestKey(request);
    const replies = (await this.#load()).get(key);
    if (replies === undefined || replies.length === 0) return undefined;
    const index = this.#served.get(key) ?? 0;
    this.#served.set(key, index + 1);
    return (replies[Math.min(index, replies.length - 1)] as CassetteEntry).reply;
  }

  async miss(request: ModelRequest): Promise<CassetteMissError> {
    const key = await requestKey(request);
    const recorded = [...(await this.#load()).values()].map((entries) => (entries[0] as CassetteEntry).request);
    return new CassetteMissError(this.#store.name, key, nearestDiff(canonicalJson(request, 2), recorded));
  }

  async append(request: ModelRequest, reply: ModelReply): Promise<void> {
    const key = await requestKey(request);
    const entry: CassetteEntry = { key, request: canonicalize(request), reply };
    const line = `${JSON.stringify(entry)}\n`;
    const entries = await this.#load();
    const list = entries.get(key);
    if (list === undefined) entries.set(key, [entry]);
    else list.push(entry);
    // A reply recorded now counts as served: the next identical request wants the next reply.
    this.#served.set(key, entries.get(key)?.length ?? 1);
    const store = this.#store;
    const previous = appendChains.get(store.name) ?? Promise.resolve();
    const next = previous.then(() => store.append(line));
    appendChains.set(
      store.name,
      next.catch(() => undefined),
    );
    await next;
  }

  #load(): Promise<Map<string, CassetteEntry[]>> {
    this.#entries ??= readEntries(this.#store);
    return this.#entries;
  }
}

async function readEntries(store: CassetteStore): Promise<Map<string, CassetteEntry[]>> {
  const text = await store.read();
  if (text === undefined) return new Map();
  const file = store.name;
  const entries = new Map<string, CassetteEntry[]>();
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    const entry = parseEntry(line);
    if (entry === undefined) {
      throw new LlmApiError(
        "model_reply_invalid",
        { provider: "cassette", detail: `line ${index + 1} of ${file} is not a cassette entry` },
        { retryable: false },
      );
    }
    const list = entries.get(entry.key);
    if (list === undefined) entries.set(entry.key, [entry]);
    else list.push(entry);
  });
  return entries;
}

function parseEntry(line: string): CassetteEntry | undefined {
  try {
    const entry: unknown = JSON.parse(line);
    if (typeof entry !== "object" || entry === null) return undefined;
    const { key, request, reply } = entry as Record<string, unknown>;
    if (typeof key !== "string" || typeof reply !== "object" || reply === null) return undefined;
    return { key, request, reply: reply as ModelReply };
  } catch {
    return undefined;
  }
}

/** Longest diff shown: lines, and characters per line. */
const DIFF_MAX_LINES = 12;
const DIFF_LINE_CHARS = 160;
/** Above this many line pairs, lines are compared by position instead of by LCS. */
const LCS_MAX_CELLS = 1_000_000;

/**
 * The line diff between `wanted` (canonical pretty JSON) and the nearest recorded request
 * (fewest differing lines), showing only the differing lines (`-` recorded, `+` wanted),
 * clipped. Undefined when nothing was recorded.
 */
export function nearestDiff(wanted: string, recorded: readonly unknown[]): string | undefined {
  const wantedLines = wanted.split("\n");
  let best: { removed: string[]; added: string[] } | undefined;
  for (const request of recorded) {
    const diff = diffLines(canonicalJson(request, 2).split("\n"), wantedLines);
    if (best === undefined || diff.removed.length + diff.added.length < best.removed.length + best.added.length) {
      best = diff;
    }
  }
  if (best === undefined) return undefined;
  const shown: string[] = [];
  const pairs = Math.max(best.removed.length, best.added.length);
  for (let i = 0; i < pairs; i++) {
    const removed = best.removed[i];
    const added = best.added[i];
    const at = removed !== undefined && added !== undefined ? firstDifference(removed, added) : 0;
    if (removed !== undefined) shown.push(`- ${clipAround(removed.trim(), at - indentOf(removed))}`);
    if (added !== undefined) shown.push(`+ ${clipAround(added.trim(), at - indentOf(added))}`);
  }
  const total = shown.length;
  if (total > DIFF_MAX_LINES) {
    shown.length = DIFF_MAX_LINES;
    shown.push(`… ${total - DIFF_MAX_LINES} more`);
  }
  return shown.join("\n");
}

/** Lines only in `before` (removed) and only in `after` (added), by longest common subsequence. */
function diffLines(before: readonly string[], after: readonly string[]): { removed: string[]; added: string[] } {
  const n = before.length;
  const m = after.length;
  if (n * m > LCS_MAX_CELLS) {
    const removed: string[] = [];
    const added: string[] = [];
    for (let i = 0; i < Math.max(n, m); i++) {
      if (before[i] === after[i]) continue;
      if (before[i] !== undefined) removed.push(before[i] as string);
      if (after[i] !== undefined) added.push(after[i] as string);
    }
    return { removed, added };
  }
  // lengths[i][j]: LCS length of before[i..] and after[j..], flattened.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => lengths[i * (m + 1) + j] as number;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] = before[i] === after[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      i++;
      j++;
    } else if (j >= m || (i < n && at(i + 1, j) >= at(i, j + 1))) {
      removed.push(before[i++] as string);
    } else {
      added.push(after[j++] as string);
    }
  }
  return { removed, added };
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** `line` clipped to {@link DIFF_LINE_CHARS}, keeping position `at` (the first difference) in view. */
function clipAround(line: string, at: number): string {
  if (line.length <= DIFF_LINE_CHARS) return line;
  const start = Math.max(0, Math.min(at - DIFF_LINE_CHARS / 4, line.length - DIFF_LINE_CHARS));
  const end = start + DIFF_LINE_CHARS;
  return `${start > 0 ? "…" : ""}${line.slice(start, end)}${end < line.length ? "…" : ""}`;
}
