import { compile, evaluate, printValue, type RunResult, type Tools } from "../../src/index.js";
import type { Form } from "../../src/lisp/ast/nodes.js";
import { parse } from "../../src/lisp/parser/parse.js";
import {
  Fn,
  Keyword,
  LazySeq,
  LMap,
  PList,
  PMap,
  PSet,
  PVector,
  Regex,
  Sym,
  type Value,
  Var,
} from "../../src/lisp/values/value.js";

/** One case of the conformance suite (test/conformance/SUITE.md, "Case fields"). */
export interface Case {
  readonly id: string;
  readonly program: string;
  readonly context: Record<string, unknown>;
  readonly tools?: Record<
    string,
    { returns?: unknown; throws?: string; returns_by_args?: { args: unknown; returns: unknown }[] }
  >;
  readonly memory?: Record<string, unknown>;
  readonly turn_history?: unknown[];
  readonly options?: Record<string, unknown>;
  readonly expected?: string;
  readonly error?: string;
  readonly fail_value?: string;
  readonly signal?: string;
  readonly unordered?: boolean;
  readonly prints?: string[];
  readonly expected_tool_calls?: { name: string; args: string }[];
  readonly skip?: string;
  readonly class: string;
}

/** Options this runner does not implement yet, with the reason reported for skipped cases. */
const UNSUPPORTED_OPTIONS: Record<string, string> = {};

export function skipReason(testCase: Case): string | undefined {
  if (testCase.skip) return testCase.skip;
  for (const key of Object.keys(testCase.options ?? {})) {
    const reason = UNSUPPORTED_OPTIONS[key];
    if (reason) return reason;
  }
  return undefined;
}

