/**
 * The compiled agent's artifact as JSON: sealing it with its content hash, reading it back
 * (shape, format version and hash checked), and the tool contracts it records (DESIGN §9.4).
 */
import { z } from "zod";
import { formatMessage, type MessageId } from "../../errors/codes.js";
import { LispError } from "../../errors/errors.js";
import { type HostFiles, hostFiles } from "../../internal/files.js";
import { canonicalJson } from "../../llm/cassette.js";
import { renderSignature } from "../../signature/print-signature.js";
import { ANY, type Signature } from "../../signature/types.js";
import { resolveToolDefinition, type ToolDefinition, type Tools, toolEffects } from "../../tools/define-tool.js";
import { toolEntry } from "../../tools/tool-names.js";
import { COMPILED_FORMAT_VERSION, type CompiledAgentData, type CompiledToolContract } from "./types.js";

/** How an artifact is named in messages when it did not come from a file. */
export const JSON_ORIGIN = "(JSON)";

/** The fields the hash leaves out: they describe the compilation, not the program. */
const UNHASHED = new Set(["hash", "createdAt", "usage"]);

/** SHA-256 (lowercase hex) of text, through WebCrypto so it is the same in Node and browsers. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The content hash of an artifact: SHA-256 of the canonical JSON of every field but `hash`, `createdAt`, `usage`. */
export function artifactHash(content: Readonly<Record<string, unknown>>): Promise<string> {
  const hashed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(content)) if (!UNHASHED.has(name)) hashed[name] = value;
  return sha256Hex(canonicalJson(hashed));
}

/** The artifact with its `hash` computed from its content. */
export async function sealArtifact(unsealed: Omit<CompiledAgentData, "hash">): Promise<CompiledAgentData> {
  const hash = await artifactHash(unsealed as Readonly<Record<string, unknown>>);
  return { ...unsealed, hash };
}

/** A `compiled_agent_invalid` error worded by the catalog. */
export function invalidArtifact(
  id: MessageId,
  params: Readonly<Record<string, string | number>>,
  details: Record<string, unknown> = {},
  cause?: unknown,
): LispError {
  return new LispError("compiled_agent_invalid", "agent", formatMessage(id, params), {
    details: { ...params, ...details },
    ...(cause === undefined ? {} : { cause }),
  });
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The artifact's schema, built on first use (building it is most of this module's load time). */
function artifactSchema() {
  const count = z.number().int().nonnegative();
  const contractSchema = z.object({
    signature: z.string(),
    kind: z.enum(["tool", "llm", "agent"]),
    effects: z.enum(["read", "write"]),
    description: z.string().optional(),
  });
  // Loose objects: fields this version does not know are kept and covered by the hash, not dropped.
  return z.looseObject({
    formatVersion: z.literal(COMPILED_FORMAT_VERSION),
    name: z.string().min(1),
    description: z.string().optional(),
    source: z.string(),
    signature: z.string().min(1),
    tools: z.record(z.string(), contractSchema),
    llmRequired: z.boolean(),
    hash: z.string().regex(HEX64, "expected 64 lowercase hex digits"),
    key: z.string().regex(HEX64, "expected 64 lowercase hex digits").nullable(),
    model: z.looseObject({ provider: z.string(), modelId: z.string(), params: z.record(z.string(), z.unknown()) }),
    strategy: z.record(z.string(), z.unknown()),
    verification: z.looseObject({
      results: z.array(z.looseObject({ verifier: z.string(), ok: z.boolean(), message: z.string().optional() })),
      samples: count,
      propertyRuns: count,
    }),
    cost: z.looseObject({
      total: z.number(),
      toolCalls: z.record(z.string(), z.string()),
      custom: z.number().optional(),
    }),
    usage: z.looseObject({
      modelCalls: count,
      inputTokens: count,
      outputTokens: count,
      ms: z.number().nonnegative(),
      candidates: count,
    }),
    createdAt: z.string(),
    library: z.looseObject({ version: z.string(), languageRevision: z.string() }),
  });
}

