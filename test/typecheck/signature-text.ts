/**
 * A small, independent reading of PtcRunner's signature text for the type-check corpus:
 * parsing (`(a :int, b [{x :string}]?) -> {n :int}` and the output-only shorthand), a seeded
 * generator of JSON values, and a strict validator. The corpus harness uses the library's own
 * `stubTool`/`validate` when they are exported; this module is the fallback, and the mutation
 * generator reads parameter names, optionality and field names from it.
 */

export type SigType =
  | { readonly kind: "string" | "int" | "float" | "bool" | "keyword" | "any" | "map" }
  | { readonly kind: "list"; readonly item: SigType }
  | { readonly kind: "record"; readonly fields: readonly SigField[] }
  | { readonly kind: "optional"; readonly inner: SigType };

export interface SigField {
  readonly name: string;
  readonly type: SigType;
}

export interface ParsedSignature {
  /** The parameters, or null for the output-only shorthand. */
  readonly params: readonly SigField[] | null;
  readonly output: SigType;
}

const SCALARS = new Set(["string", "int", "float", "bool", "keyword", "any", "map"]);

class Reader {
  position = 0;
  constructor(readonly text: string) {}

  skip(): void {
    while (this.position < this.text.length && /[\s,]/.test(this.text[this.position] ?? "")) this.position++;
  }

  peek(): string {
    this.skip();
    return this.text[this.position] ?? "";
  }

  expect(token: string): void {
    this.skip();
    if (!this.text.startsWith(token, this.position)) this.fail(`expected "${token}"`);
    this.position += token.length;
  }

  name(): string {
    this.skip();
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.position));
    if (match === null) this.fail("expected a name");
    this.position += match[0].length;
    return match[0];
  }

  fail(message: string): never {
    throw new Error(`signature ${JSON.stringify(this.text)} at ${this.position}: ${message}`);
  }
}

function readType(reader: Reader): SigType {
  const next = reader.peek();
  let type: SigType;
  if (next === ":") {
    reader.expect(":");
    const name = reader.name();
    if (!SCALARS.has(name)) reader.fail(`unknown type :${name}`);
    type = { kind: name as "string" };
  } else if (next === "[") {
    reader.expect("[");
    const item = readType(reader);
    reader.expect("]");
    type = { kind: "list", item };
  } else if (next === "{") {
    reader.expect("{");
    const fields: SigField[] = [];
    while (reader.peek() !== "}") {
      if (reader.peek() === "") reader.fail("unterminated map type");
      fields.push({ name: reader.name(), type: readType(reader) });
    }
    reader.expect("}");
    type = { kind: "record", fields };
  } else {
    reader.fail("expected a type");
  }
  if (reader.text[reader.position] === "?") {
    reader.position++;
    return { kind: "optional", inner: type };
  }
  return type;
}

/** Parses signature text; throws on malformed text (the corpus is hand-written). */
export function parseSignatureText(text: string): ParsedSignature {
  const reader = new Reader(text);
  let params: SigField[] | null = null;
  if (reader.peek() === "(") {
    reader.expect("(");
    params = [];
    while (reader.peek() !== ")") {
      if (reader.peek() === "") reader.fail("unterminated parameter list");
      params.push({ name: reader.name(), type: readType(reader) });
    }
    reader.expect(")");
    reader.expect("->");
  }
  const output = readType(reader);
  if (reader.peek() !== "") reader.fail("trailing text");
  return { params, output };
}

export function isOptional(type: SigType): boolean {
  return type.kind === "optional";
}

/** A field of an optional or `:any` type may be absent (`:any` includes nil). */
export function acceptsMissing(type: SigType): boolean {
  return type.kind === "optional" || type.kind === "any";
}

export function stripOptional(type: SigType): SigType {
  return type.kind === "optional" ? type.inner : type;
}

/** Every field name that occurs anywhere in a type. */
export function fieldNames(type: SigType, into: Set<string> = new Set()): Set<string> {
  switch (type.kind) {
    case "optional":
      return fieldNames(type.inner, into);
    case "list":
      return fieldNames(type.item, into);
    case "record":
      for (const field of type.fields) {
        into.add(field.name);
        fieldNames(field.type, into);
      }
      return into;
    default:
      return into;
  }
}