function readEdn(text: string): Form {
  const parsed = parse(text.replace(/#fn\b/g, "__any_fn__"));
  if (parsed.diagnostics.length > 0 || parsed.forms.length !== 1) {
    throw new Error(`cannot read expected EDN ${text}: ${parsed.diagnostics.map((d) => d.message).join("; ")}`);
  }
  return parsed.forms[0] as Form;
}

function items(value: Value): Value[] | undefined {
  if (value instanceof PVector || value instanceof PList || value instanceof LazySeq) return [...value];
  return undefined;
}

function matchAll(actual: Value[], expected: readonly Form[], unordered: boolean): boolean {
  if (actual.length !== expected.length) return false;
  if (!unordered) return expected.every((form, i) => matches(actual[i] as Value, form, unordered));
  const used = new Set<number>();
  return expected.every((form) => {
    const index = actual.findIndex((value, i) => !used.has(i) && matches(value, form, unordered));
    if (index < 0) return false;
    used.add(index);
    return true;
  });
}

/** Structural comparison of a value with expected EDN, under the suite's comparison rules. */
export function matches(actual: Value, form: Form, unordered = false): boolean {
  switch (form.kind) {
    case "nil":
      return actual === null;
    case "boolean":
      return actual === form.value;
    case "number":
      return (
        typeof actual === "number" && (actual === form.value || (Number.isNaN(actual) && Number.isNaN(form.value)))
      );
    case "string":
    case "char":
      return actual === form.value;
    case "keyword":
      return actual instanceof Keyword && actual.fqn === (form.ns ? `${form.ns}/${form.name}` : form.name);
    case "symbol":
      if (form.name === "__any_fn__") return actual instanceof Fn;
      return actual instanceof Sym && actual.fqn === (form.ns ? `${form.ns}/${form.name}` : form.name);
    case "regex":
      return actual instanceof Regex && actual.source === form.pattern;
    case "list":
      if (form.sugar === "var") {
        const name = form.items[1];
        return actual instanceof Var && name?.kind === "symbol" && actual.name === name.name;
      }
      return matchSequential(actual, form.items, unordered);
    case "vector":
      return matchSequential(actual, form.items, unordered);
    case "set":
      return actual instanceof PSet && matchAll([...actual], form.items, true);
    case "map": {
      if (!(actual instanceof LMap) || actual.count * 2 !== form.items.length) return false;
      const entries = [...actual.entries()];
      const used = new Set<number>();
      for (let i = 0; i < form.items.length; i += 2) {
        const k = form.items[i] as Form;
        const v = form.items[i + 1] as Form;
        const index = entries.findIndex(
          ([ak, av], j) => !used.has(j) && matches(ak, k, unordered) && matches(av, v, unordered),
        );
        if (index < 0) return false;
        used.add(index);
      }
      return true;
    }
    case "fn-literal":
      return false;
  }
}

function matchSequential(actual: Value, expected: readonly Form[], unordered: boolean): boolean {
  const values = items(actual);
  return values !== undefined && matchAll(values, expected, unordered);
}

/** JSON as EDN data with string keys (how the suite writes tool arguments). */
function jsonValue(json: unknown): Value {
  if (json === null || json === undefined) return null;
  if (Array.isArray(json)) return PVector.from(json.map(jsonValue));
  if (typeof json === "object") {
    let map = PMap.EMPTY;
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) map = map.assoc(k, jsonValue(v));
    return map;
  }
  return json as Value;
}

function roundFloats(value: Value, digits: number): Value {
  if (typeof value === "number" && Number.isFinite(value) && !Number.isInteger(value)) {
    const factor = 10 ** digits;
    return Math.round(value * factor) / factor;
  }
  if (value instanceof PVector) return PVector.from(value.toArray().map((v) => roundFloats(v, digits)));
  if (value instanceof PList) return PList.from(value.items.map((v) => roundFloats(v, digits)));
  if (value instanceof LMap) {
    let map = PMap.EMPTY;
    for (const [k, v] of value.entries()) map = map.assoc(k, roundFloats(v, digits));
    return map;
  }
  return value;
}

function toolsFor(testCase: Case): Tools {
  const tools: Record<string, (args: Record<string, unknown>) => unknown> = {};
  for (const [name, spec] of Object.entries(testCase.tools ?? {})) {
    tools[name] = (args) => {
      if (spec.throws !== undefined) throw new Error(spec.throws);
      if (spec.returns_by_args) {
        const row = spec.returns_by_args.find((r) => JSON.stringify(r.args) === JSON.stringify(args));
        if (!row) throw new Error(`harness: no row for ${name} ${JSON.stringify(args)}`);
        return row.returns;
      }
      return spec.returns ?? null;
    };
  }
  return tools;
}

/** Whether the program reads a predefined global: memory, or `*1`..`*3`. */
function usesGlobals(testCase: Case): boolean {
  return Object.keys(testCase.memory ?? {}).length > 0 || /\*[123]/.test(testCase.program);
}

function globalsFor(testCase: Case): Record<string, unknown> {
  const globals: Record<string, unknown> = { ...(testCase.memory ?? {}) };
  const history = testCase.turn_history ?? [];
  ["*1", "*2", "*3"].forEach((name, i) => {
    globals[name] = history.length > i ? history[history.length - 1 - i] : null;
  });
  return globals;
}

/** Why a result does not satisfy its case, or undefined when it does. */
export function check(testCase: Case, result: RunResult): string | undefined {
  const describe = () =>
    result.ok ? `value ${printForDebug(result.value)}` : `error ${result.error.code}: ${result.error.message}`;
  if (testCase.error !== undefined) {
    if (result.ok) return `expected error ${testCase.error}, got ${describe()}`;
    if (result.error.code !== testCase.error) return `expected error ${testCase.error}, got ${describe()}`;
    if (testCase.error === "fail" && testCase.fail_value !== undefined) {
      if (!matches(result.value ?? null, readEdn(testCase.fail_value), testCase.unordered))
        return `fail value differs: ${printForDebug(result.value ?? null)}`;
    }
    return undefined;
  }
  if (!result.ok) return `expected ${testCase.expected}, got ${describe()}`;
  let value = result.value;
  const precision = testCase.options?.["float_precision"];
  if (typeof precision === "number") value = roundFloats(value, precision);
  if (!matches(value, readEdn(testCase.expected ?? "nil"), testCase.unordered))
    return `expected ${testCase.expected}, got ${describe()}`;
  if (testCase.signal === "return" && result.signal !== "return") return "expected the value to come from (return v)";
  if (testCase.prints !== undefined) {
    const max = testCase.options?.["max_print_length"];
    const prints = result.prints.map((line) =>
      typeof max === "number" && line.length > max ? `${line.slice(0, max)}...` : line,
    );
    if (JSON.stringify(prints) !== JSON.stringify(testCase.prints))
      return `prints ${JSON.stringify(prints)}, expected ${JSON.stringify(testCase.prints)}`;
  }
  if (testCase.expected_tool_calls !== undefined) {
    const calls = result.toolCalls;
    if (calls.length !== testCase.expected_tool_calls.length)
      return `made ${calls.length} tool calls, expected ${testCase.expected_tool_calls.length}`;
    for (let i = 0; i < calls.length; i++) {
      const want = testCase.expected_tool_calls[i] as { name: string; args: string };
      const got = calls[i] as { name: string; args: unknown };
      if (got.name !== want.name || !matches(jsonValue(got.args), readEdn(want.args)))
        return `tool call ${i} was ${got.name} ${JSON.stringify(got.args)}, expected ${want.name} ${want.args}`;
    }
  }
  return undefined;
}

function printForDebug(value: Value): string {
  try {
    return printValue(value).slice(0, 300);
  } catch (error) {
    return `<unprintable: ${String(error)}>`;
  }
}

/** Runs a case both ways the suite demands: compile once and run twice, and evaluate. */
export async function runCase(testCase: Case): Promise<RunResult[]> {
  const globals = globalsFor(testCase);
  const tools = toolsFor(testCase);
  const signature = testCase.options?.["signature"];
  const typed = typeof signature === "string" ? { signature } : {};
  const compiled = compile(testCase.program, { predefined: Object.keys(globals), ...typed });
  if (!compiled.ok) {
    const [first] = compiled.diagnostics;
    const failure: RunResult = {
      ok: false,
      error: first ?? { code: "parse_error", phase: "parse", message: "no diagnostics" },
      prints: [],
      toolCalls: [],
      trace: [],
      usage: { fuel: 0, ms: 0, allocations: 0, passes: 0, restarts: 0 },
      globals: new Map(),
    };
    return [failure];
  }
  const options = { data: testCase.context, tools, globals };
  const first = await compiled.program.run(options);
  const second = await compiled.program.run(options);
  const direct = await evaluate(testCase.program, { ...options, ...typed });
  // Predefined globals (`*1`..`*3`, memory) make every call resumable: a case that needs none
  // also runs as compiled without them, on the plain closures.
  if (usesGlobals(testCase)) return [first, second, direct];
  const plain = compile(testCase.program, typed);
  if (!plain.ok) throw new Error(`compiles only with predefined globals: ${plain.diagnostics[0]?.message}`);
  const sync = await plain.program.run({ data: testCase.context, tools });
  return [first, second, direct, sync];
}
