import { z } from "zod";
import { makeDiagnostic, SignatureError } from "../errors/errors.js";
import { resolveTarget, type SignatureLike } from "./check-value.js";
import { toSignature } from "./parse-signature.js";
import {
  ANY,
  acceptsNil,
  type Field,
  inputType,
  isSignature,
  type Param,
  primitive,
  type RecordType,
  type Signature,
  type Type,
} from "./types.js";

/**
 * Conversions between signatures and zod (v4) schemas.
 *
 * Signature → zod → signature gives back the same signature except where zod has no
 * counterpart (docs/signatures.md, "Interop"): `:number` comes back as `:float`, `:keyword` as
 * `:string`, `#{T}` as `[T]`, `:fn`/`:regex`/`:atom` as `:any`, `:int` map keys as `:string`
 * keys, `T??` as `T?`. Zod → signature keeps objects, arrays, unions, enums, literals,
 * optional/nullable fields, records, catch-alls and descriptions; checks other than
 * integer-ness (lengths, ranges, formats, refinements) and transforms are dropped.
 */

interface ZodDef {
  readonly type: string;
  readonly [key: string]: unknown;
}

function defOf(schema: z.ZodType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}

const INT_FORMATS = new Set(["safeint", "int32", "uint32", "int64", "uint64"]);

function isInt(def: ZodDef): boolean {
  if (typeof def["format"] === "string" && INT_FORMATS.has(def["format"])) return true;
  const checks = def["checks"];
  if (!Array.isArray(checks)) return false;
  return checks.some((check) => {
    const format = (check as { _zod?: { def?: { format?: unknown } } })._zod?.def?.format;
    return typeof format === "string" && INT_FORMATS.has(format);
  });
}

const WRAPPERS = new Set([
  "optional",
  "nullable",
  "default",
  "prefault",
  "catch",
  "readonly",
  "nonoptional",
  "success",
]);

/** The description of a schema or, through optional/nullable/default wrappers, of the schema it wraps. */
function descriptionOf(schema: z.ZodType): string | undefined {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current !== undefined && depth < 16; depth++) {
    if (current.description !== undefined) return current.description;
    const def = defOf(current);
    current = WRAPPERS.has(def.type) ? (def["innerType"] as z.ZodType) : undefined;
  }
  return undefined;
}

function literalType(value: unknown): Type {
  if (typeof value === "string" || typeof value === "boolean") return { kind: "literal", value };
  if (typeof value === "number" && Number.isFinite(value)) return { kind: "literal", value };
  if (value === null || value === undefined) return primitive("nil");
  return ANY;
}

function unionOf(types: Type[]): Type {
  if (types.length === 0) return ANY;
  if (types.length === 1) return types[0] as Type;
  return { kind: "union", members: types };
}

class FromZod {
  private depth = 0;

  type(schema: z.ZodType): Type {
    if (this.depth > 64) return ANY;
    this.depth++;
    try {
      return this.convert(schema);
    } finally {
      this.depth--;
    }
  }

  private convert(schema: z.ZodType): Type {
    const def = defOf(schema);
    switch (def.type) {
      case "string":
      case "template_literal":
      case "date":
        return primitive("string");
      case "number":
        return primitive(isInt(def) ? "int" : "float");
      case "bigint":
        return primitive("int");
      case "nan":
        return primitive("float");
      case "boolean":
        return primitive("bool");
      case "null":
      case "undefined":
      case "void":
        return primitive("nil");
      case "literal":
        return unionOf((def["values"] as unknown[]).map(literalType));
      case "enum":
        return unionOf(Object.values(def["entries"] as Record<string, unknown>).map(literalType));
      case "array":
        return { kind: "list", element: this.type(def["element"] as z.ZodType) };
      case "set":
        return { kind: "set", element: this.type(def["valueType"] as z.ZodType) };
      case "tuple": {
        const items = (def["items"] as z.ZodType[]).map((item) => this.type(item));
        const rest = def["rest"] as z.ZodType | null | undefined;
        if (rest) items.push(this.type(rest));
        return { kind: "list", element: unionOf(dedupe(items)) };
      }
      case "object":
        return this.object(def);
      case "record":
        return {
          kind: "record",
          fields: [],
          rest: { key: this.type(def["keyType"] as z.ZodType), value: this.type(def["valueType"] as z.ZodType) },
        };
      case "union": {
        const options = (def["options"] as z.ZodType[]).map((option) => this.type(option));
        const nil = options.filter((option) => option.kind === "primitive" && option.name === "nil");
        const others = options.filter((option) => !(option.kind === "primitive" && option.name === "nil"));
        if (nil.length > 0 && others.length > 0) return optional(unionOf(others));
        return unionOf(options);
      }
      case "optional":
      case "nullable":
        return optional(this.type(def["innerType"] as z.ZodType));
      case "default":
      case "prefault":
      case "catch":
      case "readonly":
      case "nonoptional":
      case "success":
        return this.type(def["innerType"] as z.ZodType);
      case "pipe":
        return this.type(def["in"] as z.ZodType);
      case "lazy":
        return this.type((def["getter"] as () => z.ZodType)());
      default:
        return ANY;
    }
  }

  fields(def: ZodDef): Field[] {
    const shape = def["shape"] as Record<string, z.ZodType>;
    return Object.keys(shape).map((name) => {
      const schema = shape[name] as z.ZodType;
      const description = descriptionOf(schema);
      return { name, type: this.type(schema), ...(description === undefined ? {} : { description }) };
    });
  }

