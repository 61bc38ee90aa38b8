import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  parseSignature,
  renderSignature,
  renderType,
  type Signature,
  SignatureError,
  signatureFromZod,
  signatureToZod,
  toJSONSchema,
  typeFromJSONSchema,
  typeFromZod,
  typeToZod,
  validate,
} from "../../../src/index.js";

function parsed(text: string): Signature {
  const result = parseSignature(text);
  if (!result.ok) throw new Error(`${text}: ${result.diagnostics[0]?.message}`);
  return result.signature;
}

/** Types that survive signature → zod → signature and signature → JSON Schema → signature unchanged. */
const LOSSLESS = [
  ":string",
  ":int",
  ":float",
  ":bool",
  ":any",
  ":nil",
  "[:int]",
  "[[:string]]",
  "{id :int, title :string}",
  "{id :int, note :string?}",
  '{id :int "the id", tags [:string] "labels"}',
  '"open" | "closed"',
  "3 | 4",
  ":int | :string",
  "{:string :int}",
  "{id :int, :any :float}",
  "[{id :int}]?",
  "{user {id :int, emails [:string]}, items [{sku :string, qty :int, price :float}], next :string?}",
];

describe("zod interop", () => {
  it("round-trips the lossless corpus through zod", () => {
    for (const text of LOSSLESS) {
      const type = parsed(text).output;
      expect(renderType(typeFromZod(typeToZod(type)))).toBe(text);
    }
  });

  it("documents the losses: number, keyword, sets, program-only types, int keys", () => {
    const cases: [string, string][] = [
      [":number", ":float"],
      [":keyword", ":string"],
      ["#{:int}", "[:int]"],
      [":fn", ":any"],
      ["{:int :string}", "{:string :string}"],
      [":map", "{:string :any}"],
      [":int | :nil", ":int?"],
    ];
    for (const [text, back] of cases) expect(renderType(typeFromZod(typeToZod(parsed(text).output)))).toBe(back);
  });

  it("reads zod schemas: objects, wrappers, enums, records, catch-alls, descriptions", () => {
    const schema = z.object({
      id: z.number().int(),
      name: z.string().describe("full name"),
      email: z.email().optional(),
      role: z.enum(["admin", "user"]),
      score: z.number().default(0),
      meta: z.record(z.string(), z.boolean()),
      extra: z.looseObject({ a: z.string() }),
      strict: z.strictObject({ b: z.null() }),
      pair: z.tuple([z.string(), z.number()]),
      at: z.date().nullable(),
      parsed: z.string().transform((text) => text.length),
    });
    expect(renderSignature(signatureFromZod(schema))).toBe(
      '{id :int, name :string "full name", email :string?, role "admin" | "user", score :float, meta {:string :bool}, extra {a :string, :any :any}, strict {b :nil}, pair [:string | :float], at :string?, parsed :string}',
    );
  });

  it("builds signatures with parameters from an input object schema", () => {
    const signature = signatureFromZod({
      input: z.object({ query: z.string(), limit: z.int().optional() }),
      output: z.array(z.object({ id: z.int() })),
    });
    expect(renderSignature(signature)).toBe("(query :string, limit :int?) -> [{id :int}]");
    expect(() => signatureFromZod({ input: z.string(), output: z.string() })).toThrow(SignatureError);
  });

  it("produces zod schemas that accept and reject the same values as validate", () => {
    const text = '{id :int, tags [:string], status "a" | "b", note :string?}';
    const schema = signatureToZod(text);
    const good = { id: 1, tags: ["x"], status: "a" };
    const bad = { id: 1.5, tags: ["x"], status: "c" };
    expect(schema.safeParse(good).success).toBe(true);
    expect(validate(text, good).ok).toBe(true);
    expect(schema.safeParse(bad).success).toBe(false);
    expect(validate(text, bad).ok).toBe(false);
  });

  it("gives the input object of a signature", () => {
    const input = signatureToZod("(q :string, n :int?) -> :any", { part: "input" });
    expect(input.safeParse({ q: "x" }).success).toBe(true);
    expect(input.safeParse({ n: 1 }).success).toBe(false);
    expect(() => signatureToZod("{a :int}", { part: "input" })).toThrow(SignatureError);
  });
});

describe("JSON Schema", () => {
  it("maps records, optional fields, enums and descriptions", () => {
    expect(toJSONSchema('{id :int "the id", tags [:string], status "a" | "b", note :string?}')).toEqual({
      type: "object",
      properties: {
        id: { type: "integer", description: "the id" },
        tags: { type: "array", items: { type: "string" } },
        status: { enum: ["a", "b"] },
        // Optional: absent or null, as validate accepts.
        note: { anyOf: [{ type: "string" }, { type: "null" }] },
      },
      required: ["id", "tags", "status"],
      additionalProperties: false,
    });
  });

  it("has a structured-outputs mode: every property required, optional ones nullable", () => {
    expect(toJSONSchema("{a :int, b :string?}", { structuredOutputs: true })).toEqual({
      type: "object",
      properties: { a: { type: "integer" }, b: { anyOf: [{ type: "string" }, { type: "null" }] } },
      required: ["a", "b"],
      additionalProperties: false,
    });
  });

  it("hides firewalled fields for models and types dynamic keys", () => {
    expect(toJSONSchema("{id :int, _secret :string}", { forModel: true })).toEqual({
      type: "object",
      properties: { id: { type: "integer" } },
      required: ["id"],
      additionalProperties: false,
    });
    expect(toJSONSchema("{:int #{:string}}")).toEqual({
      type: "object",
      properties: {},
      additionalProperties: { type: "array", items: { type: "string" }, uniqueItems: true },
      propertyNames: { pattern: "^-?\\d+$" },
    });
  });

  it("gives the input object of a signature", () => {
    expect(toJSONSchema("(q :string) -> :any", { part: "input" })).toEqual({
      type: "object",
      properties: { q: { type: "string" } },
      required: ["q"],
      additionalProperties: false,
    });
  });

  it("round-trips the lossless corpus, and sets and int keys, through JSON Schema", () => {
    for (const text of [...LOSSLESS, "#{:int}", "{:int :string}"]) {
      expect(renderType(typeFromJSONSchema(toJSONSchema(text)))).toBe(text);
    }
    expect(renderType(typeFromJSONSchema(toJSONSchema(":keyword")))).toBe(":string");
    expect(renderType(typeFromJSONSchema({ type: ["string", "null"] }))).toBe(":string?");
    expect(renderType(typeFromJSONSchema({ oneOf: [{ $ref: "#/x" }, { type: "integer" }] }))).toBe(":any | :int");
  });
});

describe("toJSONSchema agrees with validate on optional fields", () => {
  it("accepts null wherever validate does", () => {
    const signature = "{id :int, note :string?}";
    expect(validate(signature, { id: 1, note: null }).ok).toBe(true);
    const schema = toJSONSchema(signature) as { properties: Record<string, { anyOf?: unknown[] }> };
    expect(schema.properties["note"]?.anyOf).toContainEqual({ type: "null" });
  });
});
