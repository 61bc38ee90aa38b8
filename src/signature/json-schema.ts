import { resolveTarget, type SignatureLike } from "./check-value.js";
import { readSignature } from "./parse-signature.js";
import { ANY, acceptsNil, type Field, inputType, isFirewalled, isSignature, primitive, type Type } from "./types.js";

/** A JSON Schema document (draft 2020-12 vocabulary), as plain JSON. */
export type JSONSchema = { readonly [key: string]: unknown };

/** Options of `toJSONSchema`. */
export interface JSONSchemaOptions {
  /** Leave out firewalled fields (`_name`), for schemas a model sees. Default false. */
  readonly forModel?: boolean;
  /**
   * The subset strict structured-output modes accept: every property is listed in `required`
   * (optional ones accept null instead) and objects never allow other properties. Default false.
   */
  readonly structuredOutputs?: boolean;
  /** Which part of a signature: its `output` (default) or its parameters as an object (`input`). */
  readonly part?: "input" | "output";
}

const INT_KEY_PATTERN = "^-?\\d+$";

function nullable(schema: JSONSchema): JSONSchema {
  return { anyOf: [schema, { type: "null" }] };
}

function withDescription(schema: JSONSchema, description: string | undefined): JSONSchema {
  return description === undefined ? schema : { ...schema, description };
}

function keySchema(type: Type): JSONSchema | undefined {
  if (type.kind === "primitive") {
    if (type.name === "int") return { pattern: INT_KEY_PATTERN };
    if (type.name === "string" || type.name === "keyword") return { type: "string" };
    return undefined;
  }
  return convert(type, {});
}

