import { makeError } from "../../errors/errors.js";
import type { RunContext } from "../eval/context.js";
import { jsonTooDeep, MAX_JSON_DEPTH } from "../values/json.js";
import { CHARS_PER_FUEL } from "../values/meter.js";
import { type LMap, PMap, PVector, type Value } from "../values/value.js";

/**
 * JSON text to values (RFC 8259, as `clojure.data.json/read-str` reads it): objects become
 * maps, arrays vectors, numbers doubles. A hand-written reader rather than `JSON.parse`, for
 * three reasons: a fault names its line and column; keys and values go through the program's
 * `:key-fn` and `:value-fn` as they are read; and the work is charged while it is done (a unit
 * of fuel and 8 bytes per value, a unit per 16 characters and 2 bytes per character of
 * strings), so a huge text runs out of budget instead of memory. Nesting is read with an
 * explicit stack and limited to MAX_JSON_DEPTH levels, the depth `toJSON` can write back.
 */

/** What `:value-fn` may return to drop a property. */
export const OMIT: unique symbol = Symbol("omit");

export interface ReadOptions {
  /** The key a property name becomes; the name itself when absent. */
  readonly key?: (name: string) => Value;
  /** The value stored under a key; OMIT drops the property. */
  readonly value?: (key: Value, value: Value) => Value | typeof OMIT;
}

type Frame = { readonly array: true; readonly items: Value[] } | { readonly array: false; map: LMap; name: string };

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

const isDigit = (code: number): boolean => code >= ZERO && code <= NINE;

export class JsonReader {
  private pos = 0;

  constructor(
    private readonly context: RunContext,
    private readonly fn: string,
    private readonly text: string,
    private readonly options: ReadOptions = {},
  ) {}

  /** True when nothing but whitespace is left. */
  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  /** Reads one value, then requires the rest of the text to be whitespace. */
  readAll(): Value {
    const value = this.read();
    if (!this.atEnd()) this.unexpected("the end of the text");
    return value;
  }

