import { capDiagnostics, DiagnosticSink, MAX_DIAGNOSTICS } from "../../errors/cap.js";
import { MESSAGES } from "../../errors/codes.js";
import type { Diagnostic } from "../../errors/diagnostic.js";
import { makeDiagnostic } from "../../errors/errors.js";
import type { SourceSpan } from "../../errors/span.js";
import type { Form } from "../ast/nodes.js";
import { createTokenInstance, type IRecognitionException, type IToken, type TokenType } from "../chevrotain.js";
import { tokenize, tokenSpan } from "../lexer/lexer.js";
import {
  Deref,
  Discard,
  FnOpen,
  LBrace,
  LBracket,
  LParen,
  Meta,
  PreReadForm,
  Quote,
  RBrace,
  RBracket,
  RParen,
  SetOpen,
  VarQuote,
} from "../lexer/tokens.js";
import { FormBuilder } from "./build-forms.js";
import { readerGrammar } from "./grammar.js";

/** Options of {@link parse}. */
export interface ParseOptions {
  /**
   * Deepest allowed nesting of forms, counting collections and reader prefixes (`'`, `@`, `#'`,
   * `^`, `#_`). Deeper sources get one `limit_exceeded` diagnostic and no forms. Default 1000.
   */
  readonly maxDepth?: number;
}

/** What {@link parse} returns. */
export interface ParseResult {
  /**
   * The top-level forms, in source order. When `diagnostics` is not empty they are a best-effort
   * reading (bad tokens keep a placeholder value) and must not be evaluated.
   */
  readonly forms: Form[];
  /**
   * The lexical and syntax errors found, ordered by position; empty means the source is valid.
   * At most MAX_DIAGNOSTICS of each stage (lexer, reader) are kept, and the list ends with one
   * `diagnostics_omitted` when any were left out.
   */
  readonly diagnostics: Diagnostic[];
}

export const DEFAULT_MAX_DEPTH = 1000;

/**
 * Reads PTC-Lisp source into forms. Never throws: every fault of the source, including nesting
 * beyond `maxDepth`, is returned as a diagnostic.
 */
export function parse(source: string, options: ParseOptions = {}): ParseResult {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  try {
    const lexed = tokenize(source);
    const diagnostics = new DiagnosticSink();
    const balanced = balanceDelimiters(lexed.tokens, source, maxDepth, diagnostics);
    if ("tooDeep" in balanced) return { forms: [], diagnostics: [balanced.tooDeep] };
    const forms =
      balanced.deepest > CHUNK_DEPTH
        ? readInChunks(balanced.tokens, source, diagnostics)
        : readForms(balanced.tokens, source, diagnostics, 0);
    const found = [...lexed.diagnostics, ...diagnostics.kept];
    const sorted = found.length > 1 ? sortByPosition(found) : found;
    const total = lexed.diagnostics.length + lexed.omitted + diagnostics.total;
    return { forms, diagnostics: total > MAX_DIAGNOSTICS ? capDiagnostics(sorted, total) : sorted };
  } catch (error) {
    // Backstop only: the depth check keeps the parser off the host stack limit.
    const overflow = error instanceof RangeError && /call stack/i.test(error.message);
    return {
      forms: [],
      diagnostics: [
        overflow
          ? { ...makeDiagnostic("nesting_too_deep", { max: maxDepth }), limit: "depth" }
          : makeDiagnostic("internal_error", {}),
      ],
    };
  }
}

/**
 * The deepest nesting read in one parser run. Chevrotain's recursive descent costs a dozen host
 * frames per level, and an unoptimized frame is large: measured, a cold Node 20 process with the
 * default stack overflows at about 650 nested vectors. Deeper sources are read in chunks.
 */
const CHUNK_DEPTH = 100;

function readForms(tokens: IToken[], source: string, diagnostics: DiagnosticSink, fnLiteralDepth: number): Form[] {
  const grammar = readerGrammar();
  const builder = new FormBuilder(fnLiteralDepth);
  const forms = grammar.read(tokens, builder);
  for (const error of grammar.errors) diagnostics.add(() => parserDiagnostic(error, source));
  builder.report(diagnostics);
  return forms;
}

interface Chunk {
  readonly tokens: IToken[];
  /** `#(` literals around the chunk, for nested_fn_literal. */
  readonly fnLiteralDepth: number;
}

