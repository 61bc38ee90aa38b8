import { activeMeter, hostCall, infiniteSequence, MAX_STRING_LENGTH, stringTooLong } from "../values/meter.js";
import {
  Atom,
  ExInfo,
  Fn,
  Keyword,
  LazySeq,
  LMap,
  PList,
  PSet,
  PVector,
  Regex,
  Sym,
  type Value,
  Var,
} from "../values/value.js";

/** Numbers as ClojureScript prints them: integer-valued doubles without a decimal point. */
export function printNumber(value: number, readably: boolean): string {
  if (Number.isNaN(value)) return readably ? "##NaN" : "NaN";
  if (value === Number.POSITIVE_INFINITY) return readably ? "##Inf" : "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return readably ? "##-Inf" : "-Infinity";
  return String(value);
}

const STRING_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\t": "\\t",
  "\r": "\\r",
  "\f": "\\f",
  "\b": "\\b",
};

export function printString(value: string): string {
  return `"${value.replace(/["\\\n\t\r\f\b]/g, (c) => STRING_ESCAPES[c] ?? c)}"`;
}

/** Options of `printValue`. */
export interface PrintOptions {
  /**
   * The longest text to return: a longer printed form is cut to `maxChars - 3` characters and
   * `...` (for error messages and previews); printing stops there. Unbounded by default.
   */
  readonly maxChars?: number;
}

/**
 * Prints a value. `readably` is `pr-str` (EDN: strings quoted, `##Inf`); otherwise it is
 * `print-str`/`println` (strings bare at every depth).
 *
 * Values of any depth print without host recursion; an atom met again inside itself prints as
 * `#object[Atom ...]`. Finite lazy seqs are printed as they are walked; an infinite one is
 * `limit_exceeded` unless `maxChars` bounds the text. Inside a run the walk is charged to the
 * run's budget as it goes: 4 units of fuel per element and 1 per 64 characters, 2 bytes of
 * allocation per character.
 */
export function printValue(value: Value, readably = true, options: PrintOptions = {}): string {
  if (value !== null && typeof value === "object") return hostCall(() => printAny(value, readably, options));
  return printAny(value, readably, options);
}

function printAny(value: Value, readably: boolean, options: PrintOptions): string {
  if (value === null) return "nil";
  if (typeof value === "number") return printNumber(value, readably);
  if (typeof value === "string" && options.maxChars === undefined) {
    if (!readably) return value;
    chargeText(value.length);
    return printString(value);
  }
  return new Printer(readably, options.maxChars).print(value);
}

/** Clojure `str` of one value: nil is empty, strings bare, everything else as `pr-str`. */
export function strValue(value: Value): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return printNumber(value, false);
  return printValue(value, true);
}

function chargeText(chars: number): void {
  if (chars > 256 && activeMeter !== null) {
    activeMeter.charge(Math.ceil(chars / 64));
    activeMeter.alloc(2 * chars);
  }
}

interface PrintFrame {
  readonly items: Iterator<Value>;
  readonly close: string;
  /** Maps alternate key and value: `k v, k v`. */
  readonly map: boolean;
  /** Atoms and exception data print their one item without separators. */
  readonly single: boolean;
  index: number;
  readonly atom: Atom | undefined;
}

type Layout = "seq" | "map" | "single";

/** Fuel per element printed: measured at about four evaluation steps (iteration, number formatting, pieces). */
const ELEMENT_COST = 4;

/** Thrown inside the printer when `maxChars` is reached. */
const TRUNCATED = Symbol("truncated");

class Printer {
  private readonly out: string[] = [];
  private length = 0;
  private readonly stack: PrintFrame[] = [];
  private readonly atoms = new Set<Atom>();
  private walked = 0;
  private charged = 0;

  constructor(
    private readonly readably: boolean,
    private readonly maxChars: number | undefined,
  ) {}

