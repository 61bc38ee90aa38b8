import { formatMessage } from "../../errors/codes.js";
import { isProduction } from "../../internal/env.js";
import type { Form } from "../ast/nodes.js";
import {
  EmbeddedActionsParser,
  EOF,
  type IOrAlt,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
  tokenLabel,
} from "../chevrotain.js";
import {
  allTokens,
  CharLiteral,
  Deref,
  Discard,
  False,
  FnOpen,
  Keyword,
  LBrace,
  LBracket,
  LParen,
  Meta,
  Nil,
  NumberLiteral,
  PreReadForm,
  Quote,
  RBrace,
  RBracket,
  Regex,
  RParen,
  SetOpen,
  StringLiteral,
  SymbolicValue,
  SymbolToken,
  True,
  VarQuote,
} from "../lexer/tokens.js";
import { atom, FormBuilder } from "./build-forms.js";

function describe(token: IToken): string {
  return token.image === "" ? tokenLabel(token.tokenType) : token.image;
}

function expectedList(paths: readonly (readonly TokenType[])[]): string {
  const labels = new Set<string>();
  for (const path of paths) {
    const first = path[0];
    if (first !== undefined) labels.add(tokenLabel(first));
  }
  return [...labels].join(", ");
}

function unexpected(actual: IToken | undefined, expected: string): string {
  return actual === undefined || actual.tokenType === EOF
    ? formatMessage("unexpected_end", { expected })
    : formatMessage("unexpected_token", { found: describe(actual), expected });
}

/**
 * Messages for the parser's own errors, worded by the catalog. With the token stream repaired
 * by parse.ts (balanced delimiters) the grammar accepts every input, so these only appear when
 * the parser is driven directly.
 */
export const readerErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => unexpected(actual, tokenLabel(expected)),
  buildNotAllInputParsedMessage: ({ firstRedundant }) =>
    formatMessage("unexpected_closer", { found: describe(firstRedundant) }),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual }) =>
    unexpected(actual[0], expectedList(expectedPathsPerAlt.flat())),
  buildEarlyExitMessage: ({ expectedIterationPaths, actual }) =>
    unexpected(actual[0], expectedList(expectedIterationPaths)),
};

/** Every form is labelled "form" in the grammar (its railroad diagrams show where forms go). */
const FORM = { LABEL: "form" } as const;

/**
 * The PTC-Lisp reader grammar, with embedded actions that hand what each rule read to a
 * FormBuilder (build-forms.ts), which builds the forms and checks them; the rules hold no other
 * semantics. Measured on a 200-line program, going from tokens to forms this way instead of
 * through a CST and a visitor takes ~40% less time and under half the allocation.
 *
 * Departures from a literal transcription of grammar/ptc-lisp.ebnf, for the reader's sake rather
 * than the language's:
 * - `form` is not a rule of its own but a cached list of alternatives inlined where a form may
 *   appear, each labelled "form". A wrapper rule per form would double the rule invocations of
 *   every program.
 * - Prefix rules (quote, deref, var_quote, with_meta, discard) take their form with OPTION: a
 *   missing form is then reported by the builder at the prefix (missing_form) instead of as a
 *   parser error at whatever token follows.
 * - A form may also be a PreReadForm token, which the lexer never produces (see parse.ts).
 *
 * Actions run only outside Chevrotain's recording phase (`RECORDING_PHASE`, as ACTION does),
 * without a closure per action.
 */
export class ReaderGrammar extends EmbeddedActionsParser {
  /** The builder of the run under way (see `read`). */
  private builder = new FormBuilder();

  constructor() {
    super(allTokens as TokenType[], {
      recoveryEnabled: true,
      maxLookahead: 1,
      errorMessageProvider: readerErrorMessages,
      skipValidations: isProduction(),
    });
    this.performSelfAnalysis();
  }

  /**
   * Reads `tokens` into forms built by `builder`, which keeps the forms' faults (its `report`);
   * the parser's own errors are left in `errors`.
   */
  read(tokens: IToken[], builder: FormBuilder): Form[] {
    this.builder = builder;
    this.input = tokens;
    return builder.program(this.program());
  }

