import type { z } from "zod";
import { formatMessage } from "../errors/codes.js";
import { LispError, makeDiagnostic, SignatureError } from "../errors/errors.js";
import { coerce, summarizeErrors, validate } from "../signature/check-value.js";
import { parseInput, parseType } from "../signature/parse-signature.js";
import { renderType } from "../signature/print-signature.js";
import type { RecordType, Signature, Type } from "../signature/types.js";
import { typeFromZod, zodParams } from "../signature/zod.js";
import { toolEntry, toolKey } from "./tool-names.js";

export { toolNames } from "./tool-names.js";

/** What a tool function receives besides its arguments. */
export interface ToolCallContext {
  /** Aborted when the run is cancelled or the tool call times out. */
  readonly signal: AbortSignal;
  /**
   * What the run's caller passed as `RunOptions.toolScope`, as given. An agent passes its model
   * budget here, so that an agent run by a tool counts toward it (see `parentBudget`).
   */
  readonly scope?: Readonly<Record<string, unknown>>;
}

/**
 * A tool: an async (or sync) function of one JSON object. Its arguments arrive with
 * snake_case keys; its result must be JSON-compatible and enters the program as data.
 */
export type ToolFunction = (args: Record<string, unknown>, context: ToolCallContext) => unknown;

/**
 * A tool with a description (shown to models) and, when made by `defineTool`, its contract:
 * calls are coerced and validated against `input` before `execute` runs, and results are
 * validated against `output`; a mismatch fails the call with `validation_error`.
 */
export interface ToolDefinition {
  readonly execute: ToolFunction;
  readonly description?: string;
  /** The tool's name, for prompts and messages (programs call it by its key in `Tools`). */
  readonly name?: string;
  /** The record of its arguments (field names as the tool receives them, snake_case). */
  readonly input?: RecordType;
  /** The type of its result. */
  readonly output?: Type;
  /** Relative cost of one call, for cost estimates. Default 1 (10 for `kind: "llm"`). */
  readonly cost?: number;
  /** What the tool is: an LLM call or a sub-agent weighs more in cost estimates and makes a program an agentic loop (`isLoop`). Default `tool`. */
  readonly kind?: "tool" | "llm" | "agent";
  /**
   * What calling it does to the world. `read`: nothing (safe to call again, and to call while
   * verifying candidates); `write`: something (stubbed from its signature at compile time, and
   * an agent never runs another program after it ran). Default `write`, the safe reading.
   */
  readonly effects?: ToolEffects;
}

/** What a tool's calls do besides returning: `read` changes nothing, `write` changes something. */
export type ToolEffects = "read" | "write";

/** The arguments `execute` receives for an `input`: the zod schema's output type, else JSON by name. */
export type ToolInput<I> = I extends z.ZodType ? z.output<I> : Record<string, unknown>;
/** What `execute` may return for an `output`: the zod schema's input type, else any JSON. */
export type ToolOutput<O> = O extends z.ZodType ? z.input<O> : unknown;

/**
 * What `defineTool` takes. `input` and `output` are signature text, zod schemas, or parsed
 * types; with zod schemas, `execute` is typed from them.
 */
export interface ToolSpec<
  I extends string | z.ZodType | RecordType | undefined = string | z.ZodType | RecordType | undefined,
  O extends string | z.ZodType | Type | undefined = string | z.ZodType | Type | undefined,
> {
  readonly name: string;
  readonly description?: string;
  /**
   * The arguments: a parameter list `(query :string, limit :int?)`, a record type
   * `{query :string}`, a `z.object(...)`, or a parsed record type. Omit for no checking.
   */
  readonly input?: I;
  /** The result: a type (`[{id :int}]`), a zod schema, or a parsed type. Omit for no checking. */
  readonly output?: O;
  /** The tool's work: gets the checked (and coerced) arguments, returns JSON data (or a promise of it). */
  readonly execute: (args: ToolInput<I>, context: ToolCallContext) => ToolOutput<O> | Promise<ToolOutput<O>>;
  /** Relative cost of one call, for cost estimates. Default 1 (10 for `kind: "llm"`). */
  readonly cost?: number;
  /** An LLM call or a sub-agent (see ToolDefinition.kind). Default `tool`. */
  readonly kind?: "tool" | "llm" | "agent";
  /** What its calls do besides returning (see ToolDefinition.effects). Default `write`. */
  readonly effects?: ToolEffects;
}

/** A tool made by `defineTool`: a ToolDefinition with its name and its signature `(input) -> output`. */
export interface Tool extends ToolDefinition {
  readonly name: string;
  readonly signature: Signature;
}

function isZod(value: unknown): value is z.ZodType {
  return value !== null && typeof value === "object" && "_zod" in value;
}

