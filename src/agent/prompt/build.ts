/**
 * Assembles the prompt of an agent call: the system prompt and the first user message, as
 * sections with token estimates. `maxPromptTokens` is met by dropping the data samples first.
 */
import type { Signature } from "../../signature/types.js";
import type { Tools } from "../../tools/define-tool.js";
import type { AgentSpec } from "../spec.js";
import type { PromptPreview } from "../types.js";
import {
  type AnswerMode,
  dataSection,
  missionSection,
  outputSection,
  type PromptSection,
  systemSections,
  toolsSection,
} from "./sections.js";
import type { TokenEstimator } from "./tokens.js";

/** What the prompt is built from. */
export interface PromptInputs {
  readonly template: string;
  readonly signature: Signature;
  readonly tools: Tools;
  readonly mode: AnswerMode;
  readonly estimate: TokenEstimator;
  readonly maxPromptTokens?: number;
  /**
   * Placeholders read as `data/<name>` even with an input (the input then only gives the data
   * inventory its samples): compile writes one program for every input.
   */
  readonly references?: boolean;
}

/** The prompt of an agent for an answer mode and an input (or none: a preview, or compile time). */
export function promptFor(
  spec: AgentSpec,
  mode: AnswerMode,
  input?: Readonly<Record<string, unknown>>,
  references = false,
): PromptPreview {
  return buildPrompt(
    {
      template: spec.template,
      signature: spec.signature,
      tools: spec.tools,
      mode,
      estimate: spec.estimate,
      ...(spec.maxPromptTokens === undefined ? {} : { maxPromptTokens: spec.maxPromptTokens }),
      references,
    },
    input,
  );
}

/** The prompt: what is sent (`system`, the first user message) and its sections with estimates. */
export function buildPrompt(inputs: PromptInputs, input?: Readonly<Record<string, unknown>>): PromptPreview {
  const withSamples = assemble(inputs, input, true);
  if (inputs.maxPromptTokens === undefined || withSamples.totalTokens <= inputs.maxPromptTokens) return withSamples;
  return assemble(inputs, input, false);
}

function assemble(
  inputs: PromptInputs,
  input: Readonly<Record<string, unknown>> | undefined,
  samples: boolean,
): PromptPreview {
  const system = systemSections(inputs.mode);
  const user = [
    { name: "tools", text: toolsSection(inputs.tools) },
    { name: "data", text: dataSection(inputs.signature, input, samples) },
    { name: "output", text: outputSection(inputs.signature) },
    { name: "mission", text: missionSection(inputs.template, inputs.references === true ? undefined : input) },
  ] as const;
  const sections: PromptSection[] = [...system, ...user].map((section) => ({
    ...section,
    tokens: inputs.estimate(section.text),
  }));
  const systemText = system.map((section) => section.text).join("\n\n");
  const userText = user.map((section) => section.text).join("\n\n");
  return {
    system: systemText,
    messages: [{ role: "user", content: userText }],
    sections,
    totalTokens: sections.reduce((sum, section) => sum + section.tokens, 0),
  };
}
