import type { MessageId } from "../errors/codes.js";
import type { Diagnostic } from "../errors/diagnostic.js";
import { makeDiagnostic, SignatureError } from "../errors/errors.js";
import type { SourceSpan } from "../errors/span.js";
import { closestName } from "../internal/suggest.js";
import {
  type Field,
  type Param,
  PRIMITIVE_NAMES,
  type PrimitiveName,
  primitive,
  type RecordType,
  type Signature,
  type Type,
} from "./types.js";

/** The outcome of `parseSignature`. */
export type SignatureParseResult =
  | { readonly ok: true; readonly signature: Signature }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** The outcome of `parseType`. */
export type TypeParseResult =
  | { readonly ok: true; readonly type: Type }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

type TokenKind =
  | ","
  | "("
  | ")"
  | "["
  | "]"
  | "{"
  | "}"
  | "#{"
  | "->"
  | "|"
  | "?"
  | "&"
  | "..."
  | "keyword"
  | "name"
  | "string"
  | "number"
  | "end";

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Raised inside the parser; turned into the one diagnostic of a failed parse. */
class SignatureSyntaxError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** Names people write for the types the language spells otherwise, with the fix. */
const TYPE_HINTS: ReadonlyMap<string, string> = new Map([
  ["list", "use [:any], or [T] for a list of T"],
  ["array", "use [:any], or [T] for a list of T"],
  ["vector", "use [:any], or [T] for a list of T"],
  ["vec", "use [:any], or [T] for a list of T"],
  ["seq", "use [:any], or [T] for a list of T"],
  ["coll", "use [:any], or [T] for a list of T"],
  ["sequence", "use [:any], or [T] for a list of T"],
  ["integer", "use :int"],
  ["long", "use :int"],
  ["double", "use :float"],
  ["decimal", "use :float"],
  ["real", "use :float"],
  ["boolean", "use :bool"],
  ["str", "use :string"],
  ["text", "use :string"],
  ["date", "dates travel as strings: use :string"],
  ["datetime", "dates travel as strings: use :string"],
  ["uuid", "use :string"],
  ["object", "use :map, or {field T} for named fields"],
  ["dict", "use :map, or {:string T} for a map from strings to T"],
  ["hash", "use :map, or {field T} for named fields"],
  ["record", "use {field T, ...}"],
  ["null", "use :nil"],
  ["none", "use :nil"],
  ["set", "use #{T}"],
  ["symbol", "use :keyword"],
  ["kw", "use :keyword"],
  ["function", "use :fn"],
  ["unknown", "use :any"],
  ["json", "use :any"],
]);

const PRIMITIVES: ReadonlySet<string> = new Set(PRIMITIVE_NAMES);

