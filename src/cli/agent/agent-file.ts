/**
 * Agent files, as `ptc prompt` and `ptc agent ...` read them: a JavaScript module whose default
 * export is an agent (optionally exporting `samples` for `compile`), or a JSON definition whose
 * tools are stubs of their declared signatures.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Agent, defineAgent, stubTool, type Tool } from "../../index.js";
import { readStream } from "../inputs.js";
import { CliFailure, type CliIo, EXIT_FAILURE } from "../io.js";

/** The two forms of an agent file, for the help text. */
export const AGENT_FILE_HELP = `An agent file is either
  - a JavaScript module (.js or .mjs) whose default export is an agent made by defineAgent, and
    which may export "samples" (the inputs, or {input, output} golden examples, compile verifies
    against); a .ts agent runs through your own loader, e.g. node --import tsx, or
  - a JSON definition:
      {"name": "totals", "prompt": "Sum the orders' totals.",
       "signature": "(orders [{total :float}]) -> :float",
       "tools": {"lookup": {"signature": "(id :int) -> {name :string}", "description": "..."}},
       "samples": [{"orders": [{"total": 2.5}]}]}
    whose tools are stubs answering values generated from their signatures.`;

/** An agent file, loaded. */
export interface AgentFile {
  readonly agent: Agent;
  /** The compile samples the file declares, if any. */
  readonly samples?: readonly unknown[];
}

/** Loads an agent file: `.js`/`.mjs`/`.cjs` (and `.ts` through a loader) as a module, else JSON. */
export async function loadAgentFile(file: string, io: CliIo): Promise<AgentFile> {
  if (/\.[mc]?[jt]s$/.test(file)) return importAgent(file);
  const definition = await readJsonFile(file, io);
  return agentFromJson(definition, file);
}

async function importAgent(file: string): Promise<AgentFile> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CliFailure(`cannot load ${file}: ${messageOf(error)}`, EXIT_FAILURE);
  }
  const agent = module["default"];
  if (!isAgent(agent)) {
    throw new CliFailure(`${file}: the default export is not an agent made by defineAgent`, EXIT_FAILURE);
  }
  const samples = module["samples"];
  if (samples !== undefined && !Array.isArray(samples)) {
    throw new CliFailure(`${file}: the "samples" export must be an array`, EXIT_FAILURE);
  }
  return samples === undefined ? { agent } : { agent, samples };
}

function isAgent(value: unknown): value is Agent {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as Record<string, unknown>)["previewPrompt"] === "function" &&
    typeof (value as Record<string, unknown>)["run"] === "function" &&
    typeof (value as Record<string, unknown>)["compile"] === "function"
  );
}

/** Builds an agent from a JSON definition; its tools are stubs of their declared signatures. */
export function agentFromJson(definition: unknown, file: string): AgentFile {
  if (!isRecord(definition)) throw new CliFailure(`${file}: expected a JSON object defining an agent`, EXIT_FAILURE);
  for (const key of ["name", "prompt", "signature"]) {
    if (typeof definition[key] !== "string") {
      throw new CliFailure(`${file}: "${key}" must be a string`, EXIT_FAILURE);
    }
  }
  const description = definition["description"];
  if (description !== undefined && typeof description !== "string") {
    throw new CliFailure(`${file}: "description" must be a string`, EXIT_FAILURE);
  }
  const samples = definition["samples"];
  if (samples !== undefined && !Array.isArray(samples)) {
    throw new CliFailure(`${file}: "samples" must be an array`, EXIT_FAILURE);
  }
  const declared = definition["tools"] ?? {};
  if (!isRecord(declared)) throw new CliFailure(`${file}: "tools" must be an object`, EXIT_FAILURE);
  const tools: Record<string, Tool> = {};
  for (const [name, declaration] of Object.entries(declared)) {
    if (!isRecord(declaration) || typeof declaration["signature"] !== "string") {
      throw new CliFailure(`${file}: tool ${name} needs a "signature" string`, EXIT_FAILURE);
    }
    const toolDescription = declaration["description"];
    try {
      const tool = stubTool(declaration["signature"], {
        name,
        ...(typeof toolDescription === "string" ? { description: toolDescription } : {}),
      });
      Object.defineProperty(tools, name, { value: tool, enumerable: true, writable: true, configurable: true });
    } catch (error) {
      throw new CliFailure(`${file}: tool ${name}: ${messageOf(error)}`, EXIT_FAILURE);
    }
  }
  let agent: Agent;
  try {
    agent = defineAgent({
      name: definition["name"] as string,
      prompt: definition["prompt"] as string,
      signature: definition["signature"] as string,
      ...(description === undefined ? {} : { description }),
      tools,
    }) as unknown as Agent;
  } catch (error) {
    throw new CliFailure(`${file}: ${messageOf(error)}`, EXIT_FAILURE);
  }
  return samples === undefined ? { agent } : { agent, samples };
}

/** Reads a JSON file (`-`: standard input); a fault is a one-line failure naming the file. */
export async function readJsonFile(path: string, io: CliIo, flag?: string): Promise<unknown> {
  const name = `${flag === undefined ? "" : `${flag} `}${path === "-" ? "standard input" : path}`;
  let text: string;
  try {
    text = path === "-" ? await readStream(io.stdin) : await io.readFile(path);
  } catch (error) {
    throw new CliFailure(`cannot read ${name}: ${messageOf(error)}`, EXIT_FAILURE);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliFailure(`${name}: not JSON: ${messageOf(error)}`, EXIT_FAILURE);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
