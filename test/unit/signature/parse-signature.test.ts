import { describe, expect, it } from "vitest";
import { parseSignature, parseType, renderSignature, renderType, type Signature } from "../../../src/index.js";
import { BUILTINS } from "../../../src/lisp/builtins/registry.js";
import { parseInput } from "../../../src/signature/parse-signature.js";
import { inputType } from "../../../src/signature/types.js";

function parsed(text: string): Signature {
  const result = parseSignature(text);
  if (!result.ok) throw new Error(`${text}: ${result.diagnostics[0]?.message}`);
  return result.signature;
}

function failure(text: string) {
  const result = parseSignature(text);
  if (result.ok) throw new Error(`${text} parsed`);
  expect(result.diagnostics).toHaveLength(1);
  return result.diagnostics[0] as NonNullable<(typeof result.diagnostics)[0]>;
}

describe("parseSignature", () => {
  it("reads PtcRunner's syntax: parameters, output, lists, records, optional types", () => {
    const signature = parsed("(query :string, limit :int?) -> {items [{id :int, title :string}], total :int}");
    expect(signature.params).toEqual([
      { name: "query", type: { kind: "primitive", name: "string" } },
      { name: "limit", type: { kind: "optional", type: { kind: "primitive", name: "int" } } },
    ]);
    expect(signature.output).toEqual({
      kind: "record",
      fields: [
        {
          name: "items",
          type: {
            kind: "list",
            element: {
              kind: "record",
              fields: [
                { name: "id", type: { kind: "primitive", name: "int" } },
                { name: "title", type: { kind: "primitive", name: "string" } },
              ],
            },
          },
        },
        { name: "total", type: { kind: "primitive", name: "int" } },
      ],
    });
  });

  it("reads the output-only shorthand and the primitive names", () => {
    expect(parsed("{count :int}").params).toBeNull();
    for (const name of [
      "string",
      "int",
      "float",
      "bool",
      "keyword",
      "any",
      "map",
      "nil",
      "number",
      "fn",
      "regex",
      "atom",
    ]) {
      expect(parsed(`:${name}`).output).toEqual({ kind: "primitive", name });
    }
    expect(parsed("() -> :nil")).toEqual({ params: [], output: { kind: "primitive", name: "nil" } });
  });

  it("reads the extensions: enums and unions, typed keys, descriptions, sets, open parameter lists", () => {
    const signature = parsed(
      '(q :string "search text", ...) -> {status "open" | "closed" "the status", tags #{:string}, counts {:string :int}, "first name" :string?}',
    );
    expect(signature.open).toBe(true);
    expect(signature.params?.[0]).toEqual({
      name: "q",
      type: { kind: "primitive", name: "string" },
      description: "search text",
    });
    const output = signature.output;
    if (output.kind !== "record") throw new Error("record expected");
    expect(output.fields[0]).toEqual({
      name: "status",
      type: {
        kind: "union",
        members: [
          { kind: "literal", value: "open" },
          { kind: "literal", value: "closed" },
        ],
      },
      description: "the status",
    });
    expect(output.fields[1]?.type).toEqual({ kind: "set", element: { kind: "primitive", name: "string" } });
    expect(output.fields[2]?.type).toEqual({
      kind: "record",
      fields: [],
      rest: { key: { kind: "primitive", name: "string" }, value: { kind: "primitive", name: "int" } },
    });
    expect(output.fields[3]?.name).toBe("first name");
  });

  it("groups with parentheses and keeps literal numbers and booleans", () => {
    expect(parsed("(:int | :string)?").output).toEqual({
      kind: "optional",
      type: {
        kind: "union",
        members: [
          { kind: "primitive", name: "int" },
          { kind: "primitive", name: "string" },
        ],
      },
    });
    expect(parsed("1 | 2.5 | -3 | true").output).toEqual({
      kind: "union",
      members: [
        { kind: "literal", value: 1 },
        { kind: "literal", value: 2.5 },
        { kind: "literal", value: -3 },
        { kind: "literal", value: true },
      ],
    });
  });

  it("reads rest parameters in both builtin spellings", () => {
    expect(parsed("(f :fn, colls [:any]...) -> [:any]").params?.[1]).toMatchObject({ name: "colls", rest: true });
    expect(parsed("(x :number, & more :number) -> :number").params?.[1]).toMatchObject({ name: "more", rest: true });
  });

  it("parses every builtin's signature text", () => {
    const failures = [...BUILTINS.values()].filter((builtin) => !parseSignature(builtin.spec.signature).ok);
    expect(failures.map((builtin) => builtin.name)).toEqual([]);
  });

  it("rejects unknown types with a position and a hint", () => {
    const list = failure("(items :list) -> :int");
    expect(list).toMatchObject({ code: "parse_error", phase: "parse", message: "signature: unknown type :list" });
    expect(list.span).toEqual({ start: 7, end: 12, line: 1, column: 8 });
    expect(list.hint).toBe("use [:any], or [T] for a list of T");
    expect(failure(":integer").hint).toBe("use :int");
    expect(failure(":boolean").hint).toBe("use :bool");
    expect(failure("{a :object}").hint).toMatch(/:map/);
  });

  it("explains the common syntax mistakes", () => {
    expect(failure("invalid syntax")).toMatchObject({ message: "signature: unexpected invalid; expected a type" });
    expect(failure("{a: :int}").hint).toMatch(/no colon after the name/);
    expect(failure("-> :int").hint).toMatch(/\(\) -> T/);
    expect(failure("(a :int) :int")).toMatchObject({ message: "signature: unexpected :int; expected ->" });
    expect(failure("string").hint).toBe("types start with a colon: :string");
    expect(failure("[]").hint).toBe("use [:any]");
    expect(failure("{a :int").message).toBe("signature: unexpected end of signature; expected }");
    expect(failure("{a :int, a :string}").message).toBe("signature: duplicate field a");
    expect(failure("(a :int, a :int) -> :int").message).toBe("signature: duplicate parameter a");
    expect(failure('{a "unterminated}').message).toBe("signature: string is not terminated");
    expect(failure("{a :int, :string :int, :keyword :int}").message).toMatch(/only one key type/);
  });

  it("locates errors on later lines", () => {
    const diagnostic = failure("(a :int,\n b :lst) -> :int");
    expect(diagnostic.span).toMatchObject({ line: 2, column: 4 });
  });
});