/**
 * Reads a balanced token stream nested deeper than CHUNK_DEPTH with bounded recursion: each form
 * starting at a depth that is a multiple of CHUNK_DEPTH is read on its own as soon as it ends
 * (so innermost first) and stands in its enclosing chunk as one PreReadForm token carrying it.
 * Same forms and diagnostics as one parser run would give.
 */
function readInChunks(tokens: IToken[], source: string, diagnostics: DiagnosticSink): Form[] {
  const pending: Pending[] = [];
  const startedChunk: (Chunk | undefined)[] = [];
  const openers: IToken[] = [];
  const chunks: Chunk[] = [{ tokens: [], fnLiteralDepth: 0 }];
  let fnLiteralDepth = 0;
  const current = (): Chunk => chunks[chunks.length - 1] as Chunk;
  const pop = (): void => {
    pending.pop();
    const chunk = startedChunk.pop();
    if (chunk === undefined) return;
    chunks.pop();
    const parent = current().tokens;
    for (const form of readForms(chunk.tokens, source, diagnostics, chunk.fnLiteralDepth)) {
      const { start, line, column } = form.span;
      const token = createTokenInstance(PreReadForm, "", start, start, line, line, column, column);
      token.payload = form;
      parent.push(token);
    }
  };
  // As completeForm, finishing the chunks that end with the form.
  const complete = (): void => {
    for (;;) {
      const top = pending[pending.length - 1];
      if (top === undefined || top === "collection") return;
      if (top === "metadata") {
        pending[pending.length - 1] = "form";
        return;
      }
      pop();
      if (top === "discarded-form") return;
    }
  };
  for (const token of tokens) {
    const role = ROLES[token.tokenTypeIdx];
    if (role === undefined) {
      current().tokens.push(token);
      complete();
    } else if (role !== "closer") {
      let chunk: Chunk | undefined;
      if (pending.length > 0 && pending.length % CHUNK_DEPTH === 0) {
        chunk = { tokens: [], fnLiteralDepth };
        chunks.push(chunk);
      }
      current().tokens.push(token);
      pending.push(role);
      startedChunk.push(chunk);
      if (role === "collection") {
        openers.push(token);
        if (token.tokenType === FnOpen) fnLiteralDepth++;
      }
    } else {
      while (pending.length > 0 && pending[pending.length - 1] !== "collection") pop();
      current().tokens.push(token);
      if (openers.pop()?.tokenType === FnOpen) fnLiteralDepth--;
      pop();
      complete();
    }
  }
  while (pending.length > 0) pop();
  return readForms(current().tokens, source, diagnostics, 0);
}

/** What an entry of the pre-pass nesting stack waits for. */
type Pending = "collection" | "form" | "discarded-form" | "metadata";
type Role = Pending | "closer";

// Indexed by tokenTypeIdx: the pre-pass looks at every token, and array reads beat Map lookups.
const ROLES: Role[] = [];
const CLOSER_OF: TokenType[] = [];
/** Chevrotain numbers every token type when it is created. */
const typeIndex = (type: TokenType): number => type.tokenTypeIdx ?? 0;
for (const [opener, closer] of [
  [LParen, RParen],
  [FnOpen, RParen],
  [LBracket, RBracket],
  [LBrace, RBrace],
  [SetOpen, RBrace],
] as const) {
  ROLES[typeIndex(opener)] = "collection";
  ROLES[typeIndex(closer)] = "closer";
  CLOSER_OF[typeIndex(opener)] = closer;
}
for (const prefix of [Quote, Deref, VarQuote]) ROLES[typeIndex(prefix)] = "form";
ROLES[typeIndex(Discard)] = "discarded-form";
ROLES[typeIndex(Meta)] = "metadata";

/**
 * The delimiter pre-pass. Reports unclosed, mismatched and stray closers with the opener's
 * position and returns a balanced token stream for the parser: stray closers dropped, a wrong
 * closer retyped to the one expected, missing closers appended at the end. This keeps the
 * parser from reporting the same fault again in its own words.
 *
 * It also bounds the nesting (collections plus reader prefixes still waiting for their form)
 * the parser will recurse through; past `maxDepth` it returns the one limit diagnostic instead.
 */