/** A fix for an unknown type name: a known mistake, else the nearest name (`:strng` → `:string`). */
function typeHint(name: string): string | undefined {
  const lower = name.toLowerCase();
  const known = TYPE_HINTS.get(lower);
  if (known !== undefined) return known;
  const primitive = closestName(lower, PRIMITIVE_NAMES);
  if (primitive !== undefined) return `did you mean :${primitive}?`;
  const mistake = closestName(lower, TYPE_HINTS.keys());
  return mistake === undefined ? undefined : TYPE_HINTS.get(mistake);
}
const NAME_START = /[A-Za-z_$]/;
const NAME_CHAR = /[A-Za-z0-9_$\-?!*'.+<>=/]/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const STRING = /^"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/;

class SignatureParser {
  private readonly tokens: Token[] = [];
  private index = 0;
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
    this.tokenize();
  }

  private span(start: number, end: number): SourceSpan {
    let line = 0;
    while (line + 1 < this.lineStarts.length && (this.lineStarts[line + 1] as number) <= start) line++;
    return { start, end, line: line + 1, column: start - (this.lineStarts[line] as number) + 1 };
  }

  private fail(id: MessageId, params: Record<string, string>, start: number, end: number, hint?: string): never {
    throw new SignatureSyntaxError(makeDiagnostic(id, params, this.span(start, Math.max(end, start)), hint));
  }

  private tokenize(): void {
    const text = this.text;
    let i = 0;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === " " || c === "\t" || c === "\n" || c === "\r") {
        i++;
        continue;
      }
      const start = i;
      const push = (kind: TokenKind, length: number) => {
        this.tokens.push({ kind, text: text.slice(start, start + length), start, end: start + length });
        i = start + length;
      };
      if (text.startsWith("->", i)) push("->", 2);
      else if (text.startsWith("...", i)) push("...", 3);
      else if (text.startsWith("#{", i)) push("#{", 2);
      else if ("()[]{}|?&,".includes(c)) push(c as TokenKind, 1);
      else if (c === ":") {
        let j = i + 1;
        while (j < text.length && /[A-Za-z0-9_-]/.test(text[j] as string)) j++;
        if (j === i + 1)
          this.fail(
            "signature_invalid",
            { reason: "a colon must be followed by a type name, as in :string" },
            i,
            i + 1,
            "fields are written name :type, with no colon after the name",
          );
        push("keyword", j - i);
      } else if (c === '"') {
        const match = STRING.exec(text.slice(i));
        if (match === null) this.fail("signature_invalid", { reason: "string is not terminated" }, i, text.length);
        push("string", match[0].length);
      } else if (c === "-" || (c >= "0" && c <= "9")) {
        const match = NUMBER.exec(text.slice(i));
        if (match === null) this.fail("signature_unexpected", { found: c, expected: "a type" }, i, i + 1);
        push("number", match[0].length);
      } else if (NAME_START.test(c)) {
        let j = i + 1;
        while (j < text.length && NAME_CHAR.test(text[j] as string)) {
          if (text.startsWith("...", j) || text.startsWith("->", j)) break;
          j++;
        }
        // A name may end in `?` (`cause?`, as in Clojure), but `true?` is the literal true, optional.
        const word = text.slice(i, j).replace(/\?+$/, "");
        push("name", word === "true" || word === "false" ? word.length : j - i);
      } else {
        this.fail("signature_unexpected", { found: JSON.stringify(c), expected: "a type" }, i, i + 1);
      }
    }
    this.tokens.push({ kind: "end", text: "", start: text.length, end: text.length });
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.index++;
    return token;
  }

  private describe(token: Token): string {
    return token.kind === "end" ? "end of signature" : token.text;
  }

  private expect(kind: TokenKind, expected: string, hint?: string): Token {
    const token = this.peek();
    if (token.kind !== kind)
      this.fail("signature_unexpected", { found: this.describe(token), expected }, token.start, token.end, hint);
    return this.next();
  }

  private atEnd(): void {
    const token = this.peek();
    if (token.kind !== "end") {
      this.fail(
        "signature_unexpected",
        { found: this.describe(token), expected: "end of signature" },
        token.start,
        token.end,
        token.kind === "->" ? "only a parameter list (name :type, ...) can come before ->" : undefined,
      );
    }
  }

  /** `(` starts a parameter list (rather than a grouped type) when a name, `&`, `...` or `)` follows. */
  private startsParams(): boolean {
    if (this.peek().kind !== "(") return false;
    const after = this.peek(1);
    if (after.kind === ")" || after.kind === "&" || after.kind === "...") return true;
    if (after.kind === "name") return after.text !== "true" && after.text !== "false";
    if (after.kind === "string") {
      const then = this.peek(2).kind;
      return then !== "|" && then !== "?" && then !== ")";
    }
    return false;
  }

  signature(): Signature {
    const first = this.peek();
    if (first.kind === "->") {
      this.fail(
        "signature_unexpected",
        { found: "->", expected: "a parameter list or a type" },
        first.start,
        first.end,
        "write () -> T for a signature without inputs",
      );
    }
    if (this.startsParams()) {
      const { params, open } = this.params();
      this.expect("->", "->", "a parameter list is followed by -> and the output type");
      const output = this.type();
      this.atEnd();
      return open ? { params, open: true, output } : { params, output };
    }
    const output = this.type();
    this.atEnd();
    return { params: null, output };
  }

  /** A parameter list on its own (`(query :string, limit :int?)`), as tool inputs are written. */
  paramsOnly(): { params: Param[]; open: boolean } {
    const result = this.params();
    this.atEnd();
    return result;
  }

  typeOnly(): Type {
    const type = this.type();
    this.atEnd();
    return type;
  }

  private params(): { params: Param[]; open: boolean } {
    this.expect("(", "(");
    const params: Param[] = [];
    const seen = new Set<string>();
    let open = false;
    for (;;) {
      this.skipCommas();
      const token = this.peek();
      if (token.kind === ")") break;
      if (open) this.fail("signature_invalid", { reason: "... must be the last parameter" }, token.start, token.end);
      if (token.kind === "...") {
        this.next();
        open = true;
        continue;
      }
      let rest = false;
      if (token.kind === "&") {
        this.next();
        rest = true;
      }
      const nameToken = this.peek();
      const name = this.name("a parameter name");
      if (seen.has(name)) this.fail("signature_duplicate", { what: "parameter", name }, nameToken.start, nameToken.end);
      seen.add(name);
      const type = this.type();
      if (this.peek().kind === "...") {
        this.next();
        rest = true;
      }
      const description = this.description();
      params.push({
        name,
        type,
        ...(description === undefined ? {} : { description }),
        ...(rest ? { rest: true } : {}),
      });
    }
    this.expect(")", ")");
    return { params, open };
  }

  private name(expected: string): string {
    const token = this.peek();
    if (token.kind === "name") {
      this.next();
      return token.text;
    }
    if (token.kind === "string") {
      this.next();
      return JSON.parse(token.text) as string;
    }
    return this.fail("signature_unexpected", { found: this.describe(token), expected }, token.start, token.end);
  }

  private skipCommas(): void {
    while (this.peek().kind === ",") this.next();
  }

  /**
   * A string after an entry's type is its description when it ends the entry (a comma or the
   * closing bracket follows); otherwise it is the quoted name of the next entry.
   */
  private description(): string | undefined {
    const token = this.peek();
    if (token.kind !== "string") return undefined;
    const after = this.peek(1).kind;
    if (after !== "," && after !== "}" && after !== ")" && after !== "end") return undefined;
    this.next();
    return JSON.parse(token.text) as string;
  }

  type(): Type {
    const first = this.postfix();
    if (this.peek().kind !== "|") return first;
    const members = [first];
    while (this.peek().kind === "|") {
      this.next();
      members.push(this.postfix());
    }
    return { kind: "union", members };
  }

  private postfix(): Type {
    let type = this.atom();
    while (this.peek().kind === "?") {
      this.next();
      type = { kind: "optional", type };
    }
    return type;
  }

  private atom(): Type {
    const token = this.peek();
    switch (token.kind) {
      case "keyword": {
        this.next();
        const name = token.text.slice(1);
        if (!PRIMITIVES.has(name)) {
          const hint = typeHint(name);
          this.fail(
            "signature_unknown_type",
            { name: token.text },
            token.start,
            token.end,
            hint ?? `the types are ${PRIMITIVE_NAMES.map((n) => `:${n}`).join(" ")}, [T], #{T} and {field T}`,
          );
        }
        return primitive(name as PrimitiveName);
      }
      case "[": {
        this.next();
        if (this.peek().kind === "]")
          this.fail(
            "signature_invalid",
            { reason: "a list type needs its element type" },
            token.start,
            this.peek().end,
            "use [:any]",
          );
        const element = this.type();
        this.expect("]", "]");
        return { kind: "list", element };
      }
      case "#{": {
        this.next();
        const element = this.type();
        this.expect("}", "}");
        return { kind: "set", element };
      }
      case "{":
        return this.record();
      case "(": {
        this.next();
        const type = this.type();
        this.expect(")", ")");
        return type;
      }
      case "string":
        this.next();
        return { kind: "literal", value: JSON.parse(token.text) as string };
      case "number": {
        this.next();
        return { kind: "literal", value: Number(token.text) };
      }
      case "name":
        if (token.text === "true" || token.text === "false") {
          this.next();
          return { kind: "literal", value: token.text === "true" };
        }
        return this.fail(
          "signature_unexpected",
          { found: token.text, expected: "a type" },
          token.start,
          token.end,
          PRIMITIVES.has(token.text) || TYPE_HINTS.has(token.text.toLowerCase())
            ? `types start with a colon: :${PRIMITIVES.has(token.text) ? token.text : "string"}`
            : "a signature is (name :type, ...) -> :type, or just the output type",
        );
      default:
        return this.fail(
          "signature_unexpected",
          { found: this.describe(token), expected: "a type" },
          token.start,
          token.end,
        );
    }
  }

  private record(): RecordType {
    const open = this.expect("{", "{");
    const fields: Field[] = [];
    const seen = new Set<string>();
    let rest: RecordType["rest"];
    for (;;) {
      this.skipCommas();
      const token = this.peek();
      if (token.kind === "}") break;
      if (token.kind === "end")
        this.fail("signature_unexpected", { found: "end of signature", expected: "}" }, open.start, token.end);
      if (token.kind === "keyword" || token.kind === "(") {
        if (rest !== undefined)
          this.fail(
            "signature_invalid",
            { reason: "a record can have only one key type entry" },
            token.start,
            token.end,
          );
        const key = this.postfix();
        const value = this.type();
        rest = { key, value };
        continue;
      }
      const name = this.name("a field name, or a key type such as :string");
      if (seen.has(name)) this.fail("signature_duplicate", { what: "field", name }, token.start, token.end);
      seen.add(name);
      if (this.peek().kind === "}" || this.peek().kind === "end")
        this.fail(
          "signature_unexpected",
          { found: this.describe(this.peek()), expected: `the type of field ${name}` },
          this.peek().start,
          this.peek().end,
        );
      const type = this.type();
      const description = this.description();
      fields.push({ name, type, ...(description === undefined ? {} : { description }) });
    }
    this.expect("}", "}");
    return rest === undefined ? { kind: "record", fields } : { kind: "record", fields, rest };
  }
}

