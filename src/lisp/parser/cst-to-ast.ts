import { DiagnosticSink } from "../../errors/cap.js";
import { makeDiagnostic } from "../../errors/errors.js";
import type { SourceSpan } from "../../errors/span.js";
import type { FnLiteralForm, Form, ListForm, MapForm, SetForm, SymbolForm, VectorForm } from "../ast/nodes.js";
import type { CstNode, IToken } from "../chevrotain.js";
import { keywordNameStart, namespaceSeparator, tokenSpan } from "../lexer/lexer.js";
import {
  CharLiteral,
  False,
  Keyword,
  Nil,
  NumberLiteral,
  PreReadForm,
  Regex,
  StringLiteral,
  SymbolicValue,
  SymbolToken,
  True,
  UnterminatedRegex,
  UnterminatedString,
} from "../lexer/tokens.js";
import { printForm } from "../printer/print-form.js";
import { readerGrammar } from "./grammar.js";

/* CST shapes produced by grammar.ts; keys are labels, rule names and token names. */
type FormElement = IToken | CstNode;
interface SequenceContext {
  /** Every form, in source order: atoms as tokens, compound forms as rule nodes. */
  readonly form?: FormElement[];
  readonly discard?: CstNode[];
}
interface CollectionContext extends SequenceContext {
  readonly LParen?: IToken[];
  readonly RParen?: IToken[];
  readonly LBracket?: IToken[];
  readonly RBracket?: IToken[];
  readonly LBrace?: IToken[];
  readonly RBrace?: IToken[];
  readonly SetOpen?: IToken[];
  readonly FnOpen?: IToken[];
}
interface PrefixContext extends SequenceContext {
  readonly Quote?: IToken[];
  readonly Deref?: IToken[];
  readonly VarQuote?: IToken[];
  readonly Meta?: IToken[];
  readonly Discard?: IToken[];
}

/** What the reader needs of the form builder. */
export interface FormBuilder {
  /**
   * Converts a `program` CST node; diagnostics are appended to `diagnostics`. `fnLiteralDepth`
   * is the number of `#(` around the tokens (non-zero when parse.ts reads a nested chunk).
   */
  build(cst: CstNode, diagnostics: DiagnosticSink, fnLiteralDepth?: number): Form[];
}

/**
 * Builds forms from the CST and reports what the grammar leaves to it: missing forms after a
 * prefix, odd and duplicate-keyed maps, duplicate set elements, nested `#()`, `#'` on a
 * non-symbol and bad metadata. Lexical payloads (numbers, decoded strings, names) come from
 * the lexer on each token.
 *
 * The class is made when the first builder is: Chevrotain derives the base visitor from the
 * parser instance, which is built on first use (grammar.ts).
 */
