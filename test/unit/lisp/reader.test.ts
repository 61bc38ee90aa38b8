import { Lexer, type TokenType } from "chevrotain";
import { describe, expect, it } from "vitest";
import { formatMessage, MESSAGES, type MessageId } from "../../../src/errors/codes.js";
import type { Diagnostic } from "../../../src/errors/diagnostic.js";
import type { SourceSpan } from "../../../src/errors/span.js";
import type { Form } from "../../../src/lisp/ast/nodes.js";
import { tokenize } from "../../../src/lisp/lexer/lexer.js";
import { allTokens } from "../../../src/lisp/lexer/tokens.js";
import { readerGrammar } from "../../../src/lisp/parser/grammar.js";
import { parse } from "../../../src/lisp/parser/parse.js";
import { printForm } from "../../../src/lisp/printer/print-form.js";

/** The only form of a valid source. */
function read(source: string): Form {
  const { forms, diagnostics } = parse(source);
  expect(diagnostics).toEqual([]);
  expect(forms).toHaveLength(1);
  return forms[0] as Form;
}

/** A valid source's forms, printed. */
function reprint(source: string): string {
  const { forms, diagnostics } = parse(source);
  expect(diagnostics).toEqual([]);
  return forms.map(printForm).join(" ");
}

/** A form without spans, for structural comparison. */
function shape(form: Form): unknown {
  const { span: _span, ...rest } = form;
  switch (form.kind) {
    case "list":
    case "vector":
    case "map":
    case "set":
      return { ...rest, items: form.items.map(shape) };
    case "fn-literal":
      return { kind: form.kind, body: shape(form.body) };
    default:
      return rest;
  }
}

type Expected = [id: MessageId, params: Record<string, string | number>, at?: [start: number, end: number]];

/** Asserts a source's diagnostics, in order: catalog message, code, phase and (optionally) span offsets. */
function expectErrors(source: string, ...expected: Expected[]): Diagnostic[] {
  const { diagnostics } = parse(source);
  expect(diagnostics.map((diagnostic) => diagnostic.message)).toEqual(
    expected.map(([id, params]) => formatMessage(id, params)),
  );
  expected.forEach(([id, , at], index) => {
    const diagnostic = diagnostics[index] as Diagnostic;
    expect(diagnostic.code).toBe(MESSAGES[id].code);
    expect(diagnostic.phase).toBe(MESSAGES[id].phase);
    if (at !== undefined) expect([diagnostic.span?.start, diagnostic.span?.end]).toEqual(at);
  });
  return diagnostics;
}

function span(start: number, end: number, line: number, column: number): SourceSpan {
  return { start, end, line, column };
}

describe("lexer", () => {
  it("builds with Chevrotain's first-char optimizations", () => {
    expect(() => new Lexer(allTokens as TokenType[], { ensureOptimizations: true })).not.toThrow();
  });

  it("skips whitespace, commas and comments, and attaches decoded payloads", () => {
    const { tokens, diagnostics } = tokenize('#!/usr/bin/env ptc\n, ; note\n(f 1/2 "a\\tb" \\space)');
    expect(diagnostics).toEqual([]);
    expect(tokens.map((token) => [token.tokenType.name, token.image, token.payload])).toEqual([
      ["LParen", "(", undefined],
      ["Symbol", "f", undefined],
      ["NumberLiteral", "1/2", 0.5],
      ["StringLiteral", '"a\\tb"', "a\tb"],
      ["CharLiteral", "\\space", " "],
      ["RParen", ")", undefined],
    ]);
    expect(tokens[0]?.startLine).toBe(3);
  });

  it("drops unsupported reader macros after reporting them", () => {
    const { tokens, diagnostics } = tokenize("`(a ~b ~@c)");
    expect(tokens.map((token) => token.image)).toEqual(["(", "a", "b", "c", ")"]);
    expect(diagnostics.map((diagnostic) => diagnostic.message)).toEqual(
      ["`", "~", "~@"].map((text) => formatMessage("unsupported_reader_macro", { text })),
    );
  });

  it("reports characters no token can start with", () => {
    expect(tokenize("a \u0001\u0002 b").diagnostics).toEqual([
      {
        code: "parse_error",
        phase: "lex",
        message: formatMessage("unexpected_character", { text: '"\\u0001\\u0002"' }),
        span: span(2, 4, 1, 3),
      },
    ]);
  });
});

