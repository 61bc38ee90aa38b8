import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SourceSpan } from "../../src/errors/span.js";
import type { Form, ListForm } from "../../src/lisp/ast/nodes.js";
import { readerGrammar } from "../../src/lisp/parser/grammar.js";
import { parse } from "../../src/lisp/parser/parse.js";
import { printForm } from "../../src/lisp/printer/print-form.js";

const SPAN: SourceSpan = { start: 0, end: 0, line: 1, column: 1 };

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const codePoint = fc.string({ unit: "binary", minLength: 1, maxLength: 1 });

/** Pieces of PTC-Lisp (and of what is not), so random text often has structure. */
const fragment = fc.constantFrom(
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "#{",
  "#(",
  "#_",
  "#'",
  "'",
  "@",
  "^",
  "`",
  "~",
  "~@",
  "#?",
  "#:a",
  "#",
  "##Inf",
  "##x",
  '"',
  '\\"',
  "\\",
  "\\n",
  "\\u00",
  "\\o7",
  ";",
  "\n",
  "\r\n",
  " ",
  ",",
  "a",
  "b/c",
  "x.y/z",
  "/",
  ":k",
  "::k",
  ":",
  "1",
  "-2",
  "1.5",
  "1/2",
  "1/0",
  "0x1F",
  "2r101",
  "09",
  "1abc",
  'a"b',
  '#"',
  "nil",
  "true",
  "%",
  "%1",
  "\u0000",
);
const sourceText = fc.string({ unit: fc.oneof(fragment, codePoint, loneSurrogate), maxLength: 40 });

function expectWithin(span: SourceSpan | undefined, length: number): void {
  expect(span).toBeDefined();
  if (span === undefined) return;
  expect(span.start).toBeGreaterThanOrEqual(0);
  expect(span.end).toBeGreaterThanOrEqual(span.start);
  expect(span.end).toBeLessThanOrEqual(length);
  expect(span.line).toBeGreaterThanOrEqual(1);
  expect(span.column).toBeGreaterThanOrEqual(1);
}

