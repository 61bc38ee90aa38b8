import fc from "fast-check";
import type { Sizes } from "../cost/cost-expr.js";
import { estimateCost } from "../cost/estimate-cost.js";
import { formatMessage, MESSAGES, type MessageId } from "../errors/codes.js";
import type { Diagnostic } from "../errors/diagnostic.js";
import type { SourceSpan } from "../errors/span.js";
import {
  descendants,
  type FnArity,
  type LoopNode,
  type Lowered,
  type Node,
  type Pattern,
  type ToolCallNode,
} from "../lisp/analyze/ir.js";
import { lowerProgram } from "../lisp/analyze/lower.js";
import type { Binding } from "../lisp/analyze/scope.js";
import type { Form } from "../lisp/ast/nodes.js";
import { childForms } from "../lisp/ast/walk.js";
import type { InlineOperator } from "../lisp/builtins/facts.js";
import type { BuiltinFn } from "../lisp/builtins/registry.js";
import type { Limits } from "../lisp/eval/budget.js";
import { parse } from "../lisp/parser/parse.js";
import { type CompileOptions, compile } from "../runtime/compile.js";
import type { Program } from "../runtime/program.js";
import { describeThrown } from "../runtime/tool-result.js";
import { inputArbitrary } from "../signature/arbitrary.js";
import { readSignature } from "../signature/parse-signature.js";
import type { Signature } from "../signature/types.js";
import type { Tool, ToolFunction, Tools } from "../tools/define-tool.js";
import { stubTool } from "../tools/stub-tool.js";
import { toolCallName, toolEntry } from "../tools/tool-names.js";