describe("atoms", () => {
  it.each([
    ["nil", { kind: "nil" }],
    ["true", { kind: "boolean", value: true }],
    ["false", { kind: "boolean", value: false }],
    ["nil?", { kind: "symbol", ns: null, name: "nil?" }],
    ["true-ish", { kind: "symbol", ns: null, name: "true-ish" }],
    ["falsey", { kind: "symbol", ns: null, name: "falsey" }],
    ["nil/x", { kind: "symbol", ns: "nil", name: "x" }],
  ])("%s", (source, expected) => {
    expect(shape(read(source))).toEqual(expected);
  });

  it.each([
    ["42", 42],
    ["-5", -5],
    ["+5", 5],
    ["0", 0],
    ["-0", -0],
    ["0x1F", 31],
    ["-0X1f", -31],
    ["017", 15],
    ["00", 0],
    ["3.14", 3.14],
    ["-0.5", -0.5],
    ["1.", 1],
    ["1e10", 1e10],
    ["1.5E-3", 1.5e-3],
    ["2e+2", 200],
    ["42N", 42],
    ["3.2M", 3.2],
    ["7M", 7],
    ["1/2", 0.5],
    ["-3/4", -0.75],
    ["2r1010", 10],
    ["36rZZ", 1295],
    ["16rff", 255],
    ["-8r17", -15],
    ["##Inf", Number.POSITIVE_INFINITY],
    ["##-Inf", Number.NEGATIVE_INFINITY],
    ["##NaN", Number.NaN],
    ["9007199254740993", 9007199254740992],
  ])("number %s", (source, value) => {
    const form = read(source);
    expect(form.kind).toBe("number");
    expect(Object.is(form.kind === "number" ? form.value : undefined, value)).toBe(true);
  });

  it.each([
    ['""', ""],
    ['"plain"', "plain"],
    ['"a\\nb\\tc\\rd\\be\\ff"', "a\nb\tc\rd\be\ff"],
    ['"q\\"q\\\\"', 'q"q\\'],
    ['"\\u00e9\\u20AC"', "é€"],
    ['"\\uD83D\\uDE00"', "😀"],
    ['"\\101\\0\\12\\377"', "A\0\n\u00ff"],
    ['"\\1234"', "S4"],
    ['"multi\nline"', "multi\nline"],
    ['"😀 ü"', "😀 ü"],
  ])("string %s", (source, value) => {
    expect(shape(read(source))).toEqual({ kind: "string", value });
  });

  it.each([
    ["\\a", "a"],
    ["\\Z", "Z"],
    ["\\newline", "\n"],
    ["\\space", " "],
    ["\\tab", "\t"],
    ["\\return", "\r"],
    ["\\backspace", "\b"],
    ["\\formfeed", "\f"],
    ["\\u00e9", "é"],
    ["\\u", "u"],
    ["\\o101", "A"],
    ["\\o", "o"],
    ["\\\\", "\\"],
    ["\\(", "("],
    ['\\"', '"'],
    ["\\,", ","],
    ["\\😀", "😀"],
  ])("character %s", (source, value) => {
    expect(shape(read(source))).toEqual({ kind: "char", value });
  });

  it("ends a character literal at a delimiter", () => {
    expect(reprint("(\\a)[\\b]")).toBe("(\\a) [\\b]");
  });

  it.each([
    [":a", null, "a"],
    [":a/b", "a", "b"],
    [":a.b/c", "a.b", "c"],
    [":a-b?", null, "a-b?"],
    ["::a", null, "a"],
    ["::a/b", "a", "b"],
    [":1", null, "1"],
    [":/", null, "/"],
    [":a:b", null, "a:b"],
  ])("keyword %s", (source, ns, name) => {
    expect(shape(read(source))).toEqual({ kind: "keyword", ns, name });
  });

  it.each([
    ["x", null, "x"],
    ["foo-bar?", null, "foo-bar?"],
    ["*ns*", null, "*ns*"],
    ["->>", null, "->>"],
    ["<=", null, "<="],
    ["not=", null, "not="],
    ["a'", null, "a'"],
    ["x#", null, "x#"],
    ["$|&", null, "$|&"],
    ["%", null, "%"],
    ["%1", null, "%1"],
    ["%&", null, "%&"],
    ["-", null, "-"],
    ["+", null, "+"],
    ["-x", null, "-x"],
    ["+a1", null, "+a1"],
    ["/", null, "/"],
    [".method", null, ".method"],
    [".-field", null, ".-field"],
    ["..", null, ".."],
    ["a:b", null, "a:b"],
    ["ünïcödé", null, "ünïcödé"],
    ["clojure.string/join", "clojure.string", "join"],
    ["data/x", "data", "x"],
    ["tool/get-users", "tool", "get-users"],
    ["js/process", "js", "process"],
    ["Math/sqrt", "Math", "sqrt"],
    ["Double/POSITIVE_INFINITY", "Double", "POSITIVE_INFINITY"],
    ["clojure.core//", "clojure.core", "/"],
  ])("symbol %s", (source, ns, name) => {
    expect(shape(read(source))).toEqual({ kind: "symbol", ns, name });
  });

  it.each([
    ['#"a\\d+"', "a\\d+"],
    ['#"a\\"b"', 'a\\"b'],
    ['#""', ""],
    ['#"\\\\"', "\\\\"],
    ['#"line\nbreak"', "line\nbreak"],
  ])("regex %s keeps its text as written", (source, pattern) => {
    expect(shape(read(source))).toEqual({ kind: "regex", pattern });
  });

  it("gives each atom its span", () => {
    const { forms } = parse('a\n  :b/c "x\ny" 12\n\\z');
    expect(forms.map((form) => form.span)).toEqual([
      span(0, 1, 1, 1),
      span(4, 8, 2, 3),
      span(9, 14, 2, 8),
      span(15, 17, 3, 4),
      span(18, 20, 4, 1),
    ]);
  });
});