export function createFormBuilder(): FormBuilder {
  const BaseVisitor = readerGrammar().getBaseCstVisitorConstructor<undefined, unknown>();

  class CstToForms extends BaseVisitor implements FormBuilder {
    private diagnostics = new DiagnosticSink();
    private fnLiteralDepth = 0;

    constructor() {
      super();
      this.validateVisitor();
    }

    build(cst: CstNode, diagnostics: DiagnosticSink, fnLiteralDepth = 0): Form[] {
      this.diagnostics = diagnostics;
      this.fnLiteralDepth = fnLiteralDepth;
      try {
        return this.program(cst.children);
      } finally {
        this.diagnostics = new DiagnosticSink();
      }
    }

    program(context: SequenceContext): Form[] {
      return this.items(context);
    }

    /** Discarded forms are still read, as Clojure does, so their faults are reported. */
    discard(context: PrefixContext): undefined {
      const prefix = context.Discard?.[0];
      if (context.form === undefined && prefix !== undefined) {
        this.diagnostics.add(() => makeDiagnostic("missing_form", { prefix: prefix.image }, tokenSpan(prefix)));
      }
      this.items(context);
      return undefined;
    }

    list(context: CollectionContext): ListForm {
      return { kind: "list", items: this.items(context), span: enclosing(context.LParen, context.RParen) };
    }

    vector(context: CollectionContext): VectorForm {
      return { kind: "vector", items: this.items(context), span: enclosing(context.LBracket, context.RBracket) };
    }

    map(context: CollectionContext): MapForm {
      const items = this.items(context);
      const span = enclosing(context.LBrace, context.RBrace);
      if (items.length % 2 === 1) this.diagnostics.add(() => makeDiagnostic("odd_map_literal", {}, span));
      this.checkDistinct(items, 2, "map");
      return { kind: "map", items, span };
    }

    set(context: CollectionContext): SetForm {
      const items = this.items(context);
      this.checkDistinct(items, 1, "set");
      return { kind: "set", items, span: enclosing(context.SetOpen, context.RBrace) };
    }

    fnLiteral(context: CollectionContext): FnLiteralForm {
      const span = enclosing(context.FnOpen, context.RParen);
      if (this.fnLiteralDepth > 0) this.diagnostics.add(() => makeDiagnostic("nested_fn_literal", {}, span));
      this.fnLiteralDepth++;
      const items = this.items(context);
      this.fnLiteralDepth--;
      // The body is the list after `#`; `#(` is one token on one line, so shifting by one is exact.
      const bodySpan = { start: span.start + 1, end: span.end, line: span.line, column: span.column + 1 };
      return { kind: "fn-literal", body: { kind: "list", items, span: bodySpan }, span };
    }

    quote(context: PrefixContext): ListForm | undefined {
      return this.sugar(context.Quote, context, "quote");
    }

    deref(context: PrefixContext): ListForm | undefined {
      return this.sugar(context.Deref, context, "deref");
    }

    varQuote(context: PrefixContext): ListForm | undefined {
      const form = this.sugar(context.VarQuote, context, "var");
      const target = form?.items[1];
      if (target !== undefined && target.kind !== "symbol") {
        this.diagnostics.add(() => makeDiagnostic("var_needs_symbol", { found: target.kind }, target.span));
      }
      return form;
    }

    /** `^meta target` reads as target; the metadata is checked and dropped. */
    withMeta(context: PrefixContext): Form | undefined {
      this.readDiscarded(context);
      const [metaElement, targetElement] = context.form ?? [];
      const meta = metaElement === undefined ? undefined : this.element(metaElement);
      const target = targetElement === undefined ? undefined : this.element(targetElement);
      const prefix = context.Meta?.[0];
      if (meta !== undefined && !METADATA_KINDS.has(meta.kind)) {
        this.diagnostics.add(() => makeDiagnostic("invalid_metadata", { found: meta.kind }, meta.span));
      }
      if (targetElement === undefined && prefix !== undefined) {
        this.diagnostics.add(() => makeDiagnostic("missing_form", { prefix: prefix.image }, tokenSpan(prefix)));
      }
      return target;
    }

    private sugar(
      prefixTokens: IToken[] | undefined,
      context: PrefixContext,
      name: "quote" | "deref" | "var",
    ): ListForm | undefined {
      const prefix = prefixTokens?.[0];
      if (prefix === undefined) return undefined;
      const prefixSpan = tokenSpan(prefix);
      this.readDiscarded(context);
      const element = context.form?.[0];
      if (element === undefined) {
        this.diagnostics.add(() => makeDiagnostic("missing_form", { prefix: prefix.image }, prefixSpan));
        return undefined;
      }
      const form = this.element(element);
      if (form === undefined) return undefined;
      const head: SymbolForm = { kind: "symbol", ns: null, name, span: prefixSpan };
      return {
        kind: "list",
        items: [head, form],
        sugar: name,
        span: { start: prefixSpan.start, end: form.span.end, line: prefixSpan.line, column: prefixSpan.column },
      };
    }

    /** The forms of a sequence (discards are separate children and produce nothing). */
    private items(context: SequenceContext): Form[] {
      const forms: Form[] = [];
      this.readDiscarded(context);
      const elements = context.form;
      if (elements === undefined) return forms;
      for (let index = 0; index < elements.length; index++) {
        const form = this.element(elements[index] as FormElement);
        if (form !== undefined) forms.push(form);
      }
      return forms;
    }

    private readDiscarded(context: SequenceContext): void {
      if (context.discard !== undefined) for (const node of context.discard) this.visit(node);
    }

    /** A prefix without its form yields undefined (and a diagnostic). */
    private element(element: FormElement): Form | undefined {
      return "children" in element ? (this.visit(element) as Form | undefined) : atom(element);
    }

    /** Reports each item (every `stride`-th: map keys) equal to an earlier one, by printed form. */
    private checkDistinct(items: readonly Form[], stride: number, kind: "map" | "set"): void {
      if (items.length <= stride) return;
      const seen = new Set<string>();
      for (let index = 0; index < items.length; index += stride) {
        const item = items[index] as Form;
        const key = printForm(item);
        if (seen.has(key)) this.diagnostics.add(() => makeDiagnostic("duplicate_key", { key, kind }, item.span));
        else seen.add(key);
      }
    }
  }

  return new CstToForms();
}

const METADATA_KINDS: ReadonlySet<Form["kind"]> = new Set(["symbol", "keyword", "string", "map"]);

function atom(token: IToken): Form | undefined {
  if (token.tokenType === PreReadForm) return token.payload as Form;
  const span = tokenSpan(token);
  switch (token.tokenType) {
    case SymbolToken: {
      const image = token.image;
      const slash = namespaceSeparator(image, 0);
      if (slash === -1) return { kind: "symbol", ns: null, name: image, span };
      return { kind: "symbol", ns: image.slice(0, slash), name: image.slice(slash + 1), span };
    }
    case Keyword: {
      const image = token.image;
      const start = keywordNameStart(image);
      const slash = namespaceSeparator(image, start);
      if (slash === -1) return { kind: "keyword", ns: null, name: image.slice(start), span };
      return { kind: "keyword", ns: image.slice(start, slash), name: image.slice(slash + 1), span };
    }
    case NumberLiteral:
    case SymbolicValue:
      return { kind: "number", value: token.payload as number, span };
    case StringLiteral:
    case UnterminatedString:
      return { kind: "string", value: token.payload as string, span };
    case Nil:
      return { kind: "nil", span };
    case True:
      return { kind: "boolean", value: true, span };
    case False:
      return { kind: "boolean", value: false, span };
    case CharLiteral:
      return { kind: "char", value: token.payload as string, span };
    case Regex:
    case UnterminatedRegex:
      return { kind: "regex", pattern: token.payload as string, span };
    default:
      return undefined;
  }
}

/** From the opener through the closer; a closer lost in error recovery ends the span at the opener. */
function enclosing(open: IToken[] | undefined, close: IToken[] | undefined): SourceSpan {
  const first = open?.[0];
  if (first === undefined) return UNKNOWN_SPAN;
  const last = close?.[0];
  const end =
    last !== undefined && Number.isFinite(last.startOffset)
      ? last.startOffset + last.image.length
      : first.startOffset + first.image.length;
  return { start: first.startOffset, end, line: first.startLine ?? 1, column: first.startColumn ?? 1 };
}

const UNKNOWN_SPAN: SourceSpan = { start: 0, end: 0, line: 1, column: 1 };
