/**
 * The JSON boundary of values: JSON objects enter as `JsonMap`, a read-only view over the parsed
 * object (no deep copy), and `fromJSON`/`toJSON` convert between JSON data and values, bounded
 * in depth and charged to the active meter.
 */
import { formatMessage } from "../../errors/codes.js";
import { LimitExceededError } from "../../errors/errors.js";
import {
  Atom,
  chargeCopy,
  ExInfo,
  Fn,
  Keyword,
  LazySeq,
  LMap,
  LSet,
  MapEntry,
  PList,
  PVector,
  Regex,
  Sym,
  type Value,
  Var,
} from "./base.js";
import { chargeAlloc, chargeWork, hostCall, infiniteSequence } from "./meter.js";
import { PMap } from "./value.js";

// ---------------------------------------------------------------------------------------------
// JSON maps

/**
 * A read-only map view over a parsed JSON object: keys read as keywords, nested objects and
 * arrays are converted when read (and cached). The object is never copied up front nor
 * mutated; the first `assoc`/`dissoc` copies one level into a PMap.
 */
export class JsonMap extends LMap {
  private keyNames: string[] | undefined;
  private cache: Map<string, Value> | undefined;
  constructor(private readonly source: Readonly<Record<string, unknown>>) {
    super();
  }

  private names(): string[] {
    if (this.keyNames === undefined) this.keyNames = Object.keys(this.source);
    return this.keyNames;
  }

  get count(): number {
    return this.names().length;
  }

  private nameOf(key: Value): string | undefined {
    if (typeof key === "string") return key;
    if (key instanceof Keyword) return key.fqn;
    return undefined;
  }

  private read(name: string): Value {
    const raw = this.source[name];
    if (raw === null || typeof raw !== "object") return fromJSON(raw);
    if (this.cache === undefined) this.cache = new Map();
    let value = this.cache.get(name);
    if (value === undefined) {
      value = fromJSON(raw);
      this.cache.set(name, value);
    }
    return value;
  }

  has(key: Value): boolean {
    const name = this.nameOf(key);
    return name !== undefined && Object.hasOwn(this.source, name);
  }

  get(key: Value, notFound: Value = null): Value {
    const name = key instanceof Keyword ? key.fqn : typeof key === "string" ? key : undefined;
    if (name === undefined) return notFound;
    const raw = this.source[name];
    // Primitive values can only be own properties (Object.prototype holds no primitives), so
    // the common case needs no hasOwn check and no conversion.
    const type = typeof raw;
    if (type === "string" || type === "number" || type === "boolean") return raw as Value;
    return Object.hasOwn(this.source, name) ? this.read(name) : notFound;
  }

  findExact(key: Value): MapEntry | undefined {
    return key instanceof Keyword ? this.find(key) : undefined;
  }

  find(key: Value): MapEntry | undefined {
    const name = this.nameOf(key);
    if (name === undefined || !Object.hasOwn(this.source, name)) return undefined;
    return new MapEntry(Keyword.parse(name), this.read(name));
  }

  private copied: PMap | undefined;

  /** The map as a PMap, copied once (later writes start from that copy). */
  toPMap(): PMap {
    if (this.copied === undefined) {
      chargeCopy(this.count);
      this.copied = PMap.fromEntries(this.entries());
    }
    return this.copied;
  }

  assoc(key: Value, value: Value): LMap {
    return this.toPMap().assoc(key, value);
  }

  dissoc(key: Value): LMap {
    return this.has(key) ? this.toPMap().dissoc(key) : this;
  }

  *entries(): IterableIterator<[Value, Value]> {
    for (const name of this.names()) yield [Keyword.parse(name), this.read(name)];
  }
}

// ---------------------------------------------------------------------------------------------
// JSON boundary

/**
 * JSON (as from `JSON.parse`) to a value, without a deep copy: objects become JsonMap views,
 * arrays vectors (elements converted one level, nested arrays without host recursion, as
 * `JSON.parse` accepts any depth), other values as they are. Non-JSON inputs (undefined,
 * functions, bigint, symbols) become nil.
 */
export function fromJSON(json: unknown): Value {
  if (json === null || json === undefined) return null;
  switch (typeof json) {
    case "string":
    case "number":
    case "boolean":
      return json;
    case "object": {
      if (Array.isArray(json)) return vectorFromJSON(json);
      // Parsed JSON objects are plain: skip the value-class checks for them (the ingest hot path).
      const prototype = Object.getPrototypeOf(json);
      if (prototype !== Object.prototype && prototype !== null && isValue(json)) return json as Value;
      return new JsonMap(json as Record<string, unknown>);
    }
    default:
      return null;
  }
}

function vectorFromJSON(root: readonly unknown[]): PVector {
  const stack: { source: readonly unknown[]; items: Value[]; index: number }[] = [];
  let source = root;
  let items = new Array<Value>(root.length);
  let index = 0;
  for (;;) {
    while (index < source.length) {
      const element = source[index];
      if (Array.isArray(element)) {
        stack.push({ source, items, index });
        source = element;
        items = new Array<Value>(element.length);
        index = 0;
      } else {
        items[index++] = fromJSON(element);
      }
    }
    const done = PVector.from(items);
    const parent = stack.pop();
    if (parent === undefined) return done;
    ({ source, items, index } = parent);
    items[index++] = done;
  }
}

function isValue(object: object): boolean {
  return (
    object instanceof PVector ||
    object instanceof PList ||
    object instanceof LMap ||
    object instanceof LSet ||
    object instanceof Keyword ||
    object instanceof Sym ||
    object instanceof LazySeq ||
    object instanceof Fn ||
    object instanceof Atom ||
    object instanceof Regex ||
    object instanceof Var ||
    object instanceof ExInfo
  );
}

