import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  arbitrary,
  coerce,
  type Field,
  type Param,
  parseSignature,
  renderSignature,
  renderType,
  type Signature,
  signatureToZod,
  type Type,
  toJSONSchema,
  typeFromJSONSchema,
  validate,
} from "../../src/index.js";

/** Names: identifiers, Lisp-style names, and anything else (printed quoted). */
const name = fc.oneof(
  fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}[?!]?$/),
  fc.constantFrom("true", "false", "...", "->", "&", "", "a b", '"q"', "é", "_secret"),
  fc.string({ maxLength: 6 }),
);
const description = fc.option(fc.string({ maxLength: 12 }), { nil: undefined });
const literal = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
);

const JSON_PRIMITIVES = ["string", "int", "float", "number", "bool", "keyword", "any", "map", "nil"] as const;
const ALL_PRIMITIVES = [...JSON_PRIMITIVES, "fn", "regex", "atom"] as const;

function withDescription<T extends object>(base: T, text: string | undefined): T {
  return text === undefined ? base : { ...base, description: text };
}

/** Types in the signature language; `json` leaves out the program-only primitives. */
function typeArbitrary(json: boolean): fc.Arbitrary<Type> {
  const primitives = json ? JSON_PRIMITIVES : ALL_PRIMITIVES;
  const keyType = fc.oneof(
    fc.constantFrom<Type>(
      { kind: "primitive", name: "string" },
      { kind: "primitive", name: "keyword" },
      { kind: "primitive", name: "int" },
      { kind: "primitive", name: "any" },
    ),
    fc
      .uniqueArray(fc.string({ maxLength: 4 }), { minLength: 2, maxLength: 3 })
      .map((values): Type => ({ kind: "union", members: values.map((value) => ({ kind: "literal", value })) })),
  );
  const { type } = fc.letrec<{ type: Type }>((tie) => ({
    type: fc.oneof(
      { maxDepth: 3, depthIdentifier: "type" },
      fc.constantFrom(...primitives).map((primitive): Type => ({ kind: "primitive", name: primitive })),
      literal.map((value): Type => ({ kind: "literal", value })),
      tie("type").map((element): Type => ({ kind: "list", element })),
      tie("type").map((element): Type => ({ kind: "set", element })),
      tie("type").map((inner): Type => ({ kind: "optional", type: inner })),
      fc.array(tie("type"), { minLength: 2, maxLength: 3 }).map((members): Type => ({ kind: "union", members })),
      fc
        .record({
          fields: fc.uniqueArray(fc.tuple(name, tie("type"), description), {
            maxLength: 4,
            selector: ([field]) => field,
          }),
          rest: fc.option(fc.record({ key: keyType, value: tie("type") }), { nil: undefined }),
        })
        .map(({ fields, rest }): Type => {
          const list: Field[] = fields.map(([field, fieldType, text]) =>
            withDescription({ name: field, type: fieldType }, text),
          );
          return rest === undefined ? { kind: "record", fields: list } : { kind: "record", fields: list, rest };
        }),
    ),
  }));
  return type;
}

const signatureArbitrary: fc.Arbitrary<Signature> = fc.oneof(
  typeArbitrary(false).map((output): Signature => ({ params: null, output })),
  fc
    .record({
      params: fc.uniqueArray(fc.tuple(name, typeArbitrary(false), description, fc.boolean()), {
        maxLength: 4,
        selector: ([param]) => param,
      }),
      open: fc.boolean(),
      output: typeArbitrary(false),
    })
    .map(({ params, open, output }): Signature => {
      const list: Param[] = params.map(([param, type, text, rest]) =>
        withDescription(rest ? { name: param, type, rest: true } : { name: param, type }, text),
      );
      return open ? { params: list, open: true, output } : { params: list, output };
    }),
);

describe("signatures (property)", () => {
  it("printing a parsed signature and parsing it again is the identity", () => {
    fc.assert(
      fc.property(signatureArbitrary, (signature) => {
        const text = renderSignature(signature);
        const parsed = parseSignature(text);
        if (!parsed.ok) throw new Error(`${text}: ${parsed.diagnostics[0]?.message}`);
        expect(parsed.signature).toEqual(signature);
        expect(renderSignature(parsed.signature)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("parsing arbitrary text never throws, and what parses prints back to itself", () => {
    const tokens = fc.constantFrom(
      "(",
      ")",
      "[",
      "]",
      "{",
      "}",
      "#{",
      "->",
      "|",
      "?",
      "&",
      "...",
      ",",
      " ",
      ":int",
      ":string",
      "a",
      '"s"',
      "1",
      ":lst",
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(tokens, { maxLength: 14 }).map((parts) => parts.join("")),
        ),
        (text) => {
          const parsed = parseSignature(text);
          if (!parsed.ok) {
            expect(parsed.diagnostics[0]?.code).toBe("parse_error");
            return;
          }
          const again = parseSignature(renderSignature(parsed.signature));
          expect(again.ok && again.signature).toEqual(parsed.signature);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("every value arbitrary() generates validates (strict), and zod accepts it too", () => {
    fc.assert(
      fc.property(
        typeArbitrary(true).chain((type) => fc.tuple(fc.constant(type), arbitrary(type))),
        ([type, value]) => {
          const result = validate(type, value, { mode: "strict" });
          if (!result.ok)
            throw new Error(`${renderType(type)}: ${JSON.stringify(value)}: ${result.errors[0]?.message}`);
          expect(signatureToZod(type).safeParse(value).success).toBe(true);
          const coerced = coerce(type, value);
          expect(coerced.errors).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("validate never throws, whatever the value", () => {
    fc.assert(
      fc.property(typeArbitrary(false), fc.jsonValue(), (type, value) => {
        const result = validate(type, value);
        expect(result.ok).toBe(result.errors.length === 0);
        for (const error of result.errors) expect(error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it("JSON Schema keeps records, lists, unions of literals and optional fields", () => {
    fc.assert(
      fc.property(typeArbitrary(true), (type) => {
        const back = typeFromJSONSchema(toJSONSchema(type));
        // The schema accepts what the type accepts: every generated value validates against the type read back.
        fc.assert(
          fc.property(arbitrary(type), (value) => validate(back, value, { mode: "lenient" }).ok),
          { numRuns: 10 },
        );
      }),
      { numRuns: 100 },
    );
  });
});