  /** Reads the value that starts at the current position (after whitespace). */
  read(): Value {
    const text = this.text;
    const stack: Frame[] = [];
    for (;;) {
      let value: Value;
      this.skipSpace();
      const code = text.charCodeAt(this.pos);
      if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
        if (stack.length >= MAX_JSON_DEPTH) throw jsonTooDeep();
        this.pos++;
        this.skipSpace();
        if (code === OPEN_ARRAY) {
          if (text.charCodeAt(this.pos) !== CLOSE_ARRAY) {
            stack.push({ array: true, items: [] });
            continue;
          }
          this.pos++;
          value = PVector.EMPTY;
        } else {
          if (text.charCodeAt(this.pos) !== CLOSE_OBJECT) {
            stack.push({ array: false, map: PMap.EMPTY, name: this.readName("a string key or '}'") });
            continue;
          }
          this.pos++;
          value = PMap.EMPTY;
        }
      } else value = this.scalar(code);
      // The value is complete: add it to the collections it closes, up to one that goes on.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) return value;
        this.context.charge(1);
        this.context.alloc(8);
        if (top.array) top.items.push(value);
        else this.put(top, value);
        this.skipSpace();
        const next = text.charCodeAt(this.pos);
        if (next === COMMA) {
          this.pos++;
          if (!top.array) {
            this.skipSpace();
            top.name = this.readName("a string key");
          }
          break;
        }
        if (next !== (top.array ? CLOSE_ARRAY : CLOSE_OBJECT)) this.unexpected(top.array ? "',' or ']'" : "',' or '}'");
        this.pos++;
        stack.pop();
        value = top.array ? PVector.from(top.items) : top.map;
      }
    }
  }

  private put(frame: { map: LMap; name: string }, value: Value): void {
    const key = this.options.key === undefined ? frame.name : this.options.key(frame.name);
    const stored = this.options.value === undefined ? value : this.options.value(key, value);
    if (stored !== OMIT) frame.map = frame.map.assoc(key, stored);
  }

  /** A property name and the colon after it. */
  private readName(expected: string): string {
    if (this.text.charCodeAt(this.pos) !== QUOTE) this.unexpected(expected);
    const name = this.readString();
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) !== COLON) this.unexpected("':' after the key");
    this.pos++;
    return name;
  }

  private scalar(code: number): Value {
    if (code === QUOTE) return this.readString();
    if (code === MINUS || isDigit(code)) return this.readNumber();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.unexpected("a value");
  }

  private readString(): string {
    const text = this.text;
    this.pos++;
    let out = "";
    let start = this.pos;
    for (;;) {
      const code = text.charCodeAt(this.pos);
      if (code === QUOTE) break;
      if (Number.isNaN(code)) this.unexpected("'\"' to end the string");
      if (code < SPACE) this.unexpected("a character or an escape (control characters must be escaped)");
      if (code === BACKSLASH) {
        out += text.slice(start, this.pos);
        out += this.readEscape();
        start = this.pos;
      } else this.pos++;
    }
    out += text.slice(start, this.pos);
    this.pos++;
    this.context.charge(1 + Math.floor(out.length / CHARS_PER_FUEL));
    this.context.alloc(2 * out.length);
    return out;
  }

  /** The character an escape stands for; the position is on its backslash. */
  private readEscape(): string {
    const letter = this.text.charAt(++this.pos);
    const simple = ESCAPES[letter];
    if (simple !== undefined) {
      this.pos++;
      return simple;
    }
    if (letter !== "u") this.unexpected('an escape (one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
    const hex = this.text.slice(this.pos + 1, this.pos + 5);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
      this.pos++;
      while (/[0-9a-fA-F]/.test(this.text.charAt(this.pos))) this.pos++;
      this.unexpected("4 hexadecimal digits after \\u");
    }
    this.pos += 5;
    return String.fromCharCode(Number.parseInt(hex, 16));
  }

  private readNumber(): number {
    const text = this.text;
    const start = this.pos;
    if (text.charCodeAt(this.pos) === MINUS) this.pos++;
    if (text.charCodeAt(this.pos) === ZERO) this.pos++;
    else this.digits();
    let integral = true;
    if (text.charCodeAt(this.pos) === DOT) {
      integral = false;
      this.pos++;
      this.digits();
    }
    const exponent = text.charCodeAt(this.pos) | 0x20;
    if (exponent === 0x65) {
      integral = false;
      this.pos++;
      const sign = text.charCodeAt(this.pos);
      if (sign === PLUS || sign === MINUS) this.pos++;
      this.digits();
    }
    this.context.charge(1);
    const value = Number(text.slice(start, this.pos));
    // "-0" is the integer 0, as data.json reads it; "-0.0" stays a negative zero.
    return integral && value === 0 ? 0 : value;
  }

  private digits(): void {
    if (!isDigit(this.text.charCodeAt(this.pos))) this.unexpected("a digit");
    while (isDigit(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private skipSpace(): void {
    const text = this.text;
    for (;;) {
      const code = text.charCodeAt(this.pos);
      if (code !== SPACE && code !== LF && code !== CR && code !== TAB) return;
      this.pos++;
    }
  }

  /** Throws the fault at the current position: the text found there, or the end of the text. */
  private unexpected(expected: string): never {
    const text = this.text;
    const before = text.slice(0, this.pos);
    const line = before.split("\n").length;
    const column = this.pos - before.lastIndexOf("\n");
    if (this.pos >= text.length) throw makeError("json_truncated", { fn: this.fn, line, column, expected });
    const word = /^[A-Za-z0-9_$+.-]{2,20}/.exec(text.slice(this.pos, this.pos + 20))?.[0];
    const found = JSON.stringify(word ?? text.charAt(this.pos));
    throw makeError("json_unexpected", { fn: this.fn, line, column, expected, found });
  }
}
