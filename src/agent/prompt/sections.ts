/**
 * The prompt an agent sends, as named sections (DESIGN §9.2): the system prompt (the language
 * reference and the answer format, the same for every mission) and the first user message (the
 * tools, the data inventory, the expected output and the mission).
 */
import { languageReference, REFERENCE_VERSION } from "../../runtime/language-reference.js";
import { renderType } from "../../signature/print-signature.js";
import { isFirewalled, type Signature } from "../../signature/types.js";
import type { Tools } from "../../tools/define-tool.js";
import { describeTools } from "../../tools/describe-tools.js";
import { renderTemplate } from "./template.js";

/** One named part of the prompt and its estimated tokens. */
export interface PromptSection {
  readonly name: "language" | "format" | "tools" | "data" | "output" | "mission";
  readonly text: string;
  readonly tokens: number;
}

/** How the model answers: one program per reply, over several turns or a single one. */
export type AnswerMode = "turns" | "single";

const FORMAT: Readonly<Record<AnswerMode, string>> = {
  turns: [
    "## How to answer",
    "Reply with one PTC-Lisp program in a ```clojure block. It runs, and you see what it printed and its value.",
    "Explore first if you need to (println samples, counts, keys); `def` values to keep them for later turns;",
    "*1 *2 *3 hold the values of the last three programs.",
    "When you have the answer, end the program with (return answer); (fail reason) if the task cannot be done.",
  ].join("\n"),
  single: [
    "## How to answer",
    "Reply with one PTC-Lisp program in a ```clojure block that computes the answer.",
    "The value of its last form is the answer (or use (return answer)); (fail reason) if the task cannot be done.",
    "It runs once: do not explore, compute.",
  ].join("\n"),
};

/** The version of the prompt's format; part of cache keys. Changes whenever a section's text does. */
export const PROMPT_VERSION = `1+${REFERENCE_VERSION}`;

/** The system prompt's sections: byte-stable for a mode, whatever the mission. */
export function systemSections(mode: AnswerMode): readonly { name: "language" | "format"; text: string }[] {
  return [
    { name: "language", text: languageReference() },
    { name: "format", text: FORMAT[mode] },
  ];
}

const MAX_SAMPLE_CHARS = 300;
const MAX_SAMPLE_ITEMS = 2;
const MAX_SAMPLE_DEPTH = 6;

/** A sample of a value for the model: `_` fields hidden, lists cut to their first items, text clipped. */
function sampleOf(value: unknown, depth = 0): unknown {
  if (depth > MAX_SAMPLE_DEPTH) return "...";
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_SAMPLE_ITEMS).map((item) => sampleOf(item, depth + 1));
    return value.length > MAX_SAMPLE_ITEMS ? [...shown, `... (${value.length} items)`] : shown;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (!isFirewalled(key)) out[key] = sampleOf(item, depth + 1);
    }
    return out;
  }
  if (typeof value === "string" && value.length > 80) return `${value.slice(0, 77)}...`;
  return value;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

function sampleText(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(sampleOf(value)) ?? "null";
  } catch {
    text = "(not JSON)";
  }
  return clip(text, MAX_SAMPLE_CHARS);
}

/**
 * The data inventory: each input as `data/<name>` with its type from the signature (or inferred
 * from the input when the signature lists no parameters) and, with `samples`, a clipped sample.
 * Firewalled (`_`) inputs and fields are hidden.
 */
export function dataSection(
  signature: Signature,
  input: Readonly<Record<string, unknown>> | undefined,
  samples: boolean,
): string {
  const lines = ["## Data"];
  const params = signature.params ?? [];
  for (const param of params) {
    if (isFirewalled(param.name)) continue;
    const description = param.description === undefined ? "" : ` ; ${param.description}`;
    lines.push(`data/${param.name} ${renderType(param.type, { forModel: true })}${description}`);
    if (samples && input !== undefined && Object.hasOwn(input, param.name)) {
      const value = input[param.name];
      const size = Array.isArray(value) ? ` (${value.length} items)` : "";
      lines.push(`  sample${size}: ${sampleText(value)}`);
    }
  }
  if (params.length === 0) lines.push("(no inputs)");
  return lines.join("\n");
}

/** The tools the program may call, one per line with its signature and description. */
export function toolsSection(tools: Tools): string {
  const listed = describeTools(tools);
  return `## Tools\n${listed === "" ? "(none: the program computes from its data)" : `Call as (tool/name {:arg value}).\n${listed}`}`;
}

/** The type the answer must have. */
export function outputSection(signature: Signature): string {
  return `## Expected output\n${renderType(signature.output, { forModel: true })}`;
}

/** The mission, placeholders filled (see `renderTemplate`). */
export function missionSection(template: string, input: Readonly<Record<string, unknown>> | undefined): string {
  return `## Mission\n${renderTemplate(template, input)}`;
}
