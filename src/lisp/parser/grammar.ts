import { formatMessage } from "../../errors/codes.js";
import { isProduction } from "../../internal/env.js";
import {
  CstParser,
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

/** Every form (token or rule node) is stored under this one label, so the CST keeps source order. */
const FORM = { LABEL: "form" } as const;

/**
 * The PTC-Lisp reader grammar: structure only, no semantics (cst-to-ast.ts builds forms).
 *
 * Departures from a literal transcription of grammar/ptc-lisp.ebnf, for the reader's sake rather
 * than the language's:
 * - `form` is not a rule of its own but a cached list of alternatives inlined where a form may
 *   appear, each labelled "form". A wrapper rule per form would double the rule invocations and
 *   CST nodes of every program; with the label, a collection's forms sit in one array in order.
 * - Prefix rules (quote, deref, var_quote, with_meta, discard) take their form with OPTION: a
 *   missing form is then reported by the visitor at the prefix (missing_form) instead of as a
 *   parser error at whatever token follows.
 * - A form may also be a PreReadForm token, which the lexer never produces (see parse.ts).
 *
 * CST nodes carry no locations (nodeLocationTracking "none"): spans are built from the tokens.
 */
export class ReaderGrammar extends CstParser {
  constructor() {
    super(allTokens as TokenType[], {
      recoveryEnabled: true,
      maxLookahead: 1,
      errorMessageProvider: readerErrorMessages,
      skipValidations: isProduction(),
    });
    this.performSelfAnalysis();
  }

  // form ::= list | vector | map | set | fn_literal | quote | deref | var_quote | with_meta | atom
  // atom ::= nil | true | false | number | symbolic_value | string | character | keyword | symbol | regex
  // `occurrence` tells apart the two forms of with_meta (Chevrotain's numbered DSL methods).
  private formAlternatives(occurrence: number): IOrAlt<unknown>[] {
    return [
      { ALT: () => this.consume(occurrence, SymbolToken, FORM) },
      { ALT: () => this.subrule(occurrence, this.list, FORM) },
      { ALT: () => this.consume(occurrence, Keyword, FORM) },
      { ALT: () => this.consume(occurrence, NumberLiteral, FORM) },
      { ALT: () => this.consume(occurrence, StringLiteral, FORM) },
      { ALT: () => this.subrule(occurrence, this.vector, FORM) },
      { ALT: () => this.subrule(occurrence, this.map, FORM) },
      { ALT: () => this.consume(occurrence, Nil, FORM) },
      { ALT: () => this.consume(occurrence, True, FORM) },
      { ALT: () => this.consume(occurrence, False, FORM) },
      { ALT: () => this.subrule(occurrence, this.fnLiteral, FORM) },
      { ALT: () => this.subrule(occurrence, this.set, FORM) },
      { ALT: () => this.subrule(occurrence, this.quote, FORM) },
      { ALT: () => this.subrule(occurrence, this.deref, FORM) },
      { ALT: () => this.subrule(occurrence, this.varQuote, FORM) },
      { ALT: () => this.subrule(occurrence, this.withMeta, FORM) },
      { ALT: () => this.consume(occurrence, CharLiteral, FORM) },
      { ALT: () => this.consume(occurrence, Regex, FORM) },
      { ALT: () => this.consume(occurrence, SymbolicValue, FORM) },
      { ALT: () => this.consume(occurrence, PreReadForm, FORM) },
    ];
  }
  // Alternatives and DSL actions are built once, not per call (Chevrotain's performance advice).
  private readonly formAlternatives0 = this.formAlternatives(0);
  private readonly formAlternatives1 = this.formAlternatives(1);
  private readonly formAlternatives2 = this.formAlternatives(2);
  private readonly form0 = (): void => this.or(0, this.formAlternatives0);
  private readonly form1 = (): void => this.or(1, this.formAlternatives1);
  private readonly form2 = (): void => this.or(2, this.formAlternatives2);
  private readonly discard0 = (): void => {
    this.subrule(0, this.discard);
  };

  // element ::= form | discard
  private readonly elementAlternatives: IOrAlt<unknown>[] = [
    { ALT: () => this.subrule(0, this.discard) },
    ...this.formAlternatives0,
  ];
  private readonly element = (): void => this.or(0, this.elementAlternatives);

  // program ::= element*
  program = this.RULE("program", () => {
    this.MANY(this.element);
  });

  // discard ::= '#_' discard* form
  discard = this.RULE("discard", () => {
    this.CONSUME(Discard);
    this.MANY(this.discard0);
    this.OPTION(this.form0);
  });

  // list ::= '(' element* ')'
  list = this.RULE("list", () => {
    this.CONSUME(LParen);
    this.MANY(this.element);
    this.CONSUME(RParen);
  });

  // vector ::= '[' element* ']'
  vector = this.RULE("vector", () => {
    this.CONSUME(LBracket);
    this.MANY(this.element);
    this.CONSUME(RBracket);
  });

  // map ::= '{' element* '}'
  map = this.RULE("map", () => {
    this.CONSUME(LBrace);
    this.MANY(this.element);
    this.CONSUME(RBrace);
  });

  // set ::= '#{' element* '}'
  set = this.RULE("set", () => {
    this.CONSUME(SetOpen);
    this.MANY(this.element);
    this.CONSUME(RBrace);
  });

  // fn_literal ::= '#(' element* ')'
  fnLiteral = this.RULE("fnLiteral", () => {
    this.CONSUME(FnOpen);
    this.MANY(this.element);
    this.CONSUME(RParen);
  });

  // quote ::= "'" discard* form
  quote = this.RULE("quote", () => {
    this.CONSUME(Quote);
    this.MANY(this.discard0);
    this.OPTION(this.form0);
  });

  // deref ::= '@' discard* form
  deref = this.RULE("deref", () => {
    this.CONSUME(Deref);
    this.MANY(this.discard0);
    this.OPTION(this.form0);
  });

  // var_quote ::= "#'" discard* form
  varQuote = this.RULE("varQuote", () => {
    this.CONSUME(VarQuote);
    this.MANY(this.discard0);
    this.OPTION(this.form0);
  });

  // with_meta ::= '^' discard* form discard* form
  withMeta = this.RULE("withMeta", () => {
    this.CONSUME(Meta);
    this.MANY1(() => this.SUBRULE1(this.discard));
    this.OPTION1(this.form1);
    this.MANY2(() => this.SUBRULE2(this.discard));
    this.OPTION2(this.form2);
  });
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