let schema: ReturnType<typeof artifactSchema> | undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Reads an artifact (parsed JSON) back: checks its format version, the shape of every field,
 * and that its `hash` is the hash of its content. `origin` (a file path) names it in messages.
 * Throws `LispError` (`compiled_agent_invalid`) saying what is wrong: the field, the version,
 * or that the hash does not match (the file was changed).
 */
export async function readArtifact(json: unknown, origin: string = JSON_ORIGIN): Promise<CompiledAgentData> {
  if (!isRecord(json)) {
    throw invalidArtifact("compiled_agent_field", {
      origin,
      field: "(the whole artifact)",
      reason: "expected an object",
    });
  }
  if (json["formatVersion"] !== COMPILED_FORMAT_VERSION) {
    throw invalidArtifact("compiled_agent_format", {
      origin,
      found: canonicalJson(json["formatVersion"] ?? null),
      expected: COMPILED_FORMAT_VERSION,
    });
  }
  schema ??= artifactSchema();
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined || issue.path.length === 0 ? "(the whole artifact)" : issue.path.join(".");
    throw invalidArtifact(
      "compiled_agent_field",
      { origin, field, reason: issue?.message ?? "invalid" },
      { issues: parsed.error.issues.map((each) => ({ path: each.path.map(String), message: each.message })) },
    );
  }
  const computed = await artifactHash(json);
  if (computed !== json["hash"]) {
    throw invalidArtifact("compiled_agent_tampered", { origin }, { recorded: json["hash"], computed });
  }
  // The validated input itself, so that the hash keeps covering exactly what was read.
  return json as unknown as CompiledAgentData;
}

/** The installed file system, or `node_required` saying `what` needed it and what to do `instead` in ptc-lisp/core. */
export function requireFiles(what: string, instead: string): HostFiles {
  const files = hostFiles();
  if (files === undefined) {
    throw new LispError("node_required", "agent", formatMessage("files_need_node", { what, instead }));
  }
  return files;
}

/** The text an artifact is written as: pretty JSON and a final newline. */
export function artifactText(data: CompiledAgentData): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

const UNDECLARED: Signature = { params: [], open: true, output: ANY };

/** `(input) -> output` of a tool definition; `(...) -> :any` for what it does not declare. */
function signatureText(definition: ToolDefinition | undefined): string {
  if (definition === undefined) return renderSignature(UNDECLARED);
  const declared = (definition as { readonly signature?: unknown }).signature;
  const signature: Signature =
    isRecord(declared) && "output" in declared
      ? (declared as unknown as Signature)
      : { params: definition.input?.fields ?? null, output: definition.output ?? ANY };
  return renderSignature(signature.params === null ? { ...signature, params: [], open: true } : signature);
}

/** The contract of the tool registered under `name` (as written, then snake_case), or undefined. */
export function contractOfTool(tools: Tools, name: string): CompiledToolContract | undefined {
  const entry = toolEntry(tools, name);
  if (entry === undefined) return undefined;
  const definition = resolveToolDefinition(tools, name);
  return {
    signature: signatureText(definition),
    kind: definition?.kind ?? "tool",
    effects: toolEffects(tools, name),
    ...(definition?.description === undefined ? {} : { description: definition.description }),
  };
}

/**
 * Each tool's contract, by the name it is registered under: its signature as text (`(...) ->
 * :any` for a plain function or what a definition leaves undeclared), its kind (default
 * `tool`), its effects (default `write`) and its description.
 */
export function contractOf(tools: Tools | undefined): Record<string, CompiledToolContract> {
  const contracts: Record<string, CompiledToolContract> = {};
  for (const name of Object.keys(tools ?? {}).sort()) {
    const contract = contractOfTool(tools as Tools, name);
    if (contract !== undefined) contracts[name] = contract;
  }
  return contracts;
}