  private object(def: ZodDef): RecordType {
    const fields = this.fields(def);
    const catchall = def["catchall"] as z.ZodType | undefined;
    if (catchall === undefined || defOf(catchall).type === "never") return { kind: "record", fields };
    return { kind: "record", fields, rest: { key: ANY, value: this.type(catchall) } };
  }
}

/** `T?`; `:any` and `:nil` already accept nil (and absence), so they stay as they are. */
function optional(type: Type): Type {
  if (type.kind === "optional" || (type.kind === "primitive" && (type.name === "any" || type.name === "nil")))
    return type;
  return { kind: "optional", type };
}

function dedupe(types: Type[]): Type[] {
  const seen = new Set<string>();
  return types.filter((type) => {
    const key = JSON.stringify(type);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function notAnObject(what: string): never {
  throw new SignatureError(what, [
    makeDiagnostic("signature_invalid", { reason: `${what} must be a zod object schema (z.object({...}))` }),
  ]);
}

/**
 * A signature from zod schemas: a schema alone gives the output-only shorthand; `{input,
 * output}` (input a `z.object`) gives `(field :type, ...) -> output`. Throws `SignatureError`
 * when `input` is not an object schema.
 */
export function signatureFromZod(
  schema: z.ZodType | { readonly input?: z.ZodType; readonly output: z.ZodType },
): Signature {
  const converter = new FromZod();
  if (schema instanceof z.ZodType) return { params: null, output: converter.type(schema) };
  const output = converter.type(schema.output);
  if (schema.input === undefined) return { params: null, output };
  return { params: zodParams(schema.input), output };
}

/** The parameters (fields) of a zod object schema. */
export function zodParams(schema: z.ZodType): Param[] {
  const def = defOf(schema);
  if (def.type !== "object") notAnObject("input");
  return new FromZod().fields(def).map((field) => ({ ...field }));
}

/** The type of a zod schema. */
export function typeFromZod(schema: z.ZodType): Type {
  return new FromZod().type(schema);
}

function withDescription(schema: z.ZodType, description: string | undefined): z.ZodType {
  return description === undefined ? schema : schema.describe(description);
}

function keyToZod(type: Type): z.ZodType {
  if (
    type.kind === "union" &&
    type.members.every((member) => member.kind === "literal" && typeof member.value === "string")
  ) {
    return z.enum(type.members.map((member) => (member as { value: string }).value) as [string, ...string[]]);
  }
  if (type.kind === "literal" && typeof type.value === "string") return z.literal(type.value);
  return z.string();
}

/** The zod schema of a type. */
export function typeToZod(type: Type): z.ZodType {
  switch (type.kind) {
    case "primitive":
      switch (type.name) {
        case "string":
        case "keyword":
          return z.string();
        case "int":
          return z.int();
        case "float":
        case "number":
          return z.number();
        case "bool":
          return z.boolean();
        case "nil":
          return z.null();
        case "map":
          return z.record(z.string(), z.any());
        default:
          return z.any();
      }
    case "list":
    case "set":
      return z.array(typeToZod(type.element));
    case "literal":
      return z.literal(type.value);
    case "optional":
      return typeToZod(type.type).nullish();
    case "union":
      if (type.members.every((member) => member.kind === "literal" && typeof member.value === "string")) {
        return z.enum(type.members.map((member) => (member as { value: string }).value) as [string, ...string[]]);
      }
      return z.union(type.members.map(typeToZod) as [z.ZodType, z.ZodType, ...z.ZodType[]]);
    case "record": {
      const shape: Record<string, z.ZodType> = Object.create(null);
      for (const field of type.fields) {
        // A field of a type that accepts nil may also be absent.
        const schema = typeToZod(field.type);
        const absent = acceptsNil(field.type) && field.type.kind !== "optional" ? schema.optional() : schema;
        shape[field.name] = withDescription(absent, field.description);
      }
      const rest = type.rest;
      if (rest === undefined) return z.object(shape);
      const keyIsString = rest.key.kind === "primitive" && rest.key.name !== "any";
      if (type.fields.length === 0 && keyIsString) return z.record(z.string(), typeToZod(rest.value));
      if (type.fields.length === 0 && rest.key.kind !== "primitive")
        return z.partialRecord(keyToZod(rest.key) as z.ZodEnum, typeToZod(rest.value));
      return z.object(shape).catchall(typeToZod(rest.value));
    }
  }
}

/**
 * The zod schema of a signature's output (or of a type); with `{part: "input"}`, the
 * `z.object` of its parameters. Throws `SignatureError` for text that does not parse, or
 * for `part: "input"` on the output-only shorthand.
 */
export function signatureToZod(
  signature: SignatureLike,
  options: { readonly part?: "input" | "output" } = {},
): z.ZodType {
  if (options.part !== "input") return typeToZod(resolveTarget(signature));
  const parsed = typeof signature === "string" || isSignature(signature) ? toSignature(signature) : undefined;
  const input = parsed === undefined ? undefined : inputType(parsed);
  if (input === undefined) {
    throw new SignatureError(typeof signature === "string" ? signature : "", [
      makeDiagnostic("signature_invalid", { reason: "this signature declares no parameters" }),
    ]);
  }
  return typeToZod(input);
}