function run<T>(text: string, parse: (parser: SignatureParser) => T): T | { diagnostics: Diagnostic[] } {
  try {
    return parse(new SignatureParser(text));
  } catch (error) {
    if (error instanceof SignatureSyntaxError) return { diagnostics: [error.diagnostic] };
    if (error instanceof RangeError) {
      return {
        diagnostics: [makeDiagnostic("signature_invalid", { reason: "types are nested too deeply" }, undefined)],
      };
    }
    throw error;
  }
}

/**
 * Parses a signature: `(name :type, ...) -> :type`, or the output-only shorthand `:type`.
 * Never throws; a syntax error comes back as one `parse_error` diagnostic whose span points
 * into `text` (with a hint where a common mistake is recognised, e.g. `:list` → `[:any]`).
 */
export function parseSignature(text: string): SignatureParseResult {
  const result = run(text, (parser) => parser.signature());
  return "diagnostics" in result ? { ok: false, diagnostics: result.diagnostics } : { ok: true, signature: result };
}

/**
 * A signature given as text or already parsed, read the same way everywhere: text is parsed
 * (never throws; see `parseSignature`), a parsed signature passes through.
 */
export function readSignature(signature: Signature | string): SignatureParseResult {
  return typeof signature === "string" ? parseSignature(signature) : { ok: true, signature };
}