describe("collections and reader sugar", () => {
  it("reads lists, vectors, maps, sets and fn literals with opener-to-closer spans", () => {
    const { forms, diagnostics } = parse("(f [1 2]\n {:a #{x}} #(g %))");
    expect(diagnostics).toEqual([]);
    const list = forms[0];
    if (list?.kind !== "list") throw new Error("expected a list");
    expect(list.span).toEqual(span(0, 27, 1, 1));
    const [head, vector, map, fn] = list.items;
    expect(head?.span).toEqual(span(1, 2, 1, 2));
    expect(vector?.span).toEqual(span(3, 8, 1, 4));
    expect(map?.span).toEqual(span(10, 19, 2, 2));
    if (map?.kind !== "map") throw new Error("expected a map");
    expect(map.items[1]?.span).toEqual(span(14, 18, 2, 6));
    expect(fn?.span).toEqual(span(20, 26, 2, 12));
    if (fn?.kind !== "fn-literal") throw new Error("expected an fn literal");
    expect(fn.body.span).toEqual(span(21, 26, 2, 13));
    expect(shape(fn)).toEqual({
      kind: "fn-literal",
      body: {
        kind: "list",
        items: [
          { kind: "symbol", ns: null, name: "g" },
          { kind: "symbol", ns: null, name: "%" },
        ],
      },
    });
  });

  it.each([
    ["()", "()"],
    ["[]", "[]"],
    ["{}", "{}"],
    ["#{}", "#{}"],
    ["#()", "#()"],
    ["(a,b,,c)", "(a b c)"],
    ["[1 [2 [3]]]", "[1 [2 [3]]]"],
    ["{:a 1, :b [2]}", "{:a 1 :b [2]}"],
    ["#{1 2 3}", "#{1 2 3}"],
    ["(map #(* % %) xs)", "(map #(* % %) xs)"],
  ])("%s", (source, expected) => {
    expect(reprint(source)).toBe(expected);
  });

  it.each([
    ["'x", "quote"],
    ["@x", "deref"],
    ["#'x", "var"],
  ] as const)("%s expands to a list with sugar %s", (source, name) => {
    const form = read(source);
    expect(shape(form)).toEqual({
      kind: "list",
      sugar: name,
      items: [
        { kind: "symbol", ns: null, name },
        { kind: "symbol", ns: null, name: "x" },
      ],
    });
    expect(form.span).toEqual(span(0, source.length, 1, 1));
    if (form.kind === "list") expect(form.items[0]?.span).toEqual(span(0, source.length - 1, 1, 1));
  });

  it.each([
    ["'(1 2)", "'(1 2)"],
    ["''x", "''x"],
    ["@(atom 1)", "@(atom 1)"],
    ["(quote x)", "(quote x)"],
    ["' x", "'x"],
    ["'#_ a b", "'b"],
    ["[@a 'b #'c]", "[@a 'b #'c]"],
  ])("%s", (source, expected) => {
    expect(reprint(source)).toBe(expected);
  });

  it.each([
    ["#_ a b", "b"],
    ["#_ #_ a b c", "c"],
    ["[1 #_ 2 3]", "[1 3]"],
    ["[1 #_(2 3)]", "[1]"],
    ["#_ [1 2]", ""],
    ["{:a 1 #_ :b}", "{:a 1}"],
    ["(a #_ #_ #_ 1 2 3 4)", "(a 4)"],
  ])("discard %s", (source, expected) => {
    expect(reprint(source)).toBe(expected);
  });

  it.each([
    ["^:private x", "x"],
    ['^{:doc "d"} (defn f [])', "(defn f [])"],
    ["^String s", "s"],
    ['^"doc" x', "x"],
    ["(defn ^:private ^long f [])", "(defn f [])"],
    ["^:a #_ skipped x", "x"],
  ])("metadata %s is read and dropped", (source, expected) => {
    expect(reprint(source)).toBe(expected);
  });

  it("reads nothing from blank sources", () => {
    for (const source of ["", "   ", ",,,", "; only a comment", "#!shebang", "#_ x"]) {
      expect(parse(source)).toEqual({ forms: [], diagnostics: [] });
    }
  });

  it("reads several top-level forms", () => {
    expect(reprint("(def a 1)\n(def b 2) ; trailing\n:done")).toBe("(def a 1) (def b 2) :done");
  });
});

