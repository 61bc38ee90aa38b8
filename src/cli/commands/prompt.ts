import type { PromptPreview } from "../../index.js";
import { isRecord, loadAgentFile, messageOf, readJsonFile } from "../agent/agent-file.js";
import { CliFailure, type CliIo, EXIT_FAILURE, EXIT_OK, writeJson } from "../io.js";

/** `ptc prompt AGENT_FILE [--input FILE] [--json]`: the first prompt, with token estimates. */
export async function promptCommand(
  file: string,
  inputFile: string | undefined,
  json: boolean,
  io: CliIo,
): Promise<number> {
  const { agent } = await loadAgentFile(file, io);
  const input = inputFile === undefined ? undefined : await readJsonFile(inputFile, io, "--input");
  if (input !== undefined && !isRecord(input)) {
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