  // form ::= list | vector | map | set | fn_literal | quote | deref | var_quote | with_meta | atom
  // atom ::= nil | true | false | number | symbolic_value | string | character | keyword | symbol | regex
  // `occurrence` tells apart the two forms of with_meta (Chevrotain's numbered DSL methods).
  private formAlternatives(occurrence: number): IOrAlt<Form | undefined>[] {
    return [
      { ALT: () => this.atom(this.consume(occurrence, SymbolToken, FORM)) },
      { ALT: () => this.subrule(occurrence, this.list, FORM) },
      { ALT: () => this.atom(this.consume(occurrence, Keyword, FORM)) },
      { ALT: () => this.atom(this.consume(occurrence, NumberLiteral, FORM)) },
      { ALT: () => this.atom(this.consume(occurrence, StringLiteral, FORM)) },
      { ALT: () => this.subrule(occurrence, this.vector, FORM) },
      { ALT: () => this.subrule(occurrence, this.map, FORM) },
      { ALT: () => this.atom(this.consume(occurrence, Nil, FORM)) },
      { ALT: () => this.atom(this.consume(occurrence, True, FORM)) },
      { ALT: () => this.atom(this.consume(occurrence, False, FORM)) },
      { ALT: () => this.subrule(occurrence, this.fnLiteral, FORM) },
      { ALT: () => this.subrule(occurrence, this.set, FORM) },
      { ALT: () => this.subrule(occurrence, this.quote, FORM) },
      { ALT: () => this.subrule(occurrence, this.deref, FORM) },
      { ALT: () => this.subrule(occurrence, this.varQuote, FORM) },
      { ALT: () => this.subrule(occurrence, this.withMeta, FORM) },
      { ALT: () => this.atom(this.consume(occurrence, CharLiteral, FORM)) },
      { ALT: () => this.atom(this.consume(occurrence, Regex, FORM)) },
      { ALT: () => this.atom(this.consume(occurrence, SymbolicValue, FORM)) },
      { ALT: () => this.atom(this.consume(occurrence, PreReadForm, FORM)) },
    ];
  }
  // Alternatives are built once, not per call (Chevrotain's performance advice).
  private readonly formAlternatives0 = this.formAlternatives(0);
  private readonly formAlternatives1 = this.formAlternatives(1);
  private readonly formAlternatives2 = this.formAlternatives(2);

  // element ::= form | discard
  private readonly elementAlternatives: IOrAlt<Form | undefined>[] = [
    { ALT: () => this.subrule(0, this.discard) },
    ...this.formAlternatives0,
  ];
  // DSL actions are built once too, not per rule invocation.
  private readonly element = (): void => this.add(this.or(0, this.elementAlternatives));
  private readonly discarded0 = (): void => this.discarded(0);
  private readonly discarded1 = (): void => this.discarded(1);
  private readonly discarded2 = (): void => this.discarded(2);
  private readonly optionalForm0 = (): Form | null => this.formOf(this.or(0, this.formAlternatives0));
  private readonly optionalForm1 = (): Form | null => this.formOf(this.or(1, this.formAlternatives1));
  private readonly optionalForm2 = (): Form | null => this.formOf(this.or(2, this.formAlternatives2));

  // program ::= element*
  program = this.RULE("program", (): number => {
    const depth = this.open();
    this.MANY(this.element);
    return depth;
  });

  // discard ::= '#_' discard* form
  discard = this.RULE("discard", (): undefined => {
    const prefix = this.CONSUME(Discard);
    const depth = this.open();
    this.MANY(this.discarded0);
    const form = this.OPTION(this.optionalForm0);
    if (!this.RECORDING_PHASE) this.builder.discard(prefix, depth, form !== undefined);
    return undefined;
  });