describe("delimiter errors", () => {
  it("reports an unclosed opener at the opener, with its position", () => {
    expectErrors("(defn f [x]\n  (+ x 1)", ["unclosed_delimiter", { open: "(", line: 1, column: 1 }, [0, 1]]);
  });

  it("reports every unclosed opener", () => {
    expectErrors(
      "(a\n [b {",
      ["unclosed_delimiter", { open: "(", line: 1, column: 1 }, [0, 1]],
      ["unclosed_delimiter", { open: "[", line: 2, column: 2 }, [4, 5]],
      ["unclosed_delimiter", { open: "{", line: 2, column: 5 }, [7, 8]],
    );
  });

  it("still reads the forms of an unclosed source, up to its end", () => {
    const { forms } = parse("(a [b");
    expect(forms.map(printForm)).toEqual(["(a [b])"]);
    expect(forms[0]?.span).toEqual(span(0, 5, 1, 1));
  });

  it("reports a wrong closer at the closer, naming the opener, and reads on", () => {
    expectErrors("(let [x 1) x)", ["mismatched_delimiter", { found: ")", open: "[", line: 1, column: 6 }, [9, 10]]);
    expect(parse("(let [x 1) x)").forms.map(printForm)).toEqual(["(let [x 1] x)"]);
    expectErrors("#{1 2)", ["mismatched_delimiter", { found: ")", open: "#{", line: 1, column: 1 }, [5, 6]]);
    expectErrors("#(a]", ["mismatched_delimiter", { found: "]", open: "#(", line: 1, column: 1 }, [3, 4]]);
  });

  it("reports a closer with nothing to close", () => {
    expectErrors("a)", ["unexpected_closer", { found: ")" }, [1, 2]]);
    expectErrors(
      "(a)) ]",
      ["unexpected_closer", { found: ")" }, [3, 4]],
      ["unexpected_closer", { found: "]" }, [5, 6]],
    );
    expect(parse("(a)) b").forms.map(printForm)).toEqual(["(a)", "b"]);
  });

  it("reports a missing closer before a later mismatch", () => {
    expectErrors(
      "(a\n  (b]\n",
      ["unclosed_delimiter", { open: "(", line: 1, column: 1 }],
      ["mismatched_delimiter", { found: "]", open: "(", line: 2, column: 3 }],
    );
  });
});