function toolInput(name: string, input: ToolSpec["input"]): RecordType | undefined {
  if (input === undefined) return undefined;
  if (typeof input === "string") {
    const parsed = parseInput(input);
    if (!parsed.ok) throw new SignatureError(input, parsed.diagnostics);
    return parsed.type as RecordType;
  }
  if (isZod(input)) return { kind: "record", fields: zodParams(input) };
  if (input.kind !== "record") {
    throw new SignatureError(name, [
      makeDiagnostic("signature_invalid", { reason: `the input of tool ${name} must be a record type` }),
    ]);
  }
  return input;
}

function toolOutput(output: ToolSpec["output"]): Type | undefined {
  if (output === undefined) return undefined;
  if (typeof output === "string") {
    const parsed = parseType(output);
    if (!parsed.ok) throw new SignatureError(output, parsed.diagnostics);
    return parsed.type;
  }
  return isZod(output) ? typeFromZod(output) : output;
}

/**
 * Defines a tool with a contract. Programs call it as `(tool/name {...})` once it is passed
 * in `tools` under its name; `compile` checks the calls against `input` and types the results
 * as `output`, and every call at run time is checked (see ToolDefinition). Throws
 * `SignatureError` when `input` or `output` is signature text that does not parse.
 */
export function defineTool<
  I extends string | z.ZodType | RecordType | undefined = undefined,
  O extends string | z.ZodType | Type | undefined = undefined,
>(spec: ToolSpec<I, O>): Tool {
  const input = toolInput(spec.name, spec.input);
  const output = toolOutput(spec.output);
  const params = input === undefined ? null : input.fields.map((field) => ({ ...field }));
  return Object.freeze({
    name: spec.name,
    // The contract checks the arguments before `execute` sees them (see withContract).
    execute: spec.execute as ToolFunction,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(input === undefined ? {} : { input }),
    ...(output === undefined ? {} : { output }),
    ...(spec.cost === undefined ? {} : { cost: spec.cost }),
    ...(spec.kind === undefined ? {} : { kind: spec.kind }),
    ...(spec.effects === undefined ? {} : { effects: spec.effects }),
    signature: { params, output: output ?? { kind: "primitive", name: "any" } },
  });
}

/** Tool arguments reach tools with snake_case keys; so are the field names of the input they are checked against. */
function snakeCase(type: Type): Type {
  switch (type.kind) {
    case "record":
      return {
        ...type,
        fields: type.fields.map((field) => ({
          ...field,
          name: toolKey(field.name),
          type: snakeCase(field.type),
        })),
      };
    case "list":
    case "set":
      return { ...type, element: snakeCase(type.element) };
    case "optional":
      return { ...type, type: snakeCase(type.type) };
    case "union":
      return { ...type, members: type.members.map(snakeCase) };
    default:
      return type;
  }
}

/** A tool's contract was broken; the program sees a catchable tool error with code `validation_error`. */
function contractError(message: string, tool: string, errors: readonly unknown[]): LispError {
  return new LispError("validation_error", "tool", message, { details: { tool, errors } });
}

const enforced = new WeakMap<ToolDefinition, ToolFunction>();

/** The tool function wrapped with its contract checks (arguments coerced then validated strictly, results leniently). */
function withContract(name: string, definition: ToolDefinition): ToolFunction {
  let wrapped = enforced.get(definition);
  if (wrapped !== undefined) return wrapped;
  const input = definition.input === undefined ? undefined : snakeCase(definition.input);
  const output = definition.output;
  wrapped = async (args, context) => {
    let checked = args;
    if (input !== undefined) {
      const result = coerce(input, args, { mode: "strict" });
      if (result.errors.length > 0) {
        throw contractError(
          formatMessage("tool_arguments_invalid", {
            name,
            signature: renderType(input),
            errors: summarizeErrors(result.errors),
          }),
          name,
          result.errors,
        );
      }
      checked = result.value as Record<string, unknown>;
    }
    const value = await definition.execute(checked, context);
    if (output !== undefined) {
      const result = validate(output, value === undefined ? null : value, { mode: "lenient" });
      if (!result.ok) {
        throw contractError(
          formatMessage("tool_result_invalid", {
            name,
            signature: renderType(output),
            errors: summarizeErrors(result.errors),
          }),
          name,
          result.errors,
        );
      }
    }
    return value;
  };
  enforced.set(definition, wrapped);
  return wrapped;
}

/** What a tool's calls do (`ToolDefinition.effects`): `write` unless it is declared `read`. */
export function toolEffects(tools: Tools | undefined, name: string): ToolEffects {
  return resolveToolDefinition(tools, name)?.effects === "read" ? "read" : "write";
}

/** The definition registered for a tool name (as written, then snake_case), when it is one. */
export function resolveToolDefinition(tools: Tools | undefined, name: string): ToolDefinition | undefined {
  const tool = toolEntry(tools, name);
  return tool !== null && typeof tool === "object" && typeof tool.execute === "function" ? tool : undefined;
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
  const tool = toolEntry(tools, name);
  if (typeof tool === "function") return tool;
  if (tool !== null && typeof tool === "object" && typeof tool.execute === "function") {
    return tool.input === undefined && tool.output === undefined ? tool.execute : withContract(name, tool);
  }
  return undefined;
}
