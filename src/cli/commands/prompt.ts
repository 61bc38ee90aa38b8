import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Agent, defineAgent, type PromptPreview, stubTool, type Tool } from "../../index.js";
import { CliFailure, type CliIo, EXIT_FAILURE, EXIT_OK, writeJson } from "../io.js";

/** The two forms of an agent file, for the help text. */
export const AGENT_FILE_HELP = `An agent file is either
  - a JavaScript module (.js or .mjs) whose default export is an agent made by defineAgent
    (a .ts agent runs through your own loader, e.g. node --import tsx), or
  - a JSON definition:
      {"name": "totals", "prompt": "Sum the orders' totals.",
       "signature": "(orders [{total :float}]) -> :float",
       "tools": {"lookup": {"signature": "(id :int) -> {name :string}", "description": "..."}}}
    whose tools are stubs answering values generated from their signatures.`;

/** `ptc prompt AGENT_FILE [--input FILE] [--json]`: the first prompt, with token estimates. */
export async function promptCommand(
  file: string,
  inputFile: string | undefined,
  json: boolean,
  io: CliIo,
): Promise<number> {
  const agent = await loadAgent(file, io);
  const input = inputFile === undefined ? undefined : await readJsonFile(inputFile, io);
  if (input !== undefined && (input === null || typeof input !== "object" || Array.isArray(input))) {
    throw new CliFailure(`--input ${inputFile}: expected a JSON object of the signature's parameters`, EXIT_FAILURE);
  }
  let preview: PromptPreview;
  try {
    preview = agent.previewPrompt(input as Record<string, unknown> | undefined);
  } catch (error) {
    throw new CliFailure(`--input ${inputFile}: ${messageOf(error)}`, EXIT_FAILURE);
  }
  if (json) writeJson(io, preview);
  else io.stdout.write(renderPreview(preview));
  return EXIT_OK;
}

function renderPreview(preview: PromptPreview): string {
  const width = Math.max(5, ...preview.sections.map((section) => section.name.length));
  const tokenWidth = String(preview.totalTokens).length;
  const row = (name: string, tokens: number) =>
    `  ${name.padEnd(width)}  ${String(tokens).padStart(tokenWidth)} tokens`;
  const lines = ["Sections:", ...preview.sections.map((section) => row(section.name, section.tokens))];
  lines.push(row("total", preview.totalTokens), "", "--- system ---", preview.system);
  const first = preview.messages[0];
  if (first !== undefined) lines.push("", `--- ${first.role} ---`, first.content);
  return `${lines.join("\n")}\n`;
}

async function loadAgent(file: string, io: CliIo): Promise<Agent> {
  if (/\.(m?js|cjs)$/.test(file)) return importAgent(file);
  const definition = await readJsonFile(file, io);
  return agentFromJson(definition, file);
}

async function importAgent(file: string): Promise<Agent> {
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
  return agent;
}

function isAgent(value: unknown): value is Agent {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as Record<string, unknown>)["previewPrompt"] === "function" &&
    typeof (value as Record<string, unknown>)["run"] === "function"
  );
}

/** Builds an agent from a JSON definition; its tools are stubs of their declared signatures. */
export function agentFromJson(definition: unknown, file: string): Agent {
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
  try {
    return defineAgent({
      name: definition["name"] as string,
      prompt: definition["prompt"] as string,
      signature: definition["signature"] as string,
      ...(description === undefined ? {} : { description }),
      tools,
    }) as unknown as Agent;
  } catch (error) {
    throw new CliFailure(`${file}: ${messageOf(error)}`, EXIT_FAILURE);
  }
}

async function readJsonFile(path: string, io: CliIo): Promise<unknown> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    throw new CliFailure(`cannot read ${path}: ${messageOf(error)}`, EXIT_FAILURE);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliFailure(`${path}: not JSON: ${messageOf(error)}`, EXIT_FAILURE);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