describe("form errors", () => {
  it.each([
    ["{:a}", [0, 4]],
    ["{:a 1 :b}", [0, 9]],
  ] as const)("odd map %s", (source, at) => {
    expectErrors(source, ["odd_map_literal", {}, [...at]]);
  });

  it("reports duplicate map keys and set elements at the duplicate", () => {
    expectErrors("{:a 1 :a 2}", ["duplicate_key", { key: ":a", kind: "map" }, [6, 8]]);
    expectErrors("{[1 2] 1, [1 2] 2}", ["duplicate_key", { key: "[1 2]", kind: "map" }, [10, 15]]);
    expectErrors(
      '{"k" 1 "k" 2 "k" 3}',
      ["duplicate_key", { key: '"k"', kind: "map" }],
      ["duplicate_key", { key: '"k"', kind: "map" }],
    );
    expectErrors("#{1 2 1}", ["duplicate_key", { key: "1", kind: "set" }, [6, 7]]);
    expectErrors("#{1 1.0}", ["duplicate_key", { key: "1", kind: "set" }]);
    expect(parse("{:a :a :b :a}").diagnostics).toEqual([]);
    expect(parse("#{:a :b 'a}").diagnostics).toEqual([]);
  });

  it("reports nested fn literals, even across nesting", () => {
    expectErrors("#(map #(inc %) %)", ["nested_fn_literal", {}, [6, 14]]);
    expectErrors("#(a [b {:c #(d)}])", ["nested_fn_literal", {}, [11, 15]]);
    expect(parse("[#(a) #(b)]").diagnostics).toEqual([]);
  });

  it("reports faults inside discarded forms, as Clojure reads them", () => {
    expectErrors("#_ {:a 1 :a 2} x", ["duplicate_key", { key: ":a", kind: "map" }]);
    expectErrors("#(#_ #(x))", ["nested_fn_literal", {}]);
  });

  it.each([
    ["'", "'", [0, 1]],
    ["(')", "'", [1, 2]],
    ["[@]", "@", [1, 2]],
    ["#'", "#'", [0, 2]],
    ["#_", "#_", [0, 2]],
    ["[1 #_]", "#_", [3, 5]],
    ["^:a", "^", [0, 1]],
    ["('#_ x)", "'", [1, 2]],
  ] as const)("a prefix without a form: %s", (source, prefix, at) => {
    expectErrors(source, ["missing_form", { prefix }, [...at]]);
  });

  it("requires a symbol after #'", () => {
    expectErrors("#'123", ["var_needs_symbol", { found: "number" }, [2, 5]]);
    expectErrors("#'(f)", ["var_needs_symbol", { found: "list" }, [2, 5]]);
  });

  it("requires symbol, keyword, string or map metadata", () => {
    expectErrors("^1 x", ["invalid_metadata", { found: "number" }, [1, 2]]);
    expectErrors("^[a] x", ["invalid_metadata", { found: "vector" }, [1, 4]]);
  });
});

