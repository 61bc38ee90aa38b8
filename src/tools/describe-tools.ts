import { renderType } from "../signature/print-signature.js";
import { isFirewalled, type RecordType, type Type } from "../signature/types.js";
import { toolCallName } from "./tool-names.js";

/** What `describeTools` needs of a tool (a `defineTool` result has it). */
export interface DescribedTool {
  readonly description?: string;
  readonly input?: RecordType;
  readonly output?: Type;
}

/**
 * The tools as a model should see them, one entry per tool:
 * `tool/search (query :string, limit :int?) -> [{id :int}]`, then its description indented.
 * Plain functions (no contract) show as `tool/name (...) -> :any`; firewalled fields are hidden.
 */
export function describeTools(
  tools: Readonly<Record<string, DescribedTool | ((...args: never[]) => unknown)>>,
): string {
  const entries: string[] = [];
  for (const name of Object.keys(tools)) {
    const tool = tools[name];
    const definition = typeof tool === "function" ? undefined : tool;
    const input = definition?.input;
    const params =
      input === undefined
        ? "..."
        : input.fields
            .filter((field) => !isFirewalled(field.name))
            .map((field) => `${field.name} ${renderType(field.type, { forModel: true })}`)
            .join(", ");
    const output = definition?.output === undefined ? ":any" : renderType(definition.output, { forModel: true });
    const callName = toolCallName(name);
    const description = definition?.description === undefined ? "" : `\n  ${definition.description}`;
    entries.push(`tool/${callName} (${params}) -> ${output}${description}`);
  }
  return entries.join("\n");
}