describe("renderSignature", () => {
  const texts = [
    "(query :string, limit :int?) -> {items [{id :int, title :string}], total :int}",
    "{count :int}",
    '{status "open" | "closed" "the status", "first name" :string, :string :int}',
    "(q :string, ...) -> (:int | :string)?",
    "(set #{:any}, & sets #{:any}) -> #{:any}",
    "() -> [[:float]]",
    '{a {("x" | "y") :int}}',
  ];

  it("prints the parsed structure back as the same text", () => {
    for (const text of texts) expect(renderSignature(parsed(text))).toBe(text);
  });

  it("hides firewalled fields and parameters from model-facing text only", () => {
    const signature = parsed(
      "(_tenant :string, q :string) -> {id :int, _cost :float, items [{_raw :any, name :string}]}",
    );
    expect(renderSignature(signature, { forModel: true })).toBe("(q :string) -> {id :int, items [{name :string}]}");
    expect(renderSignature(signature)).toBe(
      "(_tenant :string, q :string) -> {id :int, _cost :float, items [{_raw :any, name :string}]}",
    );
  });

  it("can leave out descriptions", () => {
    expect(renderSignature(parsed('{a :int "an a"}'), { descriptions: false })).toBe("{a :int}");
  });

  it("renders types and quotes names that are not identifiers", () => {
    const type = parseType('{"a b" :int, "true" :bool}');
    if (!type.ok) throw new Error("parse");
    expect(renderType(type.type)).toBe('{"a b" :int, true :bool}');
    expect(renderSignature(parsed('("true" :int) -> :int'))).toBe('("true" :int) -> :int');
  });
});

describe("tool inputs", () => {
  it("accept a parameter list or a record, giving the record of arguments", () => {
    const list = parseInput("(query :string, limit :int?)");
    const record = parseInput("{query :string, limit :int?}");
    expect(list.ok && record.ok && list.type).toEqual(record.ok && record.type);
    expect(inputType(parsed("(query :string, limit :int?) -> :any"))).toEqual(record.ok && record.type);
  });

  it("reject other types", () => {
    const result = parseInput("[:int]");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]?.message).toMatch(/parameter list .* or a record/);
  });
});
