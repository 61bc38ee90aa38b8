import fc from "fast-check";
import { makeDiagnostic, SignatureError } from "../errors/errors.js";
import { resolveTarget, type SignatureLike } from "./check-value.js";
import { toSignature } from "./parse-signature.js";
import { renderType } from "./print-signature.js";
import { acceptsNil, inputType, isSignature, type RecordType, type Signature, type Type } from "./types.js";

/** Options of `arbitrary`. */
export interface ArbitraryOptions {
  /** Most elements in a generated list, set or map-of. Default 5. */
  readonly maxLength?: number;
  /** Nesting depth of generated `:any` and `:map` values. Default 2. */
  readonly maxDepth?: number;
}

/**
 * Generated floats lie within ±1e9: ordinary arithmetic on data (`(* 100 amount)`, sums, products
 * of a few) stays finite, so a property fails for the program's logic, not for an overflow to
 * infinity that no real input would reach (infinity has no JSON form).
 */
export const MAX_FLOAT = 1e9;

const JSON_KEY = fc.string({ minLength: 1, maxLength: 8 });

function anyJson(depth: number): fc.Arbitrary<unknown> {
  return fc.jsonValue({ maxDepth: depth }).map((value) => (Object.is(value, -0) ? 0 : value));
}

function unsupported(type: Type): never {
  throw new SignatureError(renderType(type), [
    makeDiagnostic("signature_invalid", {
      reason: `values of ${renderType(type)} exist only inside programs and cannot be generated`,
    }),
  ]);
}

/** JSON equality key, for distinct set elements. */
function jsonKey(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}

function keyArbitrary(type: Type): fc.Arbitrary<string> {
  switch (type.kind) {
    case "primitive":
      return type.name === "int" ? fc.integer({ min: -1000, max: 1000 }).map(String) : JSON_KEY;
    case "literal":
      return fc.constant(String(type.value));
    case "optional":
      return keyArbitrary(type.type);
    case "union":
      return fc.oneof(...type.members.map(keyArbitrary));
    default:
      return JSON_KEY;
  }
}

function build(type: Type, options: Required<ArbitraryOptions>): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case "primitive":
      switch (type.name) {
        case "string":
        case "keyword":
          return fc.string({ maxLength: 12 });
        case "int":
          return fc.maxSafeInteger();
        case "float":
        case "number":
          return fc.oneof(
            fc.integer({ min: -1000, max: 1000 }),
            fc.double({ min: -MAX_FLOAT, max: MAX_FLOAT, noNaN: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
          );
        case "bool":
          return fc.boolean();
        case "nil":
          return fc.constant(null);
        case "any":
          return anyJson(options.maxDepth);
        case "map":
          return fc.dictionary(JSON_KEY, anyJson(options.maxDepth - 1), { maxKeys: options.maxLength });
        default:
          return unsupported(type);
      }
    case "literal":
      return fc.constant(type.value);
    case "optional":
      return fc.option(build(type.type, options), { nil: null, freq: 4 });
    case "union":
      return fc.oneof(...type.members.map((member) => build(member, options)));
    case "list":
      return fc.array(build(type.element, options), { maxLength: options.maxLength });
    case "set":
      return fc.uniqueArray(build(type.element, options), { maxLength: options.maxLength, selector: jsonKey });
    case "record":
      return record(type, options);
  }
}

function record(type: RecordType, options: Required<ArbitraryOptions>): fc.Arbitrary<unknown> {
  const names = type.fields.map((field) => field.name);
  const known = new Set(names);
  // Each field as an optional [present, value] pair so that optional fields may be absent;
  // values are assembled with Object.fromEntries so no name is ever set through a prototype.
  const fieldArbitraries = type.fields.map((field) =>
    acceptsNil(field.type)
      ? fc.option(build(field.type, options), { nil: undefined, freq: 3 })
      : build(field.type, options),
  );
  const rest = type.rest;
  const extra =
    rest === undefined
      ? fc.constant([] as [string, unknown][])
      : fc.array(fc.tuple(keyArbitrary(rest.key), build(rest.value, options)), { maxLength: options.maxLength });
  return fc.tuple(fc.tuple(...fieldArbitraries), extra).map(([values, extras]) => {
    const entries: [string, unknown][] = [];
    values.forEach((value, i) => {
      if (value !== undefined) entries.push([names[i] as string, value]);
    });
    const seen = new Set<string>();
    for (const [key, value] of extras) {
      if (known.has(key) || seen.has(key)) continue;
      seen.add(key);
      entries.push([key, value]);
    }
    return Object.fromEntries(entries);
  });
}

/**
 * A fast-check arbitrary of JSON values that satisfy a signature's output (or a type), in
 * strict mode: `validate(signature, value)` accepts every value it generates. Shrinks like
 * fast-check's own arbitraries. Throws `SignatureError` for text that does not parse and for
 * program-only types (`:fn`, `:regex`, `:atom`).
 */
export function arbitrary(signature: SignatureLike, options: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  return build(resolveTarget(signature), {
    maxLength: options.maxLength ?? 5,
    maxDepth: Math.max(1, options.maxDepth ?? 2),
  });
}

/** An arbitrary of the inputs of a signature: objects with a valid value for each parameter. */
export function inputArbitrary(signature: Signature | string, options: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const parsed = toSignature(signature);
  const input = isSignature(parsed) ? inputType(parsed) : undefined;
  return arbitrary(input ?? { kind: "record", fields: [] }, options);
}

/** A 32-bit FNV-1a hash, to derive a per-call seed from the tool's seed and arguments. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** One value of an arbitrary, reproducible from the seed. */
export function sampleOne(arb: fc.Arbitrary<unknown>, seed: number): unknown {
  return fc.sample(arb, { seed, numRuns: 1 })[0];
}
