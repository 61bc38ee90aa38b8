import { DiagnosticSink } from "../../errors/cap.js";
import type { MessageId } from "../../errors/codes.js";
import type { Diagnostic } from "../../errors/diagnostic.js";
import { makeDiagnostic } from "../../errors/errors.js";
import type { SourceSpan } from "../../errors/span.js";
import { isProduction } from "../../internal/env.js";
import { type IToken, Lexer, type TokenType } from "../chevrotain.js";
import {
  allTokens,
  CharLiteral,
  Dispatch,
  Keyword,
  NumberLiteral,
  Regex,
  StringLiteral,
  SymbolicValue,
  SymbolToken,
  SyntaxQuote,
  Unquote,
  UnquoteSplicing,
  UnterminatedRegex,
  UnterminatedString,
} from "./tokens.js";

/** What {@link tokenize} returns. */
export interface TokenizeResult {
  readonly tokens: IToken[];
  /** The first MAX_DIAGNOSTICS lexical errors, in source order. */
  readonly diagnostics: Diagnostic[];
  /** Lexical errors found past MAX_DIAGNOSTICS (counted, not built). */
  readonly omitted: number;
}

let lexer: Lexer | undefined;

/** The one lexer, built on first use (its optimizations are analysed when it is built). */
function theLexer(): Lexer {
  // "onlyStart": spans need start line/column only (their end is start + image length). Measured
  // on a 200-line program, "full" (end line/column too) makes lexing ~25% slower.
  lexer ??= new Lexer(allTokens as TokenType[], {
    positionTracking: "onlyStart",
    ensureOptimizations: true,
    skipValidations: isProduction(),
  });
  return lexer;
}

/**
 * Splits a source into tokens, with their decoded value in `payload`: numbers and `##` values → number,
 * strings and characters → string, regexes → the raw pattern (symbols and keywords are split with
 * namespaceSeparator). A token that fails validation still gets a best-effort payload (NaN, "?")
 * and a diagnostic, so the parser keeps the program's shape. Unsupported reader macros are
 * reported and left out of `tokens`.
 */
export function tokenize(source: string): TokenizeResult {
  const result = theLexer().tokenize(source);
  const diagnostics = new DiagnosticSink();
  for (const error of result.errors) {
    diagnostics.add(() =>
      makeDiagnostic(
        "unexpected_character",
        { text: JSON.stringify(source.slice(error.offset, error.offset + error.length)) },
        { start: error.offset, end: error.offset + error.length, line: error.line ?? 1, column: error.column ?? 1 },
      ),
    );
  }
  const tokens = result.tokens;
  let kept: IToken[] | undefined;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as IToken;
    switch (KINDS[token.tokenTypeIdx]) {
      case undefined:
        break;
      case "symbol":
        if (!isQualifiedName(token.image, 0)) invalid(token, "invalid_token", diagnostics);
        break;
      case "keyword":
        if (!isQualifiedName(token.image, keywordNameStart(token.image))) invalid(token, "invalid_token", diagnostics);
        break;
      case "number":
        token.payload = numberValue(token.image) ?? invalid(token, "invalid_number", diagnostics, Number.NaN);
        break;
      case "symbolic-value":
        token.payload = SYMBOLIC_VALUES.get(token.image) ?? invalid(token, "unknown_symbolic_value", diagnostics, 0);
        break;
      case "string":
        token.payload = decodeString(token, token.image.slice(1, -1), diagnostics);
        break;
      case "unterminated-string":
        diagnostics.add(() => makeDiagnostic("unterminated_string", {}, offsetSpan(token, 0, 1)));
        token.payload = decodeString(token, token.image.slice(1), diagnostics);
        break;
      case "character":
        token.payload = charValue(token.image) ?? invalid(token, "invalid_character_literal", diagnostics, "?");
        break;
      case "regex":
        token.payload = token.image.slice(2, -1);
        break;
      case "unterminated-regex":
        diagnostics.add(() => makeDiagnostic("unterminated_regex", {}, offsetSpan(token, 0, 2)));
        token.payload = token.image.slice(2);
        break;
      case "unsupported":
        // Reported and dropped; what follows still parses (`#?(...)` reads as the list).
        diagnostics.add(() => makeDiagnostic("unsupported_reader_macro", { text: token.image }, tokenSpan(token)));
        kept ??= tokens.slice(0, index);
        continue;
    }
    kept?.push(token);
  }
  return { tokens: kept ?? tokens, diagnostics: diagnostics.kept, omitted: diagnostics.omitted };
}

type TokenKind =
  | "symbol"
  | "keyword"
  | "number"
  | "symbolic-value"
  | "string"
  | "unterminated-string"
  | "character"
  | "regex"
  | "unterminated-regex"
  | "unsupported";