/** Like `readSignature`, but throws `SignatureError` (with the diagnostics) for text that does not parse. */
export function toSignature(signature: Signature | string): Signature {
  const read = readSignature(signature);
  if (!read.ok) throw new SignatureError(typeof signature === "string" ? signature : "", read.diagnostics);
  return read.signature;
}

/** Parses one type, e.g. `{id :int, tags [:string]}`. Never throws. */
export function parseType(text: string): TypeParseResult {
  const result = run(text, (parser) => parser.typeOnly());
  return "diagnostics" in result ? { ok: false, diagnostics: result.diagnostics } : { ok: true, type: result };
}

/**
 * Parses the input of a tool: a parameter list (`(query :string, limit :int?)`) or a record
 * type (`{query :string, limit :int?}`); both give the record of its arguments.
 */
export function parseInput(text: string): TypeParseResult {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("(")) {
    const result = run(text, (parser) => parser.paramsOnly());
    if ("diagnostics" in result) return { ok: false, diagnostics: result.diagnostics };
    const fields = result.params.map(({ name, type, description }) => ({
      name,
      type,
      ...(description === undefined ? {} : { description }),
    }));
    return {
      ok: true,
      type: result.open
        ? { kind: "record", fields, rest: { key: primitive("any"), value: primitive("any") } }
        : { kind: "record", fields },
    };
  }
  const parsed = parseType(text);
  if (parsed.ok && parsed.type.kind !== "record") {
    return {
      ok: false,
      diagnostics: [
        makeDiagnostic(
          "signature_invalid",
          { reason: "a tool's input must be a parameter list (name :type, ...) or a record {name :type, ...}" },
          { start: 0, end: text.length, line: 1, column: 1 },
        ),
      ],
    };
  }
  return parsed;
}