describe("lexical errors", () => {
  it.each(["1abc", "1.2.3", "09", "1/0", "2r12", "37r1", "0x", "0xG", "1.5N", "1e", "-1-"])(
    "invalid number %s",
    (text) => {
      expectErrors(`(f ${text})`, ["invalid_number", { text }, [3, 3 + text.length]]);
    },
  );

  it.each(["\\abc", "\\", "\\uD800", "\\u12", "\\o400", "\\o8", "\\newlines", "\\\ud800"])(
    "invalid character %s",
    (text) => {
      expectErrors(`${text} `, ["invalid_character_literal", { text }, [0, text.length]]);
    },
  );

  it("reports a lone backslash before whitespace", () => {
    expectErrors("[\\ ]", ["invalid_character_literal", { text: "\\" }, [1, 2]]);
  });

  it.each([":", "a/", "/a", "a/1", "a::b", "a:", "a/b/c", ":a:", ":::a", "::", "//"])("invalid token %s", (text) => {
    expectErrors(text, ["invalid_token", { text }, [0, text.length]]);
  });

  it("reports an unknown symbolic value", () => {
    expectErrors("##Foo", ["unknown_symbolic_value", { text: "##Foo" }, [0, 5]]);
  });

  it("reports each invalid escape with its own span", () => {
    expectErrors(
      '"a\\qb\\u12x"',
      ["invalid_escape", { text: "\\q" }, [2, 4]],
      ["invalid_escape", { text: "\\u12" }, [5, 9]],
    );
    expectErrors('"\\400"', ["invalid_escape", { text: "\\400" }, [1, 5]]);
    expectErrors('"\\8"', ["invalid_escape", { text: "\\8" }, [1, 3]]);
    expectErrors('"\\😀"', ["invalid_escape", { text: "\\😀" }, [1, 4]]);
  });

  it("locates an invalid escape after line breaks inside the string", () => {
    const [diagnostic] = expectErrors('\n "one\r\ntwo\n  \\x"', ["invalid_escape", { text: "\\x" }]);
    expect(diagnostic?.span).toEqual(span(14, 16, 4, 3));
  });

  it("reports unterminated strings and regexes at their opening quote", () => {
    expectErrors(
      '(println "hi)',
      ["unclosed_delimiter", { open: "(", line: 1, column: 1 }],
      ["unterminated_string", {}, [9, 10]],
    );
    expectErrors('"abc\\', ["unterminated_string", {}, [0, 1]]);
    expectErrors('#"a+', ["unterminated_regex", {}, [0, 2]]);
  });

  it.each([
    ["`x", "`", "x"],
    ["~x", "~", "x"],
    ["~@xs", "~@", "xs"],
    ["#?(:clj 1 :cljs 2)", "#?", "(:clj 1 :cljs 2)"],
    ["#?@(:clj [1])", "#?@", "(:clj [1])"],
    ['#inst "2020"', "#inst", '"2020"'],
    ["#uuid x", "#uuid", "x"],
    ["#:ns{:a 1}", "#:ns", "{:a 1}"],
    ["#=(+ 1 2)", "#=", "(+ 1 2)"],
    ["# x", "#", "x"],
  ])("unsupported reader macro %s", (source, text, rest) => {
    const { forms } = parse(source);
    expectErrors(source, ["unsupported_reader_macro", { text }, [0, text.length]]);
    expect(forms.map(printForm).join(" ")).toBe(rest);
  });

  it("reports every fault of a source, in source order", () => {
    const diagnostics = expectErrors(
      '(f 1abc\n  {:a} "x\\q" #\'2',
      ["unclosed_delimiter", { open: "(", line: 1, column: 1 }],
      ["invalid_number", { text: "1abc" }],
      ["odd_map_literal", {}],
      ["invalid_escape", { text: "\\q" }],
      ["var_needs_symbol", { found: "number" }],
    );
    expect(diagnostics.map((diagnostic) => diagnostic.phase)).toEqual(["parse", "lex", "parse", "lex", "parse"]);
  });
});

describe("nesting limit", () => {
  const nested = (depth: number): string => `${"[".repeat(depth)}x${"]".repeat(depth)}`;

  it("reads 1000 nested collections (the default limit)", () => {
    const { forms, diagnostics } = parse(nested(1000));
    expect(diagnostics).toEqual([]);
    let form = forms[0];
    let depth = 0;
    while (form?.kind === "vector") {
      form = form.items[0];
      depth++;
    }
    expect(depth).toBe(1000);
    expect(form).toEqual({ kind: "symbol", ns: null, name: "x", span: span(1000, 1001, 1, 1001) });
  });

  it("reads deep sources in chunks with the same forms and faults", () => {
    const source = `${"(a ".repeat(400)}#(b [c #(d)]) {:k 1 :k 2}${")".repeat(400)}`;
    expect(parse(source).forms.map(printForm)).toEqual([source]);
    expectErrors(
      source,
      ["nested_fn_literal", {}, [1207, 1211]],
      ["duplicate_key", { key: ":k", kind: "map" }, [1220, 1222]],
    );
    const quoted = `${"'".repeat(999)}x`;
    expect(parse(quoted).forms.map(printForm)).toEqual([quoted]);
    const mixed = `${"#(".repeat(1)}${"[@".repeat(400)}#_ (#(z)) y${"]".repeat(400)})`;
    expectErrors(mixed, ["nested_fn_literal", {}]);
    const unbalanced = `${"{:a ".repeat(300)}(]`;
    const { diagnostics } = parse(unbalanced);
    // 301 faults: the first 100 are kept, then one diagnostic counts the rest.
    expect(diagnostics).toHaveLength(101);
    expect(diagnostics[100]).toMatchObject({ code: "limit_exceeded", limit: "diagnostics" });
    expect(diagnostics[100]?.message).toContain("301 in all");
  });

  it("returns one limit diagnostic beyond maxDepth, without recursing", () => {
    for (const source of [
      "[".repeat(100_000),
      "'".repeat(100_000),
      "#_ ".repeat(100_000),
      "^a ".repeat(100_000),
      nested(1001),
    ]) {
      const { forms, diagnostics } = parse(source);
      expect(forms).toEqual([]);
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({
        code: "limit_exceeded",
        phase: "parse",
        limit: "depth",
        message: formatMessage("nesting_too_deep", { max: 1000 }),
      });
    }
  });

  it("honours the maxDepth option", () => {
    expect(parse("[[x]]", { maxDepth: 2 }).diagnostics).toEqual([]);
    expect(parse("[[x]]", { maxDepth: 1 }).diagnostics[0]?.span).toEqual(span(1, 2, 1, 2));
    expect(parse("''x", { maxDepth: 1 }).diagnostics).toHaveLength(1);
    expect(parse(nested(5000), { maxDepth: 10_000 }).diagnostics).toEqual([]);
  });
});

