/** What a tool function receives besides its arguments. */
export interface ToolCallContext {
  /** Aborted when the run is cancelled or the tool call times out. */
  readonly signal: AbortSignal;
}

/**
 * A tool: an async (or sync) function of one JSON object. Its arguments arrive with
 * snake_case keys; its result must be JSON-compatible and enters the program as data.
 */
export type ToolFunction = (args: Record<string, unknown>, context: ToolCallContext) => unknown;

/** A tool with a description (shown to models). */
export interface ToolDefinition {
  readonly execute: ToolFunction;
  readonly description?: string;
}

/** Tools by name, as the program calls them: `(tool/get-users {...})` calls `tools["get-users"]` (or `get_users`). */
export type Tools = Readonly<Record<string, ToolFunction | ToolDefinition>>;

/** One tool call of a run, in the order the calls were issued. */
export interface ToolCallRecord {
  readonly name: string;
  /** The normalised JSON arguments (snake_case keys). */
  readonly args: Record<string, unknown>;
  /** The JSON result, when the call succeeded. */
  readonly result?: unknown;
  /** The failure message, when the call failed. */
  readonly error?: string;
  /** Wall time of the call in milliseconds. */
  readonly durationMs: number;
}

/** The function registered for a tool name, trying the name as written, then snake_case. */
export function resolveTool(tools: Tools | undefined, name: string): ToolFunction | undefined {
  if (tools === undefined) return undefined;
  for (const candidate of [name, name.replace(/-/g, "_")]) {
    if (Object.hasOwn(tools, candidate)) {
      const tool = tools[candidate];
      if (typeof tool === "function") return tool;
      if (tool !== null && typeof tool === "object" && typeof tool.execute === "function") return tool.execute;
    }
  }
  return undefined;
}

/** Every name a program may call the given tools by (as written and kebab-case). */
export function toolNames(tools: Tools | undefined): Set<string> {
  const names = new Set<string>();
  for (const name of Object.keys(tools ?? {})) {
    names.add(name);
    names.add(name.replace(/_/g, "-"));
  }
  return names;
}