// ---------------------------------------------------------------------------------------------
// Seeded generation

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a hash of a string, for seeding per tool call. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const WORDS = ["alpha", "delta", "north", "river", "quartz", "ember", "maple", "orbit", "cedar", "lumen"];

/** Plausible strings by field name, so filters in the corpus sometimes match. */
const STRING_HINTS: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/stage/, ["new", "qualified", "proposal", "won", "lost"]],
  [/request|trace/, ["req-1", "req-2", "req-3"]],
  [/^state$/, ["open", "closed", "pending", "merged", "done"]],
  [/status|state/, ["paid", "pending", "shipped", "cancelled", "open", "closed", "resolved", "active"]],
  [/priority|severity|urgency/, ["low", "medium", "high", "urgent", "critical"]],
  [/level/, ["info", "warn", "error", "debug"]],
  [/email|sender|from|recipient|to$/, ["ana@example.com", "bo@acme.io", "cy@example.org", "dee@acme.io"]],
  [/customer|name|author|assignee|owner|user/, ["Ana Ruiz", "Bo Chen", "Cy Okafor", "Dee Park", "Eli Stone"]],
  [/currency/, ["USD", "EUR", "GBP"]],
  [/country/, ["US", "DE", "FR", "JP", "BR"]],
  [/city|location/, ["Berlin", "Lyon", "Osaka", "Austin", "Recife"]],
  [/category|type|kind|department|team|region|channel|segment/, ["hardware", "software", "billing", "support"]],
  [/sku|code|symbol|ticker/, ["SKU-1", "SKU-22", "ACME", "GLOBX", "SKU-7"]],
  [/date|_at$|time|day|month/, ["2024-01-15", "2024-02-03", "2024-02-28", "2024-03-11"]],
  [/service|source|host/, ["api", "web", "worker", "db"]],
  [/tag|label|keyword/, ["urgent", "refund", "bug", "feature", "vip"]],
  [/url|link/, ["https://example.com/a", "https://example.com/b"]],
  [/condition|summary|forecast/, ["sunny", "rain", "cloudy", "snow"]],
  [/role/, ["admin", "editor", "viewer"]],
  [/plan|tier/, ["free", "pro", "enterprise"]],
  [/method/, ["GET", "POST", "PUT"]],
];

function pickHint(field: string): readonly string[] | undefined {
  const lower = field.toLowerCase();
  for (const [pattern, values] of STRING_HINTS) if (pattern.test(lower)) return values;
  return undefined;
}

function numberRange(field: string): readonly [number, number] {
  const lower = field.toLowerCase();
  if (/qty|quantity|count|stock|units/.test(lower)) return [0, 12];
  if (/page/.test(lower)) return [1, 6];
  if (/(^|_)id$/.test(lower)) return [1, 12];
  if (/expires|remaining/.test(lower)) return [-3, 20];
  if (/max_errors|allowed/.test(lower)) return [0, 1];
  if (/age/.test(lower)) return [18, 80];
  if (/rating|stars/.test(lower)) return [1, 5];
  if (/humidity/.test(lower)) return [0, 100];
  if (/score|ratio|rate|probability|confidence|relevance|weight/.test(lower)) return [0, 1];
  if (/percent|pct/.test(lower)) return [0, 40];
  if (/temp/.test(lower)) return [-10, 35];
  if (/year/.test(lower)) return [2019, 2025];
  if (/limit|max|top|page|size|days|hours|min/.test(lower)) return [1, 10];
  if (/status_code|code/.test(lower)) return [200, 504];
  return [1, 500];
}

export interface GenerateOptions {
  /** Longest generated list. Default 5. */
  readonly maxLength?: number;
}

