import { isFirewalled, isSignature, type Param, type Signature, type Type } from "./types.js";

/** Options of `renderSignature` and `renderType`. */
export interface RenderOptions {
  /**
   * Text meant for a model: firewalled fields and parameters (names starting with `_`) are left
   * out. Default false (the full contract, for hosts and logs).
   */
  readonly forModel?: boolean;
  /** Include field and parameter descriptions. Default true. */
  readonly descriptions?: boolean;
}

const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$\-?!*'.+<>=/]*$/;

function printName(name: string, inParams: boolean): string {
  const plain =
    PLAIN_NAME.test(name) &&
    !name.includes("...") &&
    !name.includes("->") &&
    !(inParams && (name === "true" || name === "false"));
  return plain ? name : JSON.stringify(name);
}

function printLiteral(value: string | number | boolean): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  return String(value);
}

function describe(text: string | undefined, options: RenderOptions): string {
  return text === undefined || options.descriptions === false ? "" : ` ${JSON.stringify(text)}`;
}

/** Renders one type in the signature syntax. */
export function renderType(type: Type, options: RenderOptions = {}): string {
  switch (type.kind) {
    case "primitive":
      return `:${type.name}`;
    case "list":
      return `[${renderType(type.element, options)}]`;
    case "set":
      return `#{${renderType(type.element, options)}}`;
    case "literal":
      return printLiteral(type.value);
    case "optional": {
      const inner = renderType(type.type, options);
      return type.type.kind === "union" ? `(${inner})?` : `${inner}?`;
    }
    case "union":
      return type.members
        .map((member) => (member.kind === "union" ? `(${renderType(member, options)})` : renderType(member, options)))
        .join(" | ");
    case "record": {
      const entries = type.fields
        .filter((field) => !(options.forModel && isFirewalled(field.name)))
        .map(
          (field) =>
            `${printName(field.name, false)} ${renderType(field.type, options)}${describe(field.description, options)}`,
        );
      if (type.rest !== undefined) {
        const key = renderType(type.rest.key, options);
        // A key type that does not start with a colon is grouped, so it cannot read as a field name.
        entries.push(
          `${type.rest.key.kind === "primitive" ? key : `(${key})`} ${renderType(type.rest.value, options)}`,
        );
      }
      return `{${entries.join(", ")}}`;
    }
  }
}

function renderParam(param: Param, options: RenderOptions): string {
  const prefix = param.rest ? "& " : "";
  return `${prefix}${printName(param.name, true)} ${renderType(param.type, options)}${describe(param.description, options)}`;
}

/**
 * Renders a signature (or a type) as the compact text used in prompts and error messages:
 * `(query :string, limit :int?) -> {items [{id :int}]}`. Parsing the result gives back the
 * same signature (unless `forModel` dropped firewalled fields).
 */
export function renderSignature(signature: Signature | Type, options: RenderOptions = {}): string {
  if (!isSignature(signature)) return renderType(signature, options);
  const output = renderType(signature.output, options);
  if (signature.params === null) return output;
  const params = signature.params
    .filter((param) => !(options.forModel && isFirewalled(param.name)))
    .map((param) => renderParam(param, options));
  if (signature.open) params.push("...");
  return `(${params.join(", ")}) -> ${output}`;
}
