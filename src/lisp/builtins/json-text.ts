import { makeError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { strValue } from "../printer/print-value.js";
import { flatEntries, jsonTooDeep, MAX_JSON_DEPTH } from "../values/json.js";
import { CHARS_PER_FUEL, MAX_STRING_LENGTH, stringTooLong } from "../values/meter.js";
import { isTruthy, Keyword, LazySeq, LMap, PList, PSet, PVector, Sym, type Value } from "../values/value.js";
import { JsonReader, OMIT, type ReadOptions } from "./json-read.js";
import { describeValue, expectString, invalidArgument, listed, seqItems } from "./support.js";
import type { BuiltinFamily } from "./types.js";

/**
 * clojure.data.json: JSON text in and out, for tools that return an HTTP body as a string or
 * take one. Options are written as data.json takes them, keyword/value pairs after the first
 * argument (or one map of them).
 */

const NS = "clojure.data.json";
const READ = `${NS}/read-str`;
const WRITE = `${NS}/write-str`;

/** The options after the first argument, by name; unknown names are an error that lists the known ones. */
function optionsOf(fn: string, args: readonly Value[], known: readonly string[]): Map<string, Value> {
  const options = new Map<string, Value>();
  const pairs: Value[] = [];
  if (args.length === 1 && args[0] instanceof LMap) for (const [k, v] of args[0].entries()) pairs.push(k, v);
  else {
    if (args.length % 2 !== 0) invalidArgument(fn, "options are keyword/value pairs, and one has no value");
    pairs.push(...args);
  }
  for (let i = 0; i < pairs.length; i += 2) {
    const key = pairs[i] as Value;
    const name = key instanceof Keyword ? key.fqn : undefined;
    if (name === undefined || !known.includes(name)) {
      throw makeError("unknown_option", {
        fn,
        option: key instanceof Keyword ? `:${key.fqn}` : describeValue(key),
        options: known.map((option) => `:${option}`).join(", "),
      });
    }
    options.set(name, pairs[i + 1] as Value);
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Reading

const READ_OPTIONS = ["key-fn", "value-fn", "eof-error?", "eof-value", "bigdec"];

function readStr(context: RunContext, [text, ...rest]: Value[]): Value {
  const source = expectString(READ, text as Value);
  const options = optionsOf(READ, rest, READ_OPTIONS);
  const keyFn = options.get("key-fn") ?? null;
  const valueFn = options.get("value-fn") ?? null;
  const hooks: ReadOptions = {
    ...(keyFn === null ? {} : { key: (name: string) => context.call1(keyFn, name) }),
    ...(valueFn === null
      ? {}
      : {
          value: (key: Value, value: Value) => {
            const stored = context.call2(valueFn, key, value);
            return stored === valueFn ? OMIT : stored;
          },
        }),
  };
  const reader = new JsonReader(context, READ, source, hooks);
  if (reader.atEnd() && options.has("eof-error?") && !isTruthy(options.get("eof-error?") ?? null)) {
    return options.get("eof-value") ?? null;
  }
  return reader.readAll();
}

// ---------------------------------------------------------------------------------------------
// Writing

const WRITE_OPTIONS = ["key-fn", "value-fn", "escape-unicode", "escape-slash", "escape-js-separators"];

interface WriteOptions {
  readonly keyFn: Value;
  readonly valueFn: Value;
  readonly escape: RegExp;
}

/** The characters data.json escapes: always `"`, `\` and controls; `/`, U+2028/2029 and non-ASCII by default. */
function escapePattern(options: Map<string, Value>): RegExp {
  const on = (name: string) => !options.has(name) || isTruthy(options.get(name) ?? null);
  let classes = '"\\\\\\u0000-\\u001f';
  if (on("escape-slash")) classes += "/";
  if (on("escape-unicode")) classes += "\\u0080-\\uffff";
  else if (on("escape-js-separators")) classes += "\\u2028\\u2029";
  return new RegExp(`[${classes}]`, "g");
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "/": "\\/",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

function quote(text: string, escape: RegExp): string {
  escape.lastIndex = 0;
  if (!escape.test(text)) return `"${text}"`;
  return `"${text.replace(escape, (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

interface WriteFrame {
  readonly close: string;
  readonly items: Iterator<Value>;
  /** For a map: the items alternate keys and values. */
  readonly map: boolean;
  first: boolean;
}

/**
 * A value as JSON text, as data.json writes it: maps as objects (keys by name, without a
 * namespace), vectors, lists, sets and seqs as arrays, keywords and symbols as their names.
 * Written with an explicit stack, MAX_JSON_DEPTH levels at most, charged a unit of fuel and 8
 * bytes per value and 2 bytes per character.
 */
class JsonWriter {
  private readonly parts: string[] = [];
  private length = 0;
  private readonly stack: WriteFrame[] = [];

  constructor(
    private readonly context: RunContext,
    private readonly options: WriteOptions,
  ) {}

  write(root: Value): string {
    this.value(root);
    const stack = this.stack;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as WriteFrame;
      const step = top.items.next();
      if (step.done) {
        stack.pop();
        this.emit(top.close);
        continue;
      }
      if (!top.map) {
        if (!top.first) this.emit(",");
        top.first = false;
        this.value(step.value);
        continue;
      }
      const key = step.value;
      let value = top.items.next().value as Value;
      if (this.options.valueFn !== null) {
        value = this.context.call2(this.options.valueFn, key, value);
        if (value === this.options.valueFn) continue;
      }
      if (!top.first) this.emit(",");
      top.first = false;
      this.emit(quote(this.keyName(key), this.options.escape));
      this.emit(":");
      this.value(value);
    }
    return this.parts.join("");
  }

  private keyName(key: Value): string {
    if (this.options.keyFn !== null) {
      const name = this.context.call1(this.options.keyFn, key);
      if (typeof name !== "string") throw makeError("json_key", { fn: WRITE, actual: describeValue(name) });
      return name;
    }
    if (typeof key === "string") return key;
    if (key instanceof Keyword || key instanceof Sym) return key.name;
    if (key === null) throw makeError("json_key", { fn: WRITE, actual: "nil" });
    return strValue(key);
  }

  private value(value: Value): void {
    this.context.charge(1);
    this.context.alloc(8);
    const text = this.scalarText(value);
    if (text !== undefined) this.emit(text);
    else if (value instanceof LMap) this.open("{", "}", flatEntries(value), true);
    else if (value instanceof PVector || value instanceof PList || value instanceof PSet || value instanceof LazySeq) {
      const items = value instanceof LazySeq ? seqItems(this.context, WRITE, value) : value;
      this.open("[", "]", items[Symbol.iterator](), false);
    } else this.unwritable(value);
  }

  /** The text of a value that is no collection; undefined for a collection or anything else. */
  private scalarText(value: Value): string | undefined {
    if (value === null) return "null";
    switch (typeof value) {
      case "boolean":
        return value ? "true" : "false";
      case "number":
        if (!Number.isFinite(value)) this.unwritable(value);
        return JSON.stringify(value);
      case "string":
        this.context.charge(Math.floor(value.length / CHARS_PER_FUEL));
        return quote(value, this.options.escape);
    }
    if (value instanceof Keyword || value instanceof Sym) return quote(value.name, this.options.escape);
    return undefined;
  }

  private open(open: string, close: string, items: Iterator<Value>, map: boolean): void {
    if (this.stack.length >= MAX_JSON_DEPTH) throw jsonTooDeep();
    this.emit(open);
    this.stack.push({ close, items, map, first: true });
  }

  private emit(text: string): void {
    this.length += text.length;
    if (this.length > MAX_STRING_LENGTH) throw stringTooLong(this.length);
    if (text.length > 1) this.context.alloc(2 * text.length);
    this.parts.push(text);
  }

  private unwritable(value: Value): never {
    throw makeError("json_unwritable", { fn: WRITE, actual: describeValue(value) });
  }
}

function writeStr(context: RunContext, [value, ...rest]: Value[]): string {
  const options = optionsOf(WRITE, rest, WRITE_OPTIONS);
  return new JsonWriter(context, {
    keyFn: options.get("key-fn") ?? null,
    valueFn: options.get("value-fn") ?? null,
    escape: escapePattern(options),
  }).write(value as Value);
}

export const JSON_BUILTINS: BuiltinFamily = [
  listed("strings", {
    name: "read-str",
    ns: NS,
    types: "signature",
    size: "unknown",
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(text :string, & options :any) -> :any",
    doc: "The value of JSON text: objects as maps with string keys (:key-fn keyword gives keyword keys), arrays as vectors; options :key-fn, :value-fn (key value), :eof-error?, :eof-value. Bad JSON, or text after the value, is an error naming the line and column.",
    impl: readStr,
  }),
  listed("strings", {
    name: "write-str",
    ns: NS,
    arity: [1, Number.POSITIVE_INFINITY],
    signature: "(x :any, & options :any) -> :string",
    doc: "x as JSON text: maps as objects (keyword keys by name), vectors, lists, sets and seqs as arrays; options :key-fn, :value-fn (key value), :escape-unicode, :escape-slash (both on by default, as in data.json).",
    impl: writeStr,
  }),
];