/** A JSON value of the type, drawn from `random`; `hint` is the field name it will sit under. */
export function generate(type: SigType, random: () => number, hint = "", options: GenerateOptions = {}): unknown {
  const maxLength = options.maxLength ?? 5;
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  switch (type.kind) {
    case "optional":
      return random() < 0.2 ? null : generate(type.inner, random, hint, options);
    case "string": {
      const hinted = pickHint(hint);
      return hinted ? pick(hinted) : `${pick(WORDS)} ${pick(WORDS)}`;
    }
    case "keyword":
      return pick(WORDS);
    case "int": {
      const [low, high] = numberRange(hint);
      return Math.floor(low + random() * (high - low + 1));
    }
    case "float": {
      const [low, high] = numberRange(hint);
      return Math.round((low + random() * (high - low)) * 100) / 100;
    }
    case "bool":
      return random() < 0.5;
    case "any":
      return pick([1, "x", true, null, [1, 2], { a: 1 }]);
    case "map":
      return { [pick(WORDS)]: Math.floor(random() * 10) };
    case "list": {
      const length = Math.floor(random() * (maxLength + 1));
      return Array.from({ length }, () => generate(type.item, random, hint, options));
    }
    case "record": {
      const out: Record<string, unknown> = {};
      for (const field of type.fields) {
        const value = generate(field.type, random, field.name, options);
        // An optional field is sometimes absent rather than null.
        if (value === null && field.type.kind === "optional" && random() < 0.5) continue;
        out[field.name] = value;
      }
      return out;
    }
  }
}

/** Input data for a signature's parameters (an object keyed by parameter name). */
export function generateInput(signature: ParsedSignature, random: () => number): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const param of signature.params ?? []) {
    const value = generate(param.type, random, param.name);
    if (value === null && param.type.kind === "optional") continue;
    data[param.name] = value;
  }
  return data;
}

// ---------------------------------------------------------------------------------------------
// Strict validation

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Every mismatch between a JSON value and the type, as `path: expected ..., got ...`. Strict: extra fields are errors. */
export function validateValue(type: SigType, value: unknown, path = "", errors: string[] = []): string[] {
  const at = path === "" ? "(root)" : path;
  switch (type.kind) {
    case "optional":
      if (value !== null && value !== undefined) validateValue(type.inner, value, path, errors);
      return errors;
    case "any":
      return errors;
    case "string":
    case "keyword":
      if (typeof value !== "string") errors.push(`${at}: expected ${type.kind}, got ${describe(value)}`);
      return errors;
    case "int":
      if (typeof value !== "number" || !Number.isInteger(value))
        errors.push(`${at}: expected int, got ${describe(value)} ${JSON.stringify(value)}`);
      return errors;
    case "float":
      if (typeof value !== "number" || !Number.isFinite(value))
        errors.push(`${at}: expected float, got ${describe(value)} ${JSON.stringify(value)}`);
      return errors;
    case "bool":
      if (typeof value !== "boolean") errors.push(`${at}: expected bool, got ${describe(value)}`);
      return errors;
    case "map":
      if (value === null || typeof value !== "object" || Array.isArray(value))
        errors.push(`${at}: expected map, got ${describe(value)}`);
      return errors;
    case "list":
      if (!Array.isArray(value)) {
        errors.push(`${at}: expected list, got ${describe(value)}`);
        return errors;
      }
      value.forEach((item, index) => {
        validateValue(type.item, item, `${path}[${index}]`, errors);
      });
      return errors;
    case "record": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        errors.push(`${at}: expected map, got ${describe(value)}`);
        return errors;
      }
      const object = value as Record<string, unknown>;
      const known = new Set(type.fields.map((field) => field.name));
      for (const field of type.fields) {
        const present = Object.hasOwn(object, field.name);
        const child = path === "" ? field.name : `${path}.${field.name}`;
        if (!present) {
          if (!acceptsMissing(field.type)) errors.push(`${child}: missing required field`);
          continue;
        }
        validateValue(field.type, object[field.name], child, errors);
      }
      for (const key of Object.keys(object)) {
        if (!known.has(key)) errors.push(`${path === "" ? key : `${path}.${key}`}: unexpected field`);
      }
      return errors;
    }
  }
}

/** Validates tool arguments (an object keyed by snake_case parameter name) against the parameters. */
export function validateArgs(params: readonly SigField[], args: Record<string, unknown>): string[] {
  return validateValue({ kind: "record", fields: params }, args);
}
