/**
 * Tool names. A host registers a tool under any key (`get_orders`, `get-orders`); a program
 * calls it as `tool/get-orders` or `tool/get_orders`. These helpers are the one place the two
 * spellings meet.
 */

/** The snake_case spelling of a tool name as a program writes it: `get-orders` → `get_orders`. */
export function toolKey(name: string): string {
  return name.replace(/-/g, "_");
}

/** The kebab-case spelling a program uses for a registered key: `get_orders` → `get-orders`. */
export function toolCallName(key: string): string {
  return key.replace(/_/g, "-");
}

/**
 * The entry registered for a tool name: the key as written, then its snake_case spelling. Own
 * properties only, so `tool/constructor` or `tool/__proto__` never reach `Object.prototype`.
 */
export function toolEntry<T>(tools: Readonly<Record<string, T>> | undefined, name: string): T | undefined {
  if (tools === undefined) return undefined;
  if (Object.hasOwn(tools, name)) return tools[name];
  const key = toolKey(name);
  return key !== name && Object.hasOwn(tools, key) ? tools[key] : undefined;
}

/** Every name a program may call the given tools by: each key as written and in kebab-case. */
export function toolNames(tools: Readonly<Record<string, unknown>> | undefined): Set<string> {
  const names = new Set<string>();
  for (const key of Object.keys(tools ?? {})) {
    names.add(key);
    names.add(toolCallName(key));
  }
  return names;
}
