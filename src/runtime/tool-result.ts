import { MAX_JSON_DEPTH } from "../lisp/values/json.js";

/** Longest description of a thrown value kept in a `tool_error` message. */
const MAX_REASON_CHARS = 500;

/**
 * Describes whatever a tool threw, for a `tool_error` message: an Error's message, a string,
 * or a short name for anything else. Never throws, whatever the value (a Proxy whose traps
 * throw, an Error whose `message` getter throws, a null-prototype object).
 */
export function describeThrown(thrown: unknown): string {
  let text: string;
  try {
    if (typeof thrown === "string") text = thrown;
    else if (thrown instanceof Error) {
      const message: unknown = thrown.message;
      text = typeof message === "string" && message !== "" ? message : "an error without a message";
    } else if (thrown === null || thrown === undefined) text = String(thrown);
    else if (typeof thrown === "object") {
      const message: unknown = (thrown as { message?: unknown }).message;
      text = typeof message === "string" ? message : "a thrown object";
    } else text = `a thrown ${typeof thrown}`;
  } catch {
    text = "a thrown value that cannot be described";
  }
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS)}... (${text.length} characters)` : text;
}

/** A tool result taken in: a JSON copy the tool can no longer change, and its estimated size. */
export type AdoptedResult =
  | { readonly ok: true; readonly json: unknown; readonly bytes: number }
  | { readonly ok: false; readonly reason: string };

/** A value still to copy, and where its copy goes (`parent[key]`; the root's parent is a holder). */
interface Pending {
  readonly source: unknown;
  readonly depth: number;
  readonly parent: unknown[] | Record<string, unknown>;
  readonly key: number | string;
}

/** Marks an item that cannot be copied here: the walk stops with `reason`. */
class Refused {
  constructor(readonly reason: string) {}
}

function isSkipped(item: unknown): boolean {
  return item === undefined || typeof item === "function" || typeof item === "symbol";
}

/**
 * Copies a tool result to plain JSON as `JSON.parse(JSON.stringify(result))` would, without
 * host recursion and with bounds: nesting deeper than MAX_JSON_DEPTH (or a cycle) and a size
 * past `maxBytes` (2 bytes per string character, 16 per value) are refused with a reason.
 * Anything the result's getters, `toJSON` methods or Proxy traps throw is refused too; nothing
 * escapes. `undefined` becomes null.
 */
export function adoptToolResult(result: unknown, maxBytes: number): AdoptedResult {
  let bytes = 0;
  const tooLarge: AdoptedResult = {
    ok: false,
    reason: `its result is larger than the memory limit (${maxBytes} bytes)`,
  };
  const holder: unknown[] = [null];
  const stack: Pending[] = [{ source: result, depth: 0, parent: holder, key: 0 }];
  /** The copy of a scalar, or undefined for a container (pushed to the stack by the caller). */
  const scalar = (value: unknown): unknown => {
    bytes += 16;
    if (value === null || typeof value === "boolean") return value;
    if (typeof value === "number") return Number.isFinite(value) ? value : null;
    if (typeof value === "string") {
      bytes += 2 * value.length;
      return value;
    }
    if (typeof value === "bigint") return new Refused("its result holds a BigInt, which JSON cannot represent");
    if (typeof value !== "object") return null;
    return undefined;
  };
  try {
    while (stack.length > 0) {
      const { source, depth, parent, key } = stack.pop() as Pending;
      if (bytes > maxBytes) return tooLarge;
      let value = source;
      if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
        value = (value as { toJSON: () => unknown }).toJSON();
      }
      const copied = scalar(value);
      if (copied instanceof Refused) return { ok: false, reason: copied.reason };
      if (copied !== undefined || value === undefined) {
        (parent as Record<string, unknown>)[key] = copied ?? null;
        continue;
      }
      if (depth >= MAX_JSON_DEPTH) {
        return { ok: false, reason: `its result is nested deeper than ${MAX_JSON_DEPTH} levels (or is cyclic)` };
      }
      if (Array.isArray(value)) {
        const length = value.length;
        // Counted before the copy is allocated: a sparse array's length costs as much as its elements.
        bytes += 8 * length;
        if (bytes > maxBytes) return tooLarge;
        const out: unknown[] = new Array(length);
        (parent as Record<string, unknown>)[key] = out;
        for (let i = length - 1; i >= 0; i--) {
          const item: unknown = value[i];
          if (isSkipped(item)) {
            out[i] = null;
            continue;
          }
          const itemCopy = scalar(item);
          if (itemCopy instanceof Refused) return { ok: false, reason: itemCopy.reason };
          if (itemCopy !== undefined) out[i] = itemCopy;
          else stack.push({ source: item, depth: depth + 1, parent: out, key: i });
          if ((i & 1023) === 0 && bytes + 16 * stack.length > maxBytes) {
            return tooLarge;
          }
        }
        if (bytes > maxBytes) return tooLarge;
      } else {
        const out: Record<string, unknown> = {};
        (parent as Record<string, unknown>)[key] = out;
        const keys = Object.keys(value as object);
        for (const name of keys) {
          const item: unknown = (value as Record<string, unknown>)[name];
          if (isSkipped(item)) continue;
          bytes += 2 * name.length;
          const itemCopy = scalar(item);
          if (itemCopy instanceof Refused) return { ok: false, reason: itemCopy.reason };
          // `__proto__` becomes an own data property (an assignment would set the prototype).
          if (name === "__proto__") {
            Object.defineProperty(out, name, { value: null, enumerable: true, writable: true, configurable: true });
          }
          out[name] = itemCopy === undefined ? null : itemCopy;
          if (itemCopy === undefined) stack.push({ source: item, depth: depth + 1, parent: out, key: name });
        }
      }
    }
  } catch (error) {
    return { ok: false, reason: `its result could not be read: ${describeThrown(error)}` };
  }
  return { ok: true, json: holder[0], bytes };
}