  // list ::= '(' element* ')'
  list = this.RULE("list", (): Form | undefined => {
    const open = this.CONSUME(LParen);
    const depth = this.open();
    this.MANY(this.element);
    const close = this.CONSUME(RParen);
    return this.RECORDING_PHASE ? undefined : this.builder.list(open, depth, close);
  });

  // vector ::= '[' element* ']'
  vector = this.RULE("vector", (): Form | undefined => {
    const open = this.CONSUME(LBracket);
    const depth = this.open();
    this.MANY(this.element);
    const close = this.CONSUME(RBracket);
    return this.RECORDING_PHASE ? undefined : this.builder.vector(open, depth, close);
  });

  // map ::= '{' element* '}'
  map = this.RULE("map", (): Form | undefined => {
    const open = this.CONSUME(LBrace);
    const depth = this.open();
    this.MANY(this.element);
    const close = this.CONSUME(RBrace);
    return this.RECORDING_PHASE ? undefined : this.builder.map(open, depth, close);
  });

  // set ::= '#{' element* '}'
  set = this.RULE("set", (): Form | undefined => {
    const open = this.CONSUME(SetOpen);
    const depth = this.open();
    this.MANY(this.element);
    const close = this.CONSUME(RBrace);
    return this.RECORDING_PHASE ? undefined : this.builder.set(open, depth, close);
  });

  // fn_literal ::= '#(' element* ')'
  fnLiteral = this.RULE("fnLiteral", (): Form | undefined => {
    const open = this.CONSUME(FnOpen);
    const nested = !this.RECORDING_PHASE && this.builder.openFnLiteral();
    const depth = this.open();
    this.MANY(this.element);
    const close = this.CONSUME(RParen);
    return this.RECORDING_PHASE ? undefined : this.builder.fnLiteral(open, depth, close, nested);
  });

  // quote ::= "'" discard* form
  quote = this.RULE("quote", (): Form | undefined => this.sugar(Quote, "quote"));

  // deref ::= '@' discard* form
  deref = this.RULE("deref", (): Form | undefined => this.sugar(Deref, "deref"));

  // var_quote ::= "#'" discard* form
  varQuote = this.RULE("varQuote", (): Form | undefined => this.sugar(VarQuote, "var"));

  // with_meta ::= '^' discard* form discard* form
  withMeta = this.RULE("withMeta", (): Form | undefined => {
    const prefix = this.CONSUME(Meta);
    const depth = this.open();
    this.MANY1(this.discarded1);
    const meta = this.OPTION1(this.optionalForm1);
    this.MANY2(this.discarded2);
    const target = this.OPTION2(this.optionalForm2);
    return this.RECORDING_PHASE ? undefined : this.builder.withMeta(prefix, depth, meta, target);
  });

  /** The body of quote, deref and var_quote: prefix discard* form. */
  private sugar(prefixType: TokenType, name: "quote" | "deref" | "var"): Form | undefined {
    const prefix = this.CONSUME(prefixType);
    const depth = this.open();
    this.MANY(this.discarded0);
    const form = this.OPTION(this.optionalForm0);
    return this.RECORDING_PHASE ? undefined : this.builder.sugar(prefix, depth, form !== undefined, name);
  }

  private discarded(occurrence: number): void {
    this.subrule(occurrence, this.discard);
    this.add(undefined);
  }

  /** A prefix's form: null when present but read as nothing (OPTION gives undefined when absent). */
  private formOf(form: Form | undefined): Form | null {
    this.add(form);
    return form ?? null;
  }

  private atom(token: IToken): Form | undefined {
    return this.RECORDING_PHASE ? undefined : atom(token);
  }

  private open(): number {
    return this.RECORDING_PHASE ? 0 : this.builder.open();
  }

  private add(form: Form | undefined): void {
    if (!this.RECORDING_PHASE) this.builder.add(form);
  }
}

let instance: ReaderGrammar | undefined;

/**
 * The one parser instance, reset per parse by assigning `.input`. Built on first use: its
 * self-analysis is most of what loading the reader would otherwise cost every import.
 */
export function readerGrammar(): ReaderGrammar {
  instance ??= new ReaderGrammar();
  return instance;
}