describe("parser error messages", () => {
  const run = (source: string): string[] => {
    readerGrammar().input = tokenize(source).tokens;
    readerGrammar().program();
    return readerGrammar().errors.map((error) => error.message);
  };

  it("word the parser's own errors from the catalog (seen only on unrepaired input)", () => {
    expect(run("(a")).toEqual([formatMessage("unexpected_end", { expected: "')'" })]);
    expect(run("a ]")).toEqual([formatMessage("unexpected_closer", { found: "]" })]);
    expect(run("(a ]")[0]).toBe(formatMessage("unexpected_token", { found: "]", expected: "')'" }));
  });

  it("is not reached through parse, which repairs delimiters first", () => {
    parse("(a ] ) ) [");
    expect(readerGrammar().errors).toEqual([]);
  });
});

describe("printForm", () => {
  const at = span(0, 0, 1, 1);
  it.each<[Form, string]>([
    [{ kind: "number", value: -0, span: at }, "-0.0"],
    [{ kind: "number", value: Number.NaN, span: at }, "##NaN"],
    [{ kind: "number", value: Number.NEGATIVE_INFINITY, span: at }, "##-Inf"],
    [{ kind: "number", value: 1e21, span: at }, "1e+21"],
    [{ kind: "number", value: 5e-7, span: at }, "5e-7"],
    [
      { kind: "string", value: 'a"b\\c\n\t\r\b\f\u0000\u007f\ud800😀', span: at },
      '"a\\"b\\\\c\\n\\t\\r\\b\\f\\u0000\\u007f\\ud800😀"',
    ],
    [{ kind: "char", value: "\n", span: at }, "\\newline"],
    [{ kind: "char", value: "\u00a0", span: at }, "\\u00a0"],
    [{ kind: "char", value: "\u0001", span: at }, "\\u0001"],
    [{ kind: "char", value: "(", span: at }, "\\("],
    [{ kind: "keyword", ns: "a.b", name: "c", span: at }, ":a.b/c"],
    [{ kind: "regex", pattern: "\\d+", span: at }, '#"\\d+"'],
    [
      {
        kind: "list",
        sugar: "quote",
        items: [
          { kind: "symbol", ns: null, name: "quote", span: at },
          { kind: "nil", span: at },
        ],
        span: at,
      },
      "'nil",
    ],
    [
      {
        kind: "list",
        sugar: "deref",
        items: [{ kind: "symbol", ns: null, name: "quote", span: at }],
        span: at,
      },
      "(quote)",
    ],
  ])("%j prints as %s", (form, text) => {
    expect(printForm(form)).toBe(text);
  });

  it("reads back what it printed", () => {
    const source =
      '(defn f [x & more] (let [{:keys [a]} x] #(str a "\\n" \\space %1 \'q @r #\'s #{1 2} ##NaN -0.0 #"\\s")))';
    const forms = parse(source).forms;
    const again = parse(forms.map(printForm).join(" "));
    expect(again.diagnostics).toEqual([]);
    expect(again.forms.map(shape)).toEqual(forms.map(shape));
  });
});