describe("parse on arbitrary text", () => {
  it("never throws, and every diagnostic is located data", () => {
    fc.assert(
      fc.property(fc.oneof(sourceText, fc.string({ unit: fc.oneof(codePoint, loneSurrogate) })), (source) => {
        const { forms, diagnostics } = parse(source);
        for (const diagnostic of diagnostics) {
          expect(diagnostic.code).toMatch(/^[a-z_]+$/);
          expect(["lex", "parse"]).toContain(diagnostic.phase);
          expect(diagnostic.message.length).toBeGreaterThan(0);
          expectWithin(diagnostic.span, source.length);
        }
        for (const form of forms) expectWithin(form.span, source.length);
      }),
      { numRuns: 2000 },
    );
  });

  it("never needs the parser's own error recovery (the pre-pass balances delimiters)", () => {
    fc.assert(
      fc.property(sourceText, (source) => {
        parse(source);
        expect(readerGrammar().errors).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it("reads back its own printing of any valid source", () => {
    fc.assert(
      fc.property(sourceText, (source) => {
        const first = parse(source);
        fc.pre(first.diagnostics.length === 0);
        const printed = first.forms.map(printForm).join(" ");
        const second = parse(printed);
        expect(second.diagnostics).toEqual([]);
        expect(second.forms.map(printForm).join(" ")).toBe(printed);
      }),
      { numRuns: 1000 },
    );
  });
});

const nameStart = fc.constantFrom(..."abcxyzABZ*!_?<>=$&|.+-üλ");
const nameRest = fc.string({ unit: fc.constantFrom(..."abz09-_?!*<>=.'#%:"), maxLength: 6 });
const name = fc
  .tuple(nameStart, nameRest)
  .map(([first, rest]) => first + rest)
  .filter((text) => !/^[+-]\d/.test(text) && !/:$/.test(text) && !text.includes("::"));
const plainName = name.filter((text) => text !== "nil" && text !== "true" && text !== "false");
const namespace = fc.array(name, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("."));
const qualified = fc.oneof(
  plainName.map((text) => ({ ns: null, name: text })),
  fc.tuple(namespace, name).map(([ns, text]) => ({ ns, name: text })),
  fc.constant({ ns: null, name: "/" }),
  namespace.map((ns) => ({ ns, name: "/" })),
);
const symbol = qualified.map((parts): Form => ({ kind: "symbol", ...parts, span: SPAN }));
const keyword = qualified.map((parts): Form => ({ kind: "keyword", ...parts, span: SPAN }));

const regexPattern = fc
  .array(
    fc.oneof(
      codePoint.filter((char) => char !== '"' && char !== "\\"),
      codePoint.map((char) => `\\${char}`),
    ),
    {
      maxLength: 8,
    },
  )
  .map((pieces) => pieces.join(""));

const atom: fc.Arbitrary<Form> = fc.oneof(
  fc.constant<Form>({ kind: "nil", span: SPAN }),
  fc.boolean().map((value): Form => ({ kind: "boolean", value, span: SPAN })),
  fc.oneof(fc.double(), fc.integer()).map((value): Form => ({ kind: "number", value, span: SPAN })),
  fc
    .string({ unit: fc.oneof(codePoint, loneSurrogate, fc.constantFrom('"', "\\", "\n", "\t", "\b", "\u007f")) })
    .map((value): Form => ({ kind: "string", value, span: SPAN })),
  fc
    .oneof(codePoint, fc.constantFrom("\n", " ", "\t", "\r", "\b", "\f", "(", "\\", '"', ",", ";", "u", "o", "#"))
    .map((value): Form => ({ kind: "char", value, span: SPAN })),
  keyword,
  symbol,
  regexPattern.map((pattern): Form => ({ kind: "regex", pattern, span: SPAN })),
);

const list = (items: Form[]): ListForm => ({ kind: "list", items, span: SPAN });

const { form: anyForm } = fc.letrec<{ form: Form }>((tie) => ({
  form: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    atom,
    fc.array(tie("form"), { maxLength: 4 }).map(list),
    fc.array(tie("form"), { maxLength: 4 }).map((items): Form => ({ kind: "vector", items, span: SPAN })),
    fc
      .uniqueArray(fc.tuple(tie("form"), tie("form")), { selector: ([key]) => printForm(key), maxLength: 3 })
      .map((entries): Form => ({ kind: "map", items: entries.flat(), span: SPAN })),
    fc
      .uniqueArray(tie("form"), { selector: printForm, maxLength: 4 })
      .map((items): Form => ({ kind: "set", items, span: SPAN })),
    fc
      .array(tie("form"), { maxLength: 3 })
      .map((items): Form => ({ kind: "fn-literal", body: list(items), span: SPAN })),
    fc.tuple(fc.constantFrom("quote" as const, "deref" as const), tie("form")).map(
      ([sugar, argument]): Form => ({
        ...list([{ kind: "symbol", ns: null, name: sugar, span: SPAN }, argument]),
        sugar,
      }),
    ),
    symbol.map(
      (argument): Form => ({
        ...list([{ kind: "symbol", ns: null, name: "var", span: SPAN }, argument]),
        sugar: "var",
      }),
    ),
  ),
}));

/** The reader rejects `#()` inside `#()`. */
function nestsFnLiterals(form: Form, inside = false): boolean {
  switch (form.kind) {
    case "fn-literal":
      return inside || form.body.items.some((item) => nestsFnLiterals(item, true));
    case "list":
    case "vector":
    case "map":
    case "set":
      return form.items.some((item) => nestsFnLiterals(item, inside));
    default:
      return false;
  }
}

/** A form as plain data without spans; -0 kept apart from 0. */
function shape(form: Form): unknown {
  switch (form.kind) {
    case "number":
      return { kind: "number", value: Object.is(form.value, -0) ? "-0" : form.value };
    case "list":
      return { kind: "list", sugar: form.sugar ?? null, items: form.items.map(shape) };
    case "vector":
    case "map":
    case "set":
      return { kind: form.kind, items: form.items.map(shape) };
    case "fn-literal":
      return { kind: "fn-literal", body: form.body.items.map(shape) };
    default: {
      const { span: _span, ...rest } = form;
      return rest;
    }
  }
}

describe("printForm then parse", () => {
  it("reads every printable form back as an equal form", () => {
    fc.assert(
      fc.property(
        anyForm.filter((form) => !nestsFnLiterals(form)),
        (form) => {
          const source = printForm(form);
          const { forms, diagnostics } = parse(source);
          expect(diagnostics).toEqual([]);
          expect(forms.map(shape)).toEqual([shape(form)]);
          for (const read of forms) expect(read.span).toMatchObject({ start: 0, end: source.length });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