/** Key names of JSON objects: keywords and symbols by name (with namespace), strings as is. */
export function keyName(key: Value): string {
  if (typeof key === "string") return key;
  if (key instanceof Keyword || key instanceof Sym) return key.fqn;
  if (key === null) return "null";
  if (typeof key === "number" || typeof key === "boolean") return String(key);
  return "";
}

/** Options for `toJSON`. */
export interface ToJSONOptions {
  /** Rename each map key (e.g. kebab-case to snake_case for tool arguments). */
  readonly renameKey?: (name: string) => string;
}

/** Fuel per element converted to JSON (measured: several evaluation steps' worth). */
const JSON_COST = 2;

/**
 * Deepest nesting of collections `toJSON` converts. Hosts serialize what it returns with
 * `JSON.stringify`, which recurses (V8 overflows its stack at a few thousand levels).
 */
export const MAX_JSON_DEPTH = 1000;

/**
 * A value to JSON: maps to plain objects (keys by name, created as own data properties so
 * `__proto__` stays an ordinary key), vectors/lists/sets/seqs to arrays, keywords and symbols
 * to their names, non-finite numbers to null, functions and other references to null or
 * their printed name. Finite lazy seqs are realized; an infinite one, or nesting deeper than
 * MAX_JSON_DEPTH, is `limit_exceeded`. Converted without host recursion and charged to the
 * active meter, 2 units of fuel and 16 bytes per element.
 */
export function toJSON(value: Value, options: ToJSONOptions = {}): unknown {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  const converter = new JsonConverter(options.renameKey);
  return hostCall(() => converter.run(value));
}

type JsonContainer = unknown[] | Record<string, unknown>;

interface JsonFrame {
  readonly out: JsonContainer;
  /** Elements, or for maps alternating keys and values. */
  readonly items: Iterator<Value>;
  readonly map: boolean;
}

/** A map's keys and values, alternating. */
export function* flatEntries(map: LMap): Generator<Value, void, undefined> {
  for (const [k, v] of map.entries()) {
    yield k;
    yield v;
  }
}

class JsonConverter {
  private readonly stack: JsonFrame[] = [];
  private walked = 0;
  constructor(private readonly renameKey: ((name: string) => string) | undefined) {}

  run(root: Value): unknown {
    const holder: unknown[] = [];
    this.place(holder, undefined, root);
    const stack = this.stack;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as JsonFrame;
      const step = top.items.next();
      if (step.done) {
        stack.pop();
        continue;
      }
      if (top.map) {
        const name = keyName(step.value);
        const value = top.items.next().value as Value;
        this.place(top.out, this.renameKey ? this.renameKey(name) : name, value);
      } else {
        this.place(top.out, undefined, step.value);
      }
    }
    chargeWork(JSON_COST * this.walked);
    chargeAlloc(16 * this.walked);
    return holder[0];
  }

  /** Converts `value` into `out` (appended, or set under `name`), opening a frame for a collection. */
  private place(out: JsonContainer, name: string | undefined, value: Value): void {
    if (++this.walked === 256) {
      chargeWork(JSON_COST * 256);
      chargeAlloc(16 * 256);
      this.walked = 0;
    }
    let current = value;
    for (let unwrapped = 0; current instanceof Atom; unwrapped++) {
      if (unwrapped > MAX_JSON_DEPTH) this.tooDeep();
      current = current.value;
    }
    let json: unknown;
    let frame: JsonFrame | undefined;
    if (current === null || typeof current === "boolean" || typeof current === "string") json = current;
    else if (typeof current === "number") json = Number.isFinite(current) ? current : null;
    else if (current instanceof Keyword || current instanceof Sym) json = current.fqn;
    else if (current instanceof PVector || current instanceof PList || current instanceof LSet) {
      json = [];
      frame = { out: json as unknown[], items: current[Symbol.iterator](), map: false };
    } else if (current instanceof LazySeq) {
      if (current.infinite) throw infiniteSequence("the result");
      json = [];
      frame = { out: json as unknown[], items: current.iterate(), map: false };
    } else if (current instanceof LMap) {
      json = {};
      frame = { out: json as Record<string, unknown>, items: flatEntries(current), map: true };
    } else if (current instanceof ExInfo) {
      json = { message: current.message };
      frame = { out: json as Record<string, unknown>, items: [Keyword.of("data"), current.data].values(), map: true };
    } else if (current instanceof Var) json = current.name;
    else if (current instanceof Regex) json = current.source;
    else json = null;
    if (frame !== undefined) {
      if (this.stack.length >= MAX_JSON_DEPTH) this.tooDeep();
      this.stack.push(frame);
    }
    if (name === undefined) (out as unknown[]).push(json);
    // Assigning `__proto__` would set the prototype: that one key is defined as a data property.
    else if (name === "__proto__") {
      Object.defineProperty(out, name, { value: json, enumerable: true, writable: true, configurable: true });
    } else (out as Record<string, unknown>)[name] = json;
  }

  private tooDeep(): never {
    throw jsonTooDeep();
  }
}

/** The error for JSON nested deeper than MAX_JSON_DEPTH, reading or writing it. */
export function jsonTooDeep(): LimitExceededError {
  return new LimitExceededError(
    "depth",
    formatMessage("limit_exceeded", {
      limit: "JSON nesting",
      used: MAX_JSON_DEPTH + 1,
      max: MAX_JSON_DEPTH,
      unit: "levels",
    }),
  );
}