function balanceDelimiters(
  tokens: IToken[],
  source: string,
  maxDepth: number,
  diagnostics: DiagnosticSink,
): { tokens: IToken[]; deepest: number } | { tooDeep: Diagnostic } {
  const openers: IToken[] = [];
  const pending: Pending[] = [];
  let repaired: IToken[] | undefined;
  let deepest = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as IToken;
    const role = ROLES[token.tokenTypeIdx];
    if (role === undefined) {
      completeForm(pending);
      repaired?.push(token);
      continue;
    }
    if (role !== "closer") {
      if (pending.length >= maxDepth) {
        return {
          tooDeep: { ...makeDiagnostic("nesting_too_deep", { max: maxDepth }, tokenSpan(token)), limit: "depth" },
        };
      }
      if (role === "collection") openers.push(token);
      pending.push(role);
      if (pending.length > deepest) deepest = pending.length;
      repaired?.push(token);
      continue;
    }
    const opener = openers.pop();
    if (opener === undefined) {
      diagnostics.add(() => makeDiagnostic("unexpected_closer", { found: token.image }, tokenSpan(token)));
      repaired ??= tokens.slice(0, index);
      continue;
    }
    // Prefixes left inside the collection have no form; the form builder reports them.
    while (pending.length > 0 && pending.pop() !== "collection") {}
    completeForm(pending);
    const expected = CLOSER_OF[opener.tokenTypeIdx] as TokenType;
    if (expected === token.tokenType) {
      repaired?.push(token);
      continue;
    }
    diagnostics.add(() =>
      makeDiagnostic("mismatched_delimiter", { found: token.image, ...openerParams(opener) }, tokenSpan(token)),
    );
    repaired ??= tokens.slice(0, index);
    repaired.push(retype(token, expected));
  }
  if (openers.length === 0) return { tokens: repaired ?? tokens, deepest };
  repaired ??= tokens.slice();
  const end = endPosition(source);
  for (const opener of openers) {
    diagnostics.add(() => makeDiagnostic("unclosed_delimiter", openerParams(opener), tokenSpan(opener)));
  }
  for (let index = openers.length - 1; index >= 0; index--) {
    const closer = CLOSER_OF[(openers[index] as IToken).tokenTypeIdx] as TokenType;
    repaired.push(
      createTokenInstance(closer, "", end.start, end.start - 1, end.line, end.line, end.column, end.column - 1),
    );
  }
  return { tokens: repaired, deepest };
}

/** A form just ended: settle the prefixes waiting for it (`#_` swallows it, `^` wants a second). */
function completeForm(pending: Pending[]): void {
  for (;;) {
    const top = pending[pending.length - 1];
    if (top === undefined || top === "collection") return;
    pending.pop();
    if (top === "discarded-form") return;
    if (top === "metadata") {
      pending.push("form");
      return;
    }
  }
}

function openerParams(opener: IToken): { open: string; line: number; column: number } {
  return { open: opener.image, line: opener.startLine ?? 1, column: opener.startColumn ?? 1 };
}

function retype(token: IToken, type: TokenType): IToken {
  return createTokenInstance(
    type,
    token.image,
    token.startOffset,
    token.endOffset ?? token.startOffset,
    token.startLine ?? 1,
    token.endLine ?? 1,
    token.startColumn ?? 1,
    token.endColumn ?? 1,
  );
}

/** The empty span at the end of the source. */
function endPosition(source: string): SourceSpan {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < source.length; index++) {
    const code = source.charCodeAt(index);
    if (code === 10 || (code === 13 && source.charCodeAt(index + 1) !== 10)) {
      line++;
      lineStart = index + 1;
    }
  }
  return { start: source.length, end: source.length, line, column: source.length - lineStart + 1 };
}

function parserDiagnostic(error: IRecognitionException, source: string): Diagnostic {
  const spec = MESSAGES.unexpected_token;
  const span = Number.isFinite(error.token.startOffset) ? tokenSpan(error.token) : endPosition(source);
  return { code: spec.code, phase: spec.phase, message: error.message, span };
}

function sortByPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((diagnostic, index) => ({ diagnostic, index }))
    .sort((a, b) => (a.diagnostic.span?.start ?? 0) - (b.diagnostic.span?.start ?? 0) || a.index - b.index)
    .map(({ diagnostic }) => diagnostic);
}