/** Post-lexing work per token type, indexed by tokenTypeIdx (every token passes through here). */
const KINDS: TokenKind[] = [];
for (const [type, kind] of [
  [SymbolToken, "symbol"],
  [Keyword, "keyword"],
  [NumberLiteral, "number"],
  [SymbolicValue, "symbolic-value"],
  [StringLiteral, "string"],
  [UnterminatedString, "unterminated-string"],
  [CharLiteral, "character"],
  [Regex, "regex"],
  [UnterminatedRegex, "unterminated-regex"],
  [Dispatch, "unsupported"],
  [SyntaxQuote, "unsupported"],
  [Unquote, "unsupported"],
  [UnquoteSplicing, "unsupported"],
] as const) {
  KINDS[type.tokenTypeIdx ?? 0] = kind;
}

/** The span of a token. */
export function tokenSpan(token: IToken): SourceSpan {
  return {
    start: token.startOffset,
    end: token.startOffset + token.image.length,
    line: token.startLine ?? 1,
    column: token.startColumn ?? 1,
  };
}

/** The span of `token.image.slice(from, to)`, counting line breaks inside the token. */
function offsetSpan(token: IToken, from: number, to: number): SourceSpan {
  let line = token.startLine ?? 1;
  let column = token.startColumn ?? 1;
  const image = token.image;
  for (let index = 0; index < from; index++) {
    const code = image.charCodeAt(index);
    if (code === 10 || (code === 13 && image.charCodeAt(index + 1) !== 10)) {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { start: token.startOffset + from, end: token.startOffset + to, line, column };
}

function invalid(token: IToken, id: MessageId, diagnostics: DiagnosticSink): undefined;
function invalid<T>(token: IToken, id: MessageId, diagnostics: DiagnosticSink, fallback: T): T;
function invalid<T>(token: IToken, id: MessageId, diagnostics: DiagnosticSink, fallback?: T): T | undefined {
  diagnostics.add(() => makeDiagnostic(id, { text: token.image }, tokenSpan(token)));
  return fallback;
}

/**
 * Whether `text.slice(from)` is `name`, `ns/name`, `/` or `ns//`: no empty part, no name starting
 * with a digit, no `::`, no trailing `:`. One scan, as symbols are most of the tokens.
 */
function isQualifiedName(text: string, from: number): boolean {
  const length = text.length;
  if (from >= length || text.charCodeAt(from) === 58 || text.charCodeAt(length - 1) === 58) return false;
  let slash = -1;
  for (let index = from; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === 47) {
      if (slash === -1) slash = index;
      else if (index !== length - 1 || slash !== length - 2) return false;
    } else if (code === 58 && text.charCodeAt(index + 1) === 58) {
      return false;
    }
  }
  if (slash === -1 || length - from === 1) return true;
  return slash > from && slash < length - 1 && !isDigit(text.charCodeAt(slash + 1));
}

/** Where the name part of a keyword starts: `::name` (auto-resolved in Clojure) reads as `:name`. */
export function keywordNameStart(image: string): number {
  return image.charCodeAt(1) === 58 ? 2 : 1;
}

/**
 * The `/` that separates namespace and name in a valid symbol or keyword body starting at
 * `from`, or -1 (`/` alone is a name; in `ns//` the first slash separates).
 */
export function namespaceSeparator(image: string, from: number): number {
  return image.length - from > 1 ? image.indexOf("/", from) : -1;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

const INTEGER = /^([+-]?)(?:(0)|([1-9]\d*)|0[xX]([0-9A-Fa-f]+)|0([0-7]+)|([1-9]\d?)[rR]([0-9A-Za-z]+))N?$/;
const DECIMAL = /^[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?M?$/;
/** `09`: not octal, and Clojure does not read it as decimal either. */
const LEADING_ZERO = /^[+-]?0\d+N?$/;
const RATIO = /^([+-]?\d+)\/(\d+)$/;

/** Clojure's number syntax (integers incl. hex, octal `017` and radix `2r101`, decimals, ratios), as doubles. */
function numberValue(text: string): number | undefined {
  if (isPlainInteger(text)) return Number(text);
  const integer = INTEGER.exec(text);
  if (integer) {
    const sign = integer[1] === "-" ? -1 : 1;
    if (integer[2] !== undefined) return sign * 0;
    if (integer[3] !== undefined) return sign * Number(integer[3]);
    if (integer[4] !== undefined) return sign * Number(`0x${integer[4]}`);
    if (integer[5] !== undefined) return sign * Number(`0o${integer[5]}`);
    return radixValue(Number(integer[6]), integer[7] ?? "", sign);
  }
  if (LEADING_ZERO.test(text)) return undefined;
  if (DECIMAL.test(text)) return Number(text.endsWith("M") ? text.slice(0, -1) : text);
  const ratio = RATIO.exec(text);
  if (ratio) {
    const denominator = Number(ratio[2]);
    return denominator === 0 ? undefined : Number(ratio[1]) / denominator;
  }
  return undefined;
}

/** `0` or digits not starting with 0: most numbers in programs, read without the regexes. */
function isPlainInteger(text: string): boolean {
  const length = text.length;
  if (length > 15 || (length > 1 && text.charCodeAt(0) === 48)) return false;
  for (let index = 0; index < length; index++) if (!isDigit(text.charCodeAt(index))) return false;
  return true;
}

function radixValue(radix: number, digits: string, sign: number): number | undefined {
  if (radix < 2 || radix > 36) return undefined;
  let value = 0;
  for (const digit of digits.toLowerCase()) {
    const weight = Number.parseInt(digit, 36);
    if (weight >= radix) return undefined;
    value = value * radix + weight;
  }
  return sign * value;
}

const SYMBOLIC_VALUES: ReadonlyMap<string, number> = new Map([
  ["##Inf", Number.POSITIVE_INFINITY],
  ["##-Inf", Number.NEGATIVE_INFINITY],
  ["##NaN", Number.NaN],
]);

const NAMED_CHARACTERS: ReadonlyMap<string, string> = new Map([
  ["newline", "\n"],
  ["space", " "],
  ["tab", "\t"],
  ["return", "\r"],
  ["backspace", "\b"],
  ["formfeed", "\f"],
]);

function charValue(image: string): string | undefined {
  const body = image.slice(1);
  const first = body.codePointAt(0);
  if (first === undefined) return undefined;
  if (body.length === (first > 0xffff ? 2 : 1)) return isSurrogate(first) ? undefined : body;
  const named = NAMED_CHARACTERS.get(body);
  if (named !== undefined) return named;
  if (/^u[0-9a-fA-F]{4}$/.test(body)) {
    const code = Number.parseInt(body.slice(1), 16);
    return isSurrogate(code) ? undefined : String.fromCharCode(code);
  }
  if (/^o[0-7]{1,3}$/.test(body)) {
    const code = Number.parseInt(body.slice(1), 8);
    return code > 0o377 ? undefined : String.fromCharCode(code);
  }
  return undefined;
}

/** A lone UTF-16 surrogate is not a character. */
function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}

const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ["n", "\n"],
  ["t", "\t"],
  ["r", "\r"],
  ["b", "\b"],
  ["f", "\f"],
  ['"', '"'],
  ["\\", "\\"],
]);

