interface Frame {
  /** `]` or `}`. */
  readonly close: string;
  /** Elements, or for objects alternating keys and values. */
  readonly items: readonly unknown[];
  readonly object: boolean;
  index: number;
}

/**
 * JSON text as `JSON.stringify(json, null, 2)` writes it, for the plain data of a run's result,
 * or undefined as soon as it would be longer than `maxChars`: nothing larger is ever built, and
 * any depth is written without host recursion.
 */
export function printJson(json: unknown, maxChars: number): string | undefined {
  const out: string[] = [];
  let length = 0;
  const write = (text: string): boolean => {
    length += text.length;
    out.push(text);
    return length <= maxChars;
  };
  const stack: Frame[] = [];
  const indent = () => `\n${"  ".repeat(stack.length)}`;
  /** Writes a scalar, or opens a collection; false once past maxChars. */
  const place = (value: unknown): boolean => {
    if (Array.isArray(value)) {
      if (value.length === 0) return write("[]");
      stack.push({ close: "]", items: value, object: false, index: 0 });
      return write("[");
    }
    if (value !== null && typeof value === "object") {
      const items: unknown[] = [];
      for (const key of Object.keys(value)) items.push(key, (value as Record<string, unknown>)[key]);
      if (items.length === 0) return write("{}");
      stack.push({ close: "}", items, object: true, index: 0 });
      return write("{");
    }
    if (typeof value === "number") return write(Number.isFinite(value) ? String(value) : "null");
    if (typeof value === "string" || typeof value === "boolean") return write(JSON.stringify(value));
    return write("null");
  };
  if (!place(json)) return undefined;
  for (;;) {
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    if (top.index >= top.items.length) {
      stack.pop();
      if (!write(`${indent()}${top.close}`)) return undefined;
      continue;
    }
    const separator = top.index === 0 ? "" : ",";
    if (!write(`${separator}${indent()}`)) return undefined;
    if (top.object) {
      if (!write(`${JSON.stringify(top.items[top.index] as string)}: `)) return undefined;
      top.index++;
    }
    const value = top.items[top.index++];
    if (!place(value)) return undefined;
  }
  return out.join("");
}
