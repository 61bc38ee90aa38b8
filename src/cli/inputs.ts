/**
 * The inputs of the program commands, read from flags and files: `--data`, `--limit`, `--size`,
 * `--signature` and `--tools` (JSON declarations stubbed from their signatures, or a module's
 * default export). Each fault is a one-line `CliFailure`.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  DEFAULT_LIMITS,
  defineTool,
  type Limits,
  parseSignature,
  type Signature,
  stubTool,
  type ToolDefinition,
  type Tools,
} from "../index.js";
import { CliFailure, type CliIo, EXIT_FAILURE, EXIT_USAGE } from "./io.js";

/** `--size orders=1000` flags to sizes. */
export function parseSizes(specs: readonly string[] | undefined): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const spec of specs ?? []) {
    const at = spec.lastIndexOf("=");
    const name = spec.slice(0, at);
    const value = Number(spec.slice(at + 1));
    if (at <= 0 || !Number.isFinite(value) || value < 0) {
      throw new CliFailure(`--size ${spec}: expected name=<non-negative number>`, EXIT_USAGE);
    }
    Object.defineProperty(sizes, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return sizes;
}

/**
 * `--tools FILE`: a JavaScript module (.js, .mjs, .cjs; .ts, .mts, .cts through the user's own
 * loader) whose default export is a tools object, or a JSON file of declarations
 * `{name: {signature, description, input, output, cost, kind}}`, each a stub answering values of
 * its output type, so programs can be checked, costed and run offline.
 */
export async function loadTools(path: string, io: CliIo): Promise<Tools> {
  if (/\.[mc]?[jt]s$/.test(path)) return importTools(path);
  const text = await readText(path, io);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliFailure(`${path}: not JSON: ${error instanceof Error ? error.message : String(error)}`, EXIT_FAILURE);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new CliFailure(`${path}: expected an object of tool declarations`, EXIT_FAILURE);
  }
  const tools: Record<string, ToolDefinition> = {};
  for (const [name, declaration] of Object.entries(json as Record<string, unknown>)) {
    const fields =
      declaration !== null && typeof declaration === "object" ? (declaration as Record<string, unknown>) : {};
    const text = (key: string) => (typeof fields[key] === "string" ? (fields[key] as string) : undefined);
    const kind =
      fields["kind"] === "llm" || fields["kind"] === "agent" || fields["kind"] === "tool" ? fields["kind"] : undefined;
    const description = text("description");
    let tool: ToolDefinition;
    try {
      const signature =
        text("signature") ??
        defineTool({
          name,
          ...(text("input") === undefined ? {} : { input: text("input") as string }),
          ...(text("output") === undefined ? {} : { output: text("output") as string }),
          execute: () => null,
        }).signature;
      const stub = stubTool(signature, { name, ...(description === undefined ? {} : { description }) });
      tool = defineTool({
        name,
        ...(description === undefined ? {} : { description }),
        ...(stub.input === undefined ? {} : { input: stub.input }),
        ...(stub.output === undefined ? {} : { output: stub.output }),
        ...(typeof fields["cost"] === "number" ? { cost: fields["cost"] } : {}),
        ...(kind === undefined ? {} : { kind }),
        execute: stub.execute,
      });
    } catch (error) {
      throw new CliFailure(
        `${path}: tool ${name}: ${error instanceof Error ? error.message : String(error)}`,
        EXIT_FAILURE,
      );
    }
    Object.defineProperty(tools, name, { value: tool, enumerable: true, writable: true, configurable: true });
  }
  return tools;
}

async function importTools(path: string): Promise<Tools> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CliFailure(
      `cannot load ${path}: ${error instanceof Error ? error.message : String(error)}`,
      EXIT_FAILURE,
    );
  }
  const tools = module["default"];
  if (tools === null || typeof tools !== "object" || Array.isArray(tools)) {
    throw new CliFailure(`${path}: the default export is not a tools object`, EXIT_FAILURE);
  }
  return tools as Tools;
}

/** `--signature`, parsed; text that does not parse is a one-line failure. */
export function parseSignatureFlag(text: string | undefined): Signature | undefined {
  if (text === undefined) return undefined;
  const parsed = parseSignature(text);
  if (parsed.ok) return parsed.signature;
  const [first] = parsed.diagnostics;
  const where = first?.span ? ` (column ${first.span.column})` : "";
  throw new CliFailure(
    `--signature ${JSON.stringify(text)}: ${(first?.message ?? "does not parse").replace(/^signature: /, "")}${where}`,
    EXIT_FAILURE,
  );
}

/** Parses `--data`: a JSON file, or standard input for `-`. Absent means `null`. */
export async function loadData(path: string | undefined, io: CliIo): Promise<unknown> {
  if (path === undefined) return null;
  const text = path === "-" ? await readStream(io.stdin) : await readText(path, io);
  try {
    return JSON.parse(text);
  } catch (error) {
    const name = path === "-" ? "standard input" : path;
    throw new CliFailure(
      `--data ${name} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      EXIT_FAILURE,
    );
  }
}

/** Parses repeated `--limit name=n` flags into Limits. */
export function parseLimits(specs: readonly string[] | undefined): Limits | undefined {
  if (specs === undefined || specs.length === 0) return undefined;
  const limits: Record<string, number> = {};
  for (const spec of specs) {
    const match = /^([A-Za-z]+)=(.+)$/.exec(spec);
    const name = match?.[1];
    const value = Number(match?.[2]?.replace(/_/g, ""));
    if (name === undefined || !Object.hasOwn(DEFAULT_LIMITS, name)) {
      throw new CliFailure(
        `--limit ${spec}: the name must be one of ${Object.keys(DEFAULT_LIMITS).join(", ")}`,
        EXIT_USAGE,
      );
    }
    if (!Number.isFinite(value) || value < 0) {
      throw new CliFailure(`--limit ${spec}: the value must be a non-negative number`, EXIT_USAGE);
    }
    limits[name] = value;
  }
  return limits;
}

export async function readText(path: string, io: CliIo): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliFailure(`cannot read ${path}: ${reason}`, EXIT_FAILURE);
  }
}

export async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}