/**
 * Decodes the escapes of a string body (the image after its opening quote). Each invalid escape
 * is reported with its own span and kept as written.
 */
function decodeString(token: IToken, body: string, diagnostics: DiagnosticSink): string {
  let backslash = body.indexOf("\\");
  if (backslash === -1) return body;
  let out = "";
  let chunkStart = 0;
  while (backslash !== -1) {
    out += body.slice(chunkStart, backslash);
    const next = body.charAt(backslash + 1);
    let length = 2;
    let decoded = SIMPLE_ESCAPES.get(next);
    if (decoded === undefined) {
      if (next === "u") {
        length += countWhile(body, backslash + 2, 4, isHexDigit);
        if (length === 6) decoded = String.fromCharCode(Number.parseInt(body.slice(backslash + 2, backslash + 6), 16));
      } else if (isOctalDigit(next.charCodeAt(0))) {
        length += countWhile(body, backslash + 2, 2, isOctalDigit);
        const code = Number.parseInt(body.slice(backslash + 1, backslash + length), 8);
        if (code <= 0o377) decoded = String.fromCharCode(code);
      } else if (next === "") {
        // Only an unterminated string ends in a backslash; that is reported already.
        length = 1;
        decoded = "";
      } else {
        length = 1 + String.fromCodePoint(body.codePointAt(backslash + 1) ?? 0).length;
      }
    }
    if (decoded === undefined) {
      decoded = body.slice(backslash, backslash + length);
      // +1: the body starts after the opening quote.
      const text = decoded;
      const span = offsetSpan(token, backslash + 1, backslash + 1 + length);
      diagnostics.add(() => makeDiagnostic("invalid_escape", { text }, span));
    }
    out += decoded;
    chunkStart = backslash + length;
    backslash = body.indexOf("\\", chunkStart);
  }
  return out + body.slice(chunkStart);
}

function countWhile(text: string, from: number, max: number, test: (code: number) => boolean): number {
  let count = 0;
  while (count < max && test(text.charCodeAt(from + count))) count++;
  return count;
}

function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function isOctalDigit(code: number): boolean {
  return code >= 48 && code <= 55;
}
