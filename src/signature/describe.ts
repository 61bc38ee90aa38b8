import { renderType } from "./print-signature.js";
import { ANY, type Field, isFirewalled, primitive, type RecordType, type Signature, type Type } from "./types.js";

/** Options of `inferType`. */
export interface InferOptions {
  /** Elements of each list looked at. Default 50. */
  readonly sample?: number;
  /** Members a union may have before it becomes `:any`. Default 3. */
  readonly maxUnion?: number;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function isNil(type: Type): boolean {
  return type.kind === "primitive" && type.name === "nil";
}

function strip(type: Type): Type {
  return type.kind === "optional" ? type.type : type;
}

/** The least type of both (within the options' limits): records merge field by field. */
function merge(a: Type, b: Type, options: Required<InferOptions>): Type {
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  if (isNil(a)) return b.kind === "optional" || isNil(b) ? b : { kind: "optional", type: b };
  if (isNil(b)) return merge(b, a, options);
  if (a.kind === "optional" || b.kind === "optional") {
    const inner = merge(strip(a), strip(b), options);
    return inner.kind === "optional" ? inner : { kind: "optional", type: inner };
  }
  if (a.kind === "primitive" && b.kind === "primitive") {
    const numbers = new Set(["int", "float"]);
    if (numbers.has(a.name) && numbers.has(b.name)) return primitive("float");
  }
  if (a.kind === "list" && b.kind === "list") return { kind: "list", element: merge(a.element, b.element, options) };
  if (a.kind === "record" && b.kind === "record") return mergeRecords(a, b, options);
  const members = [...(a.kind === "union" ? a.members : [a]), ...(b.kind === "union" ? b.members : [b])];
  const unique = members.filter(
    (member, i) => members.findIndex((other) => JSON.stringify(other) === JSON.stringify(member)) === i,
  );
  return unique.length > options.maxUnion ? ANY : { kind: "union", members: unique };
}

function mergeRecords(a: RecordType, b: RecordType, options: Required<InferOptions>): RecordType {
  const names = [...new Set([...a.fields.map((f) => f.name), ...b.fields.map((f) => f.name)])];
  const fields = names.map((name): Field => {
    const left = a.fields.find((field) => field.name === name);
    const right = b.fields.find((field) => field.name === name);
    if (left !== undefined && right !== undefined) return { name, type: merge(left.type, right.type, options) };
    const type = (left ?? right)?.type ?? ANY;
    return { name, type: type.kind === "optional" || isNil(type) ? type : { kind: "optional", type } };
  });
  return { kind: "record", fields };
}

function infer(value: unknown, options: Required<InferOptions>, depth: number): Type {
  if (depth > 8) return ANY;
  if (value === null || value === undefined) return primitive("nil");
  switch (typeof value) {
    case "string":
      return primitive("string");
    case "boolean":
      return primitive("bool");
    case "number":
      return primitive(Number.isInteger(value) ? "int" : "float");
    case "object":
      break;
    default:
      return ANY;
  }
  if (Array.isArray(value)) {
    let element: Type | undefined;
    for (const item of value.slice(0, options.sample)) {
      const type = infer(item, options, depth + 1);
      element = element === undefined ? type : merge(element, type, options);
    }
    return { kind: "list", element: element ?? ANY };
  }
  const object = value as Record<string, unknown>;
  const fields = Object.keys(object).map((name) => ({ name, type: infer(object[name], options, depth + 1) }));
  return { kind: "record", fields };
}

/**
 * A type describing a JSON sample, for the typed data inventory shown to models: objects
 * become records, lists merge the types of their first elements (a field missing from some
 * becomes optional, ints and floats merge into `:float`), nil values make a type optional.
 */
export function inferType(value: unknown, options: InferOptions = {}): Type {
  return infer(value, { sample: options.sample ?? 50, maxUnion: options.maxUnion ?? 3 }, 0);
}

/**
 * One line per input, as a model should see them: `data/orders [{id :int, total :float}] (48 items)`.
 * From a signature's parameters, or inferred from the data itself. Firewalled inputs are left out.
 */
export function describeData(source: Signature | Readonly<Record<string, unknown>>): string {
  const lines: string[] = [];
  if ("output" in source && "params" in source && !Array.isArray(source)) {
    const signature = source as Signature;
    for (const param of signature.params ?? []) {
      if (isFirewalled(param.name)) continue;
      const description = param.description === undefined ? "" : ` — ${param.description}`;
      lines.push(`data/${param.name} ${renderType(param.type, { forModel: true })}${description}`);
    }
    return lines.join("\n");
  }
  const data = source as Readonly<Record<string, unknown>>;
  for (const name of Object.keys(data)) {
    if (isFirewalled(name) || !PLAIN.test(name)) continue;
    const value = data[name];
    const size = Array.isArray(value) ? ` (${value.length} items)` : "";
    lines.push(`data/${name} ${renderType(inferType(value), { forModel: true })}${size}`);
  }
  return lines.join("\n");
}