/** The outcome of one verifier. `code` names the failure (stable), `span` points into the program. */
export interface VerifyOutcome {
  readonly ok: boolean;
  readonly code?: string;
  readonly message?: string;
  readonly span?: SourceSpan;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What verifiers know besides the program. */
export interface VerifyContext {
  /** The agent's signature (its parameters are the `data/` inputs, its output the result). */
  readonly signature?: string | Signature;
  readonly tools?: Tools;
  /** Sizes for cost verifiers. */
  readonly sizes?: Sizes;
  readonly toolCosts?: Readonly<Record<string, number>>;
  /**
   * What the program did on each sample input, when it has been run (at compile time): its
   * output as JSON, or the error it failed with. LLM criteria judge these.
   */
  readonly sampleRuns?: readonly SampleRun[];
}

/** The program's outcome on one sample input. */
export interface SampleRun {
  readonly input: unknown;
  /** The output as JSON, when the run succeeded. */
  readonly output?: unknown;
  /** `[code] message` of the failure, when it did not. */
  readonly error?: string;
}

/** The program as verifiers see it: its source, and its parse. */
export interface VerifyTarget {
  readonly source: string;
  readonly forms: readonly Form[];
  readonly parseDiagnostics: readonly Diagnostic[];
}

/** A verifier: a plain (sync or async) function, optionally named. */
export type Verifier = ((target: VerifyTarget, context: VerifyContext) => VerifyOutcome | Promise<VerifyOutcome>) & {
  readonly verifierName?: string;
};

/** One verifier's result in a `verify` report. */
export interface VerifierResult extends VerifyOutcome {
  readonly verifier: string;
}

/** The report of `verify`: `ok` when every verifier passed; `failures` lists the others. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly results: readonly VerifierResult[];
  readonly failures: readonly VerifierResult[];
}

function named(
  name: string,
  fn: (target: VerifyTarget, context: VerifyContext) => VerifyOutcome | Promise<VerifyOutcome>,
): Verifier {
  return Object.assign(fn, { verifierName: name });
}

const PASS: VerifyOutcome = { ok: true };

function fail(code: string, message: string, span?: SourceSpan, details?: Record<string, unknown>): VerifyOutcome {
  return { ok: false, code, message, ...(span ? { span } : {}), ...(details ? { details } : {}) };
}

/** A failure worded by the catalog (errors/codes.ts). */
function failWith(
  id: MessageId,
  params: Readonly<Record<string, string | number>>,
  span?: SourceSpan,
  details?: Record<string, unknown>,
): VerifyOutcome {
  return fail(MESSAGES[id].code, formatMessage(id, params), span, details);
}

/**
 * Runs verifiers over a program and reports every result as data. A verifier that throws is
 * reported as a failure with code `verifier_error`; nothing is thrown.
 */
export async function verify(
  program: Program | string,
  verifiers: readonly Verifier[],
  context: VerifyContext = {},
): Promise<VerifyReport> {
  const source = typeof program === "string" ? program : program.source;
  const parsed = parse(source);
  const target: VerifyTarget = { source, forms: parsed.forms, parseDiagnostics: parsed.diagnostics };
  const results: VerifierResult[] = [];
  for (const verifier of verifiers) {
    const name = verifier.verifierName ?? (verifier.name || "custom");
    try {
      results.push({ verifier: name, ...(await verifier(target, context)) });
    } catch (error) {
      results.push({
        verifier: name,
        ...failWith("verifier_threw", { name, message: describeThrown(error) }),
      });
    }
  }
  const failures = results.filter((result) => !result.ok);
  return { ok: failures.length === 0, results, failures };
}

function firstError(diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  return diagnostics.find((d) => d.severity !== "warning");
}

function diagnosticFailure(diagnostic: Diagnostic, count: number): VerifyOutcome {
  return fail(
    diagnostic.code,
    count > 1 ? `${diagnostic.message} (and ${count - 1} more)` : diagnostic.message,
    diagnostic.span,
    {
      diagnostics: count,
    },
  );
}

/** The source reads without syntax errors. */
export const parses: Verifier = named("parses", (target) => {
  const error = firstError(target.parseDiagnostics);
  return error === undefined ? PASS : diagnosticFailure(error, target.parseDiagnostics.length);
});

/** The program analyzes: every name resolves, every form has its shape, arities match, tools exist. */
export const analyzes: Verifier = named("analyzes", (target, context) => {
  const result = compile(target.source, context.tools ? { tools: context.tools } : {});
  if (result.ok) return PASS;
  const errors = result.diagnostics.filter((d) => d.severity !== "warning");
  return diagnosticFailure(errors[0] as Diagnostic, errors.length);
});

/** The program type-checks against the context's signature and tools. */
export const typeChecks: Verifier = named("typeChecks", (target, context) => {
  if (context.signature === undefined) return failWith("verifier_needs_signature", { name: "typeChecks" });
  const options = {
    signature: context.signature,
    ...(context.tools ? { tools: context.tools } : {}),
  } as CompileOptions;
  const result = compile(target.source, options);
  if (result.ok) return PASS;
  const errors = result.diagnostics.filter((d) => d.severity !== "warning");
  return diagnosticFailure(errors[0] as Diagnostic, errors.length);
});

/** Tool names called anywhere in the forms (`tool/x`), with the span of each call. */
export function toolCallSites(forms: readonly Form[]): { name: string; span: SourceSpan }[] {
  const out: { name: string; span: SourceSpan }[] = [];
  const stack: Form[] = [...forms];
  while (stack.length > 0) {
    const form = stack.pop() as Form;
    const head = form.kind === "list" ? form.items[0] : undefined;
    if (head?.kind === "symbol" && head.ns === "tool") out.push({ name: head.name, span: form.span });
    stack.push(...childForms(form));
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** Only the listed tools are called. */
export function onlyTools(allowed: readonly string[]): Verifier {
  const names = new Set(allowed.flatMap((name) => [name, toolCallName(name)]));
  // The name carries the parameters: it keys compiled agents in the cache (DESIGN §9.4).
  return named(`onlyTools(${[...allowed].sort().join(",")})`, (target) => {
    const other = toolCallSites(target.forms).find((site) => !names.has(site.name));
    return other === undefined
      ? PASS
      : failWith("tool_not_allowed", { tool: other.name, allowed: allowed.join(", ") }, other.span);
  });
}

/** The estimated total cost (under the context's sizes and weights) is at most `limit`. */
export function maxCost(limit: number): Verifier {
  return named(`maxCost(${limit})`, (target, context) => {
    const estimate = estimateCost(target.source, {
      ...(context.tools ? { tools: context.tools } : {}),
      ...(context.sizes ? { sizes: context.sizes } : {}),
      ...(context.toolCosts ? { toolCosts: context.toolCosts } : {}),
    });
    return estimate.total <= limit
      ? PASS
      : failWith("cost_exceeded", { total: Number(estimate.total.toFixed(3)), limit }, undefined, {
          total: estimate.total,
          explanation: estimate.explain(),
        });
  });
}

const LOWERED = new WeakMap<VerifyTarget, Lowered>();

/** The target's analyzed program, lowered once for all the verifiers that walk it. */
function lowered(target: VerifyTarget): Lowered {
  let result = LOWERED.get(target);
  if (result === undefined) {
    // No tools are given: a call of an unknown tool is still a call (`analyzes` reports it).
    result = lowerProgram(target.forms, {});
    LOWERED.set(target, result);
  }
  return result;
}

/** The parameter names of an arity as written (`?` for a destructuring pattern). */
function parameterNames(arity: FnArity): string[] {
  const nameOf = (pattern: Pattern) => (pattern.kind === "name" ? pattern.binding.name : "?");
  const names = arity.params.map(nameOf);
  return arity.rest === null ? names : [...names, "&", nameOf(arity.rest)];
}

/**
 * The program is one `fn` whose parameters are the signature's inputs, in order (so it can be
 * compiled once and called many times).
 */
export const isFunction: Verifier = named("isFunction", (target, context) => {
  const [only, ...rest] = lowered(target).nodes;
  if (rest.length > 0 || only?.kind !== "fn" || only.literal) {
    // The form as written: a top-level macro's node has the span of what it expanded to.
    return failWith("program_not_a_function", {}, (target.forms[1] ?? target.forms[0])?.span);
  }
  const arity = only.arities[0];
  if (arity === undefined || only.arities.length > 1) return failWith("fn_not_single_arity", {}, only.span);
  const names = parameterNames(arity);
  if (context.signature !== undefined) {
    const read = readSignature(context.signature);
    const expected = read.ok ? (read.signature.params ?? []).map((param) => param.name) : undefined;
    if (expected !== undefined && expected.join(",") !== names.join(",")) {
      return failWith("parameter_mismatch", { names: names.join(" "), expected: expected.join(" ") }, arity.span);
    }
  }
  return PASS;
});

function loops(nodes: readonly Node[]): LoopNode[] {
  return [...descendants(nodes)].filter((node): node is LoopNode => node.kind === "loop");
}

function toolCalls(nodes: readonly Node[]): ToolCallNode[] {
  return [...descendants(nodes)].filter((node): node is ToolCallNode => node.kind === "tool");
}

/** The comparisons (`<`, `<=`, `>`, `>=`) by the inline number operator they declare. */
const COMPARISONS: ReadonlySet<InlineOperator | undefined> = new Set<InlineOperator>([
  "less",
  "less-or-equal",
  "greater",
  "greater-or-equal",
]);

function isComparison(builtin: BuiltinFn): boolean {
  return builtin.spec.ordering !== undefined || COMPARISONS.has(builtin.spec.inline);
}

function isNumber(node: Node | undefined): boolean {
  return node?.kind === "const" && typeof node.value === "number";
}

/** A loop is bounded when a numeric counter is compared against a constant limit. */
function isBounded(loop: LoopNode): boolean {
  const counters = new Set<Binding>();
  for (const step of loop.bindings)
    if (step.pattern.kind === "name" && isNumber(step.init)) counters.add(step.pattern.binding);
  const isCounter = (node: Node | undefined) => node?.kind === "local" && counters.has(node.binding);
  for (const node of descendants(loop.body)) {
    if (node.kind !== "builtin-call" || !isComparison(node.builtin)) continue;
    const [left, right] = node.args;
    if ((isCounter(left) && isNumber(right)) || (isCounter(right) && isNumber(left))) return true;
  }
  return false;
}

function toolKind(tools: Tools | undefined, name: string): unknown {
  const tool = toolEntry(tools, name);
  return tool !== undefined && typeof tool === "object" ? (tool as { kind?: unknown }).kind : undefined;
}

/**
 * The program is an agentic loop: a `loop`/`recur` around at least one LLM or sub-agent tool
 * call (tools with `kind: "llm"` or `"agent"`), with a bounded iteration count.
 */
export const isLoop: Verifier = named("isLoop", (target, context) => {
  const found = loops(lowered(target).nodes);
  if (found.length === 0) return failWith("not_a_loop", {});
  for (const loop of found) {
    const calls = toolCalls(loop.body).filter((site) => {
      const kind = toolKind(context.tools, site.name);
      return kind === "llm" || kind === "agent";
    });
    if (calls.length === 0) continue;
    if (!isBounded(loop)) return failWith("unbounded_loop", {}, loop.span);
    return PASS;
  }
  return failWith("no_llm_call_in_loop", {}, found[0]?.span);
});

/** Options of `propertyCheck`. */
export interface PropertyCheckOptions {
  /** Generated inputs to try. Default 50. */
  readonly runs?: number;
  /** Seed of the inputs and of the stub tools' results. Default 0. */
  readonly seed?: number;
  /** Budgets of each run. Default: the run defaults. */
  readonly limits?: Limits;
}

function isTool(value: unknown): value is Tool {
  return value !== null && typeof value === "object" && "signature" in value && "execute" in value;
}

/** Stub tools generated from each tool's output signature (tools without one return nil). */
function stubTools(tools: Tools | undefined, seed: number): Record<string, Tool | ToolFunction> {
  const stubs: Record<string, Tool | ToolFunction> = {};
  for (const [name, tool] of Object.entries(tools ?? {})) {
    const stub = isTool(tool) ? stubTool(tool.signature, { seed, name }) : () => null;
    Object.defineProperty(stubs, name, { value: stub, enumerable: true, writable: true, configurable: true });
  }
  return stubs;
}

/**
 * Property-based check: inputs generated from the signature's parameters, every tool stubbed
 * from its output signature, the program run under limits. Fails with the shrunk
 * counterexample when a run fails or returns a value that does not validate against the
 * signature's output.
 */
export function propertyCheck(options: PropertyCheckOptions = {}): Verifier {
  return named(`propertyCheck(runs=${options.runs ?? 50},seed=${options.seed ?? 0})`, async (target, context) => {
    if (context.signature === undefined) return failWith("verifier_needs_signature", { name: "propertyCheck" });
    const seed = options.seed ?? 0;
    const tools = stubTools(context.tools, seed);
    const compiled = compile(target.source, { signature: context.signature, tools });
    if (!compiled.ok) {
      const errors = compiled.diagnostics.filter((d) => d.severity !== "warning");
      return diagnosticFailure(errors[0] as Diagnostic, errors.length);
    }
    const program = compiled.program;
    let failure: Diagnostic | undefined;
    const property = fc.asyncProperty(inputArbitrary(context.signature), async (input) => {
      const result = await program.run({ data: input, tools, ...(options.limits ? { limits: options.limits } : {}) });
      if (!result.ok) failure = result.error;
      return result.ok;
    });
    const outcome = await fc.check(property, { numRuns: options.runs ?? 50, seed });
    if (!outcome.failed) return PASS;
    const counterexample = outcome.counterexample?.[0];
    const error = failure;
    return failWith(
      "property_failed",
      {
        value: JSON.stringify(counterexample) ?? "undefined",
        detail: error ? `: [${error.code}] ${error.message}` : "",
      },
      error?.span,
      { counterexample, runs: outcome.numRuns, shrinks: outcome.numShrinks, ...(error ? { error } : {}) },
    );
  });
}