  print(root: Value): string {
    try {
      this.write(root);
      const stack = this.stack;
      while (stack.length > 0) {
        const top = stack[stack.length - 1] as PrintFrame;
        const step = top.items.next();
        if (step.done) {
          this.emit(top.close);
          if (top.atom !== undefined) this.atoms.delete(top.atom);
          stack.pop();
          continue;
        }
        if (!top.single && top.index > 0) this.emit(top.map && top.index % 2 === 0 ? ", " : " ");
        top.index++;
        this.write(step.value);
      }
    } catch (error) {
      if (error !== TRUNCATED) throw error;
      this.settle();
      return `${this.out.join("").slice(0, Math.max(0, (this.maxChars as number) - 3))}...`;
    }
    this.settle();
    return this.out.join("");
  }

  private emit(text: string): void {
    let piece = text;
    if (this.maxChars !== undefined && this.length + piece.length > this.maxChars) {
      // One character past the limit tells a cut from an exact fit.
      piece = piece.slice(0, Math.max(0, this.maxChars + 1 - this.length));
      this.out.push(piece);
      this.length += piece.length;
      throw TRUNCATED;
    }
    this.length += piece.length;
    if (this.length > MAX_STRING_LENGTH) throw stringTooLong(this.length);
    this.out.push(piece);
    if (this.length - this.charged > 4096) this.settle();
  }

  /** Charges the characters emitted and elements walked since the last charge. */
  private settle(): void {
    const meter = activeMeter;
    if (meter === null) return;
    const chars = this.length - this.charged;
    this.charged = this.length;
    meter.charge(ELEMENT_COST * this.walked + Math.ceil(chars / 64));
    meter.alloc(2 * chars + 8 * this.walked);
    this.walked = 0;
  }

  private open(open: string, items: Iterator<Value>, close: string, layout: Layout, atom?: Atom): void {
    this.emit(open);
    this.stack.push({ items, close, map: layout === "map", single: layout === "single", index: 0, atom });
  }

  private write(value: Value): void {
    if (++this.walked === 256) this.settle();
    if (value === null) this.emit("nil");
    else if (typeof value === "boolean") this.emit(value ? "true" : "false");
    else if (typeof value === "number") this.emit(printNumber(value, this.readably));
    else if (typeof value === "string") this.writeString(value);
    else if (value instanceof Keyword) this.emit(`:${value.fqn}`);
    else if (value instanceof Sym) this.emit(value.fqn);
    else if (value instanceof PVector) this.open("[", value[Symbol.iterator](), "]", "seq");
    else if (value instanceof PList) this.open("(", value[Symbol.iterator](), ")", "seq");
    else if (value instanceof LazySeq) {
      if (value.infinite && this.maxChars === undefined) throw infiniteSequence("print");
      this.open("(", value.iterate(), ")", "seq");
    } else if (value instanceof PSet) this.open("#{", value[Symbol.iterator](), "}", "seq");
    else if (value instanceof LMap) this.open("{", entriesOf(value), "}", "map");
    else if (value instanceof Fn) this.emit(`#object[${value.name || "fn"}]`);
    else if (value instanceof Atom) {
      if (this.atoms.has(value)) this.emit("#object[Atom ...]");
      else {
        this.atoms.add(value);
        this.open("#object[Atom {:val ", [value.value].values(), "}]", "single", value);
      }
    } else if (value instanceof Var) this.emit(`#'user/${value.name}`);
    else if (value instanceof Regex) this.emit(`#"${value.source}"`);
    else if (value instanceof ExInfo) {
      this.emit("#error {:message ");
      this.writeString(value.message, true);
      this.open(", :data ", [value.data].values(), "}", "single");
    }
  }

  private writeString(value: string, quoted = this.readably): void {
    if (!quoted) {
      this.emit(value);
      return;
    }
    // Only what can still be shown is escaped.
    const room = this.maxChars === undefined ? value.length : this.maxChars + 1 - this.length;
    this.emit(printString(room < value.length ? value.slice(0, Math.max(0, room)) : value));
  }
}

function* entriesOf(map: LMap): Generator<Value, void, undefined> {
  for (const [k, v] of map.entries()) {
    yield k;
    yield v;
  }
}