function convert(type: Type, options: JSONSchemaOptions): JSONSchema {
  switch (type.kind) {
    case "primitive":
      switch (type.name) {
        case "string":
        case "keyword":
          return { type: "string" };
        case "int":
          return { type: "integer" };
        case "float":
        case "number":
          return { type: "number" };
        case "bool":
          return { type: "boolean" };
        case "nil":
          return { type: "null" };
        case "map":
          return { type: "object" };
        default:
          return {};
      }
    case "list":
      return { type: "array", items: convert(type.element, options) };
    case "set":
      return { type: "array", items: convert(type.element, options), uniqueItems: true };
    case "literal":
      return { const: type.value };
    case "optional":
      return nullable(convert(type.type, options));
    case "union":
      if (type.members.every((member) => member.kind === "literal")) {
        return { enum: type.members.map((member) => (member as { value: unknown }).value) };
      }
      return { anyOf: type.members.map((member) => convert(member, options)) };
    case "record": {
      const properties: Record<string, JSONSchema> = Object.create(null);
      const required: string[] = [];
      for (const field of type.fields) {
        if (options.forModel && isFirewalled(field.name)) continue;
        const optional = acceptsNil(field.type) && field.type.kind === "optional";
        const inner = optional ? (field.type as { type: Type }).type : field.type;
        let schema = convert(inner, options);
        // An optional field may be absent or null (as `validate` accepts): the schema says both.
        if (optional) schema = nullable(schema);
        if (!optional || options.structuredOutputs) required.push(field.name);
        Object.defineProperty(properties, field.name, {
          value: withDescription(schema, field.description),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      const out: Record<string, unknown> = { type: "object", properties: { ...properties } };
      if (required.length > 0) out["required"] = required;
      if (type.rest === undefined || options.structuredOutputs) {
        out["additionalProperties"] = false;
      } else {
        out["additionalProperties"] = convert(type.rest.value, options);
        const names = keySchema(type.rest.key);
        if (names !== undefined) out["propertyNames"] = names;
      }
      return out;
    }
  }
}

/**
 * A JSON Schema for a signature's output (or a type, or with `{part: "input"}` its
 * parameters), for model structured outputs and for documentation. Descriptions become
 * `description`; optional fields are left out of `required` and accept null; records
 * allow no other properties unless they declare a key type (`{:string T}`), which becomes
 * `additionalProperties` (and `propertyNames`). `:keyword` maps to a string, `#{T}` to an
 * array with `uniqueItems`, and program-only types (`:fn`, `:regex`, `:atom`) to `{}`.
 * Throws `SignatureError` for text that does not parse.
 */
export function toJSONSchema(signature: SignatureLike, options: JSONSchemaOptions = {}): JSONSchema {
  if (options.part === "input") {
    const read = typeof signature === "string" || isSignature(signature) ? readSignature(signature) : undefined;
    const input = read?.ok === true ? inputType(read.signature) : undefined;
    return convert(input ?? { kind: "record", fields: [], rest: { key: ANY, value: ANY } }, options);
  }
  return convert(resolveTarget(signature), options);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function optional(type: Type): Type {
  return type.kind === "optional" ? type : { kind: "optional", type };
}

function union(types: Type[]): Type {
  const nil = types.filter((type) => type.kind === "primitive" && type.name === "nil");
  const others = types.filter((type) => !(type.kind === "primitive" && type.name === "nil"));
  const base: Type =
    others.length === 0
      ? primitive("nil")
      : others.length === 1
        ? (others[0] as Type)
        : { kind: "union", members: others };
  return nil.length > 0 && others.length > 0 ? optional(base) : base;
}

function literal(value: unknown): Type {
  if (typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)))
    return { kind: "literal", value };
  return value === null ? primitive("nil") : ANY;
}

function fromSchema(schema: unknown, depth: number): Type {
  if (!isObject(schema) || depth > 64) return ANY;
  if ("const" in schema) return literal(schema["const"]);
  if (Array.isArray(schema["enum"])) {
    const values = schema["enum"] as unknown[];
    return values.length === 1 ? literal(values[0]) : union(values.map(literal));
  }
  const variants = (schema["anyOf"] ?? schema["oneOf"]) as unknown;
  if (Array.isArray(variants)) return union(variants.map((variant) => fromSchema(variant, depth + 1)));
  const type = schema["type"];
  if (Array.isArray(type)) return union(type.map((name) => fromSchema({ ...schema, type: name }, depth + 1)));
  switch (type) {
    case "string":
      return primitive("string");
    case "integer":
      return primitive("int");
    case "number":
      return primitive("float");
    case "boolean":
      return primitive("bool");
    case "null":
      return primitive("nil");
    case "array": {
      const element = fromSchema(schema["items"] ?? {}, depth + 1);
      return schema["uniqueItems"] === true ? { kind: "set", element } : { kind: "list", element };
    }
    case "object": {
      const properties = isObject(schema["properties"]) ? schema["properties"] : undefined;
      const additional = schema["additionalProperties"];
      if (properties === undefined && additional === undefined) return primitive("map");
      const required = new Set(Array.isArray(schema["required"]) ? (schema["required"] as unknown[]) : []);
      const fields: Field[] = Object.keys(properties ?? {}).map((name) => {
        const property = (properties as Record<string, unknown>)[name];
        const fieldType = fromSchema(property, depth + 1);
        const description =
          isObject(property) && typeof property["description"] === "string" ? property["description"] : undefined;
        return {
          name,
          type: required.has(name) ? fieldType : optional(fieldType),
          ...(description === undefined ? {} : { description }),
        };
      });
      if (additional === undefined || additional === false) return { kind: "record", fields };
      const names = schema["propertyNames"];
      let key: Type = ANY;
      if (isObject(names)) key = names["pattern"] === INT_KEY_PATTERN ? primitive("int") : fromSchema(names, depth + 1);
      return {
        kind: "record",
        fields,
        rest: { key, value: additional === true ? ANY : fromSchema(additional, depth + 1) },
      };
    }
    default:
      return ANY;
  }
}

/**
 * A type from a JSON Schema (the subset `toJSONSchema` writes, plus `oneOf`, type arrays and
 * `enum`). Keywords it does not know (`$ref`, formats, ranges, patterns on strings) are
 * dropped: the result accepts at least what the schema accepts, within that subset.
 */
export function typeFromJSONSchema(schema: JSONSchema): Type {
  return fromSchema(schema, 0);
}
