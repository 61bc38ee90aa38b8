/**
 * Seeded mutation of the correct corpus programs into faulty variants, each a fault a type
 * checker can see before the program runs, labelled with its kind and the span of the mutated
 * form in the mutant's source.
 *
 * Kinds (what the checker is expected to report):
 * - `wrong_key`: a field read (`(:k x)`, `(get x :k)`, `(sort-by :k ...)`, `(where :k ...)`...) of a
 *   field that exists in an input or tool-result type is changed to a name that exists in no type
 *   of the program's contracts and nowhere in its source (warning: a read the type says cannot exist).
 * - `wrong_tool`: a `tool/name` call is renamed to a tool that is not registered (error).
 * - `wrong_arg_name`: a key of a literal tool-argument map is renamed to a name the tool does not
 *   take (error: an extra argument, and a missing one when the original was required).
 * - `wrong_arg_type`: the value of a tool argument is replaced by one of a certainly wrong type:
 *   a non-numeric string for a number, a vector for a string, a joined string for a list (error).
 * - `missing_arg`: a required argument is removed from a literal tool-argument map (error).
 * - `wrong_return`: the program's final value is given a shape that cannot match the output
 *   signature: wrapped in a vector where a map is expected, a required field removed from the
 *   returned map literal, a number field turned into a string, a list wrapped in a map, and so on.
 * - `wrong_arity`: a call of a builtin or of a fixed-arity `defn` gets one argument too few or
 *   too many (error).
 */
import type { Form, ListForm, MapForm, SymbolForm } from "../../src/lisp/ast/nodes.js";
import { lookupBuiltin } from "../../src/lisp/builtins/registry.js";
import { parse } from "../../src/lisp/parser/parse.js";
import { type CorpusEntry, contractsOf } from "./corpus.js";
import {
  acceptsMissing,
  fieldNames,
  hashText,
  rng,
  type SigField,
  type SigType,
  stripOptional,
} from "./signature-text.js";

export const FAULT_KINDS = [
  "wrong_key",
  "wrong_tool",
  "wrong_arg_name",
  "wrong_arg_type",
  "missing_arg",
  "wrong_return",
  "wrong_arity",
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** What a checker must report for a mutant to count as caught. */
export interface ExpectedDiagnostic {
  /** `warning` kinds count as caught with a warning or an error; `error` kinds need an error. */
  readonly severity: "error" | "warning";
  /** What the diagnostic is about, in words (codes are the checker's to choose). */
  readonly about: string;
}

export const EXPECTED: Readonly<Record<FaultKind, ExpectedDiagnostic>> = {
  wrong_key: { severity: "warning", about: "a field read that the type says cannot exist" },
  wrong_tool: { severity: "error", about: "unknown tool" },
  wrong_arg_name: { severity: "error", about: "tool argument extra (or missing)" },
  wrong_arg_type: { severity: "error", about: "tool argument of the wrong type" },
  missing_arg: { severity: "error", about: "tool argument missing" },
  wrong_return: { severity: "error", about: "return value cannot match the output signature" },
  wrong_arity: { severity: "error", about: "wrong number of arguments" },
};

export interface Mutant {
  /** `<entry id>/<kind>/<n>`, n counting from 1 within the program and kind. */
  readonly id: string;
  readonly entryId: string;
  readonly kind: FaultKind;
  /** What was changed, e.g. `:amount -> :amout`. */
  readonly detail: string;
  /** The mutated program. */
  readonly source: string;
  /** The mutated form's offsets in `source` (end exclusive). */
  readonly span: { readonly start: number; readonly end: number };
  readonly expected: ExpectedDiagnostic;
}

export interface MutateOptions {
  /** Seed of every choice. Default 1. */
  readonly seed?: number;
  /** Mutants per kind and program, at most (each at a different site when there are several). Default 2. */
  readonly perKind?: number;
}

// ---------------------------------------------------------------------------------------------
// Walking forms

interface Visit {
  readonly form: Form;
  /** Enclosing forms, innermost last. */
  readonly parents: readonly Form[];
  /** Index of the form in its parent's items (0 for a top-level form or an `#()` body). */
  readonly index: number;
}

function childrenOf(form: Form): readonly Form[] {
  switch (form.kind) {
    case "list":
    case "vector":
    case "map":
    case "set":
      return form.items;
    case "fn-literal":
      return [form.body];
    default:
      return [];
  }
}

function walk(forms: readonly Form[]): Visit[] {
  const visits: Visit[] = [];
  const visit = (form: Form, parents: readonly Form[], index: number): void => {
    visits.push({ form, parents, index });
    const inner = [...parents, form];
    childrenOf(form).forEach((child, childIndex) => {
      visit(child, inner, childIndex);
    });
  };
  forms.forEach((form, index) => {
    visit(form, [], index);
  });
  return visits;
}

function headSymbol(form: Form | undefined): SymbolForm | undefined {
  if (form?.kind !== "list") return undefined;
  const head = form.items[0];
  return head?.kind === "symbol" ? head : undefined;
}

function headName(form: Form | undefined): string | undefined {
  const head = headSymbol(form);
  return head === undefined ? undefined : head.ns === null ? head.name : `${head.ns}/${head.name}`;
}

const THREADING = new Set(["->", "->>", "some->", "some->>", "cond->", "cond->>", "as->", "doto"]);

/** True when the form is an argument position of a threading macro (its arity is shifted). */
function isThreadingStep(visit: Visit): boolean {
  const parent = visit.parents[visit.parents.length - 1];
  const name = headName(parent);
  return name !== undefined && THREADING.has(name) && visit.index > 0;
}

/** Symbols that appear in any vector or map literal: over-approximates local bindings. */
function boundSymbols(visits: readonly Visit[]): Set<string> {
  const names = new Set<string>();
  for (const { form, parents } of visits) {
    const parent = parents[parents.length - 1];
    if (form.kind === "symbol" && form.ns === null && (parent?.kind === "vector" || parent?.kind === "map")) {
      names.add(form.name);
    }
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// Text edits

interface Edit {
  readonly source: string;
  readonly span: { start: number; end: number };
}

function replace(source: string, start: number, end: number, text: string): Edit {
  return {
    source: source.slice(0, start) + text + source.slice(end),
    span: { start, end: start + text.length },
  };
}

/**
 * True when the form uses an argument of an enclosing `#(...)` (`%`, `%1`, `%&`): removing it
 * would change that function's arity, a second fault besides the one meant.
 */
function usesFnLiteralArgument(form: Form): boolean {
  if (form.kind === "symbol") return form.ns === null && /^%(\d+|&)?$/.test(form.name);
  return childrenOf(form).some(usesFnLiteralArgument);
}

function textOf(source: string, form: Form): string {
  return source.slice(form.span.start, form.span.end);
}

// ---------------------------------------------------------------------------------------------
// Name variants

const snake = (name: string): string => name.replace(/-/g, "_");

function camel(name: string): string {
  return name.replace(/[_-]([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

function typos(name: string): string[] {
  const out: string[] = [];
  const letters = [...name];
  for (let index = 1; index < letters.length - 1; index++) {
    const current = letters[index] as string;
    if (!/[a-z]/.test(current)) continue;
    out.push(name.slice(0, index) + name.slice(index + 1));
    const next = letters[index + 1] as string;
    if (/[a-z]/.test(next) && next !== current) out.push(name.slice(0, index) + next + current + name.slice(index + 2));
  }
  return out;
}

const FIELD_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  amount: ["amt", "total_amount", "sum"],
  total: ["total_amount", "sum"],
  price: ["cost", "unit_price"],
  customer: ["customer_name", "client"],
  status: ["state", "order_status"],
  title: ["heading", "subject_line"],
  email: ["email_address", "mail"],
  name: ["full_name", "display"],
  id: ["uid", "identifier"],
  score: ["relevance", "rank"],
  qty: ["quantity", "count"],
  date: ["created", "timestamp"],
  message: ["msg", "text"],
  level: ["severity", "log_level"],
  service: ["svc", "app"],
  body: ["content", "text"],
  temp: ["temperature", "degrees"],
  high: ["max_temp", "hi"],
  category: ["cat", "group"],
  priority: ["prio", "urgency"],
  labels: ["tags", "label_names"],
  from: ["sender", "from_address"],
};

const TOOL_VERBS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^get-/, "fetch-"],
  [/^fetch-/, "get-"],
  [/^list-/, "get-all-"],
  [/^search-/, "find-"],
  [/^find-/, "search-"],
  [/^create-/, "new-"],
  [/^send-/, "post-"],
  [/^query-/, "search-"],
  [/^add-/, "set-"],
  [/^track-/, "get-"],
];

const ARG_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  query: ["q", "search", "search_term"],
  limit: ["max_results", "top_k", "size"],
  id: ["doc_id", "item_id", "key"],
  city: ["location", "city_name"],
  days: ["num_days", "day_count"],
  status: ["state", "filter"],
  email: ["email_address", "address"],
  page: ["page_number", "offset"],
  team: ["team_name", "group"],
  text: ["content", "input"],
  service: ["service_name", "app"],
  repo: ["repository", "repo_name"],
  to: ["recipient", "to_address"],
  body: ["message", "content"],
  symbol: ["ticker", "stock"],
};

/**
 * Variants of a name, none of which is in `taken` (compared snake_case), in a seeded order: the
 * mistakes models make most (camelCase for snake_case, a synonym, a plural) usually first, typos
 * otherwise.
 */
function variants(name: string, synonyms: readonly string[], random: () => number, taken: Set<string>): string[] {
  const kebab = name.includes("-");
  const style = (candidate: string): string => (kebab ? candidate.replace(/_/g, "-") : candidate);
  const seen = new Set<string>();
  const valid = (candidate: string): boolean => {
    const key = snake(candidate);
    if (candidate === name || taken.has(key) || seen.has(key) || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(candidate)) {
      return false;
    }
    seen.add(key);
    return true;
  };
  const likely = [
    ...(name.includes("_") || name.includes("-") ? [camel(name)] : []),
    ...synonyms.map(style),
    name.endsWith("s") ? name.slice(0, -1) : `${name}s`,
  ].filter(valid);
  const misspelt = typos(name).filter(valid);
  return random() < 0.65
    ? [...shuffle(likely, random), ...shuffle(misspelt, random)]
    : [...shuffle(misspelt, random), ...shuffle(likely, random)];
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let index = out.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [out[index], out[other]] = [out[other] as T, out[index] as T];
  }
  return out;
}

function pick<T>(items: readonly T[], random: () => number): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(random() * items.length)];
}

// ---------------------------------------------------------------------------------------------
// Context of one program

interface ToolCall {
  readonly form: ListForm;
  readonly head: SymbolForm;
  readonly tool: string;
  readonly args: MapForm | undefined;
}

interface Context {
  readonly entry: CorpusEntry;
  readonly source: string;
  readonly visits: readonly Visit[];
  readonly contracts: ReturnType<typeof contractsOf>;
  /** Every field name in the input, output and tool signatures. */
  readonly fields: Set<string>;
  /** Field names of input and tool-result types (reads of these are mutated). */
  readonly readable: Set<string>;
  /** Every keyword name in the source. */
  readonly keywords: Set<string>;
  readonly toolCalls: readonly ToolCall[];
}

function contextOf(entry: CorpusEntry): Context {
  const parsed = parse(entry.program);
  if (parsed.diagnostics.length > 0) throw new Error(`${entry.id}: the correct program does not parse`);
  const visits = walk(parsed.forms);
  const contracts = contractsOf(entry);
  const readable = new Set<string>();
  for (const param of contracts.signature.params ?? []) fieldNames(param.type, readable);
  for (const tool of contracts.tools.values()) fieldNames(tool.output, readable);
  const fields = new Set(readable);
  fieldNames(contracts.signature.output, fields);
  for (const tool of contracts.tools.values()) for (const param of tool.params) fields.add(param.name);
  const keywords = new Set<string>();
  const toolCalls: ToolCall[] = [];
  for (const { form } of visits) {
    if (form.kind === "keyword") keywords.add(snake(form.name));
    const head = headSymbol(form);
    if (form.kind === "list" && head?.ns === "tool") {
      const args = form.items[1];
      toolCalls.push({
        form,
        head,
        tool: head.name,
        args: form.items.length === 2 && args?.kind === "map" ? args : undefined,
      });
    }
  }
  return { entry, source: entry.program, visits, contracts, fields, readable, keywords, toolCalls };
}

function toolContract(context: Context, name: string): { params: readonly SigField[]; output: SigType } | undefined {
  return context.contracts.tools.get(name) ?? context.contracts.tools.get(name.replace(/-/g, "_"));
}

// ---------------------------------------------------------------------------------------------
// Mutations: each returns every candidate edit (detail + edit); the driver picks among them.

interface Candidate {
  readonly detail: string;
  readonly edit: Edit;
}

/** Builtins whose first argument is a field (or a function of the element, such as a keyword). */
const FIELD_FIRST = new Set([
  "sort-by",
  "group-by",
  "sum-by",
  "avg-by",
  "min-by",
  "max-by",
  "distinct-by",
  "pluck",
  "where",
  "map",
  "mapv",
  "mapcat",
  "filter",
  "filterv",
  "remove",
  "keep",
  "partition-by",
  "some",
  "every?",
]);
/** Builtins every argument of which may be a keyword used as a function. */
const FIELD_ANY = new Set(["juxt", "comp"]);

function isFieldRead(visit: Visit): boolean {
  const parent = visit.parents[visit.parents.length - 1];
  if (parent === undefined) return false;
  if (parent.kind === "list") {
    if (visit.index === 0) return true; // (:k x)
    const name = headName(parent);
    if (name === undefined) return false;
    if (THREADING.has(name)) return name !== "cond->" && name !== "cond->>" && name !== "as->"; // (->> x :k)
    if (FIELD_FIRST.has(name)) return visit.index === 1;
    if (FIELD_ANY.has(name)) return true;
    if (name === "get") return visit.index === 2;
    return false;
  }
  if (parent.kind === "vector") {
    // (get-in x [:a :b])
    const grand = visit.parents[visit.parents.length - 2];
    return headName(grand) === "get-in" && grand?.kind === "list" && grand.items[2] === parent;
  }
  return false;
}

function wrongKey(context: Context, random: () => number): Candidate[] {
  const taken = new Set([...context.fields, ...context.keywords].map(snake));
  const out: Candidate[] = [];
  for (const visit of context.visits) {
    const { form } = visit;
    if (form.kind !== "keyword" || form.ns !== null || !context.readable.has(form.name) || !isFieldRead(visit))
      continue;
    const replacement = variants(form.name, FIELD_SYNONYMS[form.name] ?? [], random, taken)[0];
    if (replacement === undefined) continue;
    out.push({
      detail: `:${form.name} -> :${replacement}`,
      edit: replace(context.source, form.span.start, form.span.end, `:${replacement}`),
    });
  }
  return out;
}

function toolVariants(name: string, random: () => number, taken: Set<string>): string[] {
  const synonyms: string[] = [];
  for (const [pattern, verb] of TOOL_VERBS) if (pattern.test(name)) synonyms.push(name.replace(pattern, verb));
  if (!name.includes("-") && !name.includes("_")) synonyms.push(`${name}-v2`, `do-${name}`);
  return variants(name, synonyms, random, taken).filter((candidate) => !taken.has(snake(candidate)));
}

function wrongTool(context: Context, random: () => number): Candidate[] {
  const taken = new Set(Object.keys(context.entry.tools).map(snake));
  const out: Candidate[] = [];
  for (const call of context.toolCalls) {
    const replacement = toolVariants(call.tool, random, taken)[0];
    if (replacement === undefined) continue;
    out.push({
      detail: `tool/${call.tool} -> tool/${replacement}`,
      edit: replace(context.source, call.head.span.start, call.head.span.end, `tool/${replacement}`),
    });
  }
  return out;
}

/** The literal argument pairs of a tool call whose keys name parameters of the tool. */
function argumentPairs(context: Context, call: ToolCall): { key: Form; value: Form; param: SigField }[] {
  const contract = toolContract(context, call.tool);
  if (call.args === undefined || contract === undefined) return [];
  const pairs: { key: Form; value: Form; param: SigField }[] = [];
  for (let index = 0; index + 1 < call.args.items.length; index += 2) {
    const key = call.args.items[index] as Form;
    const value = call.args.items[index + 1] as Form;
    if (key.kind !== "keyword") continue;
    const param = contract.params.find((candidate) => candidate.name === snake(key.name));
    if (param !== undefined) pairs.push({ key, value, param });
  }
  return pairs;
}

function wrongArgName(context: Context, random: () => number): Candidate[] {
  const out: Candidate[] = [];
  for (const call of context.toolCalls) {
    const contract = toolContract(context, call.tool);
    if (contract === undefined) continue;
    const taken = new Set(contract.params.map((param) => param.name));
    for (const { key } of argumentPairs(context, call)) {
      if (key.kind !== "keyword") continue;
      const replacement = variants(key.name, ARG_SYNONYMS[snake(key.name)] ?? [], random, taken)[0];
      if (replacement === undefined) continue;
      out.push({
        detail: `tool/${call.tool} {:${key.name} ...} -> {:${replacement} ...}`,
        edit: replace(context.source, key.span.start, key.span.end, `:${replacement}`),
      });
    }
  }
  return out;
}

const NOT_A_NUMBER = ['"all"', '"many"', '"ten"', '"none"'];

/** Text of a value certainly not of `type`, built from the original value text; undefined when none fits. */
function wrongValue(
  type: SigType,
  value: Form,
  original: string,
  random: () => number,
): { text: string; what: string } | undefined {
  const bare = stripOptional(type);
  const keepsOriginal = !usesFnLiteralArgument(value);
  switch (bare.kind) {
    case "int":
    case "float":
      if (!keepsOriginal) return undefined;
      return { text: pick(NOT_A_NUMBER, random) as string, what: `string where :${bare.kind} expected` };
    case "string":
      return random() < 0.5
        ? { text: `[${original}]`, what: "vector where :string expected" }
        : { text: `{:value ${original}}`, what: "map where :string expected" };
    case "bool":
      if (!keepsOriginal) return undefined;
      return { text: '"yes"', what: "string where :bool expected" };
    case "list":
      return { text: `(str/join "," ${original})`, what: "string where a list expected" };
    case "record":
    case "map":
      return { text: `(str ${original})`, what: "string where a map expected" };
    default:
      return undefined;
  }
}

function wrongArgType(context: Context, random: () => number): Candidate[] {
  const out: Candidate[] = [];
  for (const call of context.toolCalls) {
    for (const { key, value, param } of argumentPairs(context, call)) {
      const wrong = wrongValue(param.type, value, textOf(context.source, value), random);
      if (wrong === undefined || key.kind !== "keyword") continue;
      out.push({
        detail: `tool/${call.tool} :${key.name}: ${wrong.what}`,
        edit: replace(context.source, value.span.start, value.span.end, wrong.text),
      });
    }
  }
  return out;
}

/** Removes pair `pair` (0-based) from a map literal; the span is the edited map. */
function removePair(source: string, map: MapForm, pair: number): Edit {
  const items = map.items;
  const key = items[pair * 2] as Form;
  const value = items[pair * 2 + 1] as Form;
  const nextKey = items[pair * 2 + 2];
  const previousValue = items[pair * 2 - 1];
  let start = key.span.start;
  let end = value.span.end;
  if (nextKey !== undefined) end = nextKey.span.start;
  else if (previousValue !== undefined) start = previousValue.span.end;
  const removed = end - start;
  return {
    source: source.slice(0, start) + source.slice(end),
    span: { start: map.span.start, end: map.span.end - removed },
  };
}

function missingArg(context: Context): Candidate[] {
  const out: Candidate[] = [];
  for (const call of context.toolCalls) {
    const args = call.args;
    if (args === undefined) continue;
    for (const { key, value, param } of argumentPairs(context, call)) {
      if (acceptsMissing(param.type) || key.kind !== "keyword" || usesFnLiteralArgument(value)) continue;
      out.push({
        detail: `tool/${call.tool} without required :${key.name}`,
        edit: removePair(context.source, args, args.items.indexOf(key) / 2),
      });
    }
  }
  return out;
}

/** The form whose value the program returns: the last top-level form, through let/do bodies. */
function tailForm(context: Context): Form | undefined {
  const topLevel = context.visits.filter((visit) => visit.parents.length === 0);
  let form = topLevel[topLevel.length - 1]?.form;
  while (form?.kind === "list" && ["let", "do", "let*"].includes(headName(form) ?? "")) {
    const last: Form | undefined = form.items[form.items.length - 1];
    if (last === undefined || form.items.length < 3) break;
    form = last;
  }
  return form;
}

function wrongReturn(context: Context): Candidate[] {
  const tail = tailForm(context);
  if (tail === undefined) return [];
  const output = stripOptional(context.contracts.signature.output);
  const source = context.source;
  const text = textOf(source, tail);
  const wrap = (template: (inner: string) => string, detail: string): Candidate => ({
    detail,
    edit: replace(source, tail.span.start, tail.span.end, template(text)),
  });
  const out: Candidate[] = [];
  switch (output.kind) {
    case "record": {
      out.push(wrap((inner) => `[${inner}]`, "vector where a map is expected"));
      if (tail.kind === "map") {
        for (let index = 0; index + 1 < tail.items.length; index += 2) {
          const key = tail.items[index] as Form;
          const value = tail.items[index + 1] as Form;
          if (key.kind !== "keyword") continue;
          const field = output.fields.find((candidate) => candidate.name === key.name);
          if (field === undefined) continue;
          if (field.type.kind !== "optional") {
            out.push({
              detail: `returned map without required field :${key.name}`,
              edit: removePair(source, tail, index / 2),
            });
          }
          const bare = stripOptional(field.type).kind;
          if (bare === "int" || bare === "float") {
            const valueText = textOf(source, value);
            out.push({
              detail: `field :${key.name} is a string where :${bare} is expected`,
              edit: replace(
                source,
                value.span.start,
                value.span.end,
                bare === "float" ? `(format "%.2f" ${valueText})` : `(str ${valueText})`,
              ),
            });
          }
        }
      }
      break;
    }
    case "list":
      out.push(wrap((inner) => `{:results ${inner}}`, "map where a list is expected"));
      out.push(wrap((inner) => `(count ${inner})`, "int where a list is expected"));
      break;
    case "int":
    case "float":
      out.push(wrap((inner) => `(str ${inner})`, `string where :${output.kind} is expected`));
      break;
    case "string":
      out.push(wrap((inner) => `(count ${inner})`, "int where :string is expected"));
      out.push(wrap((inner) => `[${inner}]`, "vector where :string is expected"));
      break;
    case "bool":
      out.push(wrap((inner) => `(if ${inner} "yes" "no")`, "string where :bool is expected"));
      break;
    case "map":
      out.push(wrap((inner) => `[${inner}]`, "vector where a map is expected"));
      break;
    default:
      break;
  }
  return out;
}

/** Fixed arities of the program's single-arity `defn`s without rest parameters. */
function userArities(context: Context): Map<string, number> {
  const arities = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const { form, parents } of context.visits) {
    if (parents.length !== 0 || headName(form) !== "defn" || form.kind !== "list") continue;
    const name = form.items[1];
    if (name?.kind !== "symbol") continue;
    counts.set(name.name, (counts.get(name.name) ?? 0) + 1);
    const params = form.items.find((item, index) => index > 1 && item.kind === "vector");
    const firstBody = form.items[2];
    if (params?.kind !== "vector" || firstBody?.kind !== "vector") continue;
    if (params.items.some((item) => item.kind === "symbol" && item.name === "&")) continue;
    arities.set(name.name, params.items.length);
  }
  for (const [name, count] of counts) if (count > 1) arities.delete(name);
  return arities;
}

function wrongArity(context: Context): Candidate[] {
  const bound = boundSymbols(context.visits);
  const user = userArities(context);
  const out: Candidate[] = [];
  for (const visit of context.visits) {
    const { form } = visit;
    const head = headSymbol(form);
    if (form.kind !== "list" || head === undefined || isThreadingStep(visit)) continue;
    if (form.sugar !== undefined) continue;
    const argCount = form.items.length - 1;
    let range: readonly [number, number] | undefined;
    let name = head.name;
    const fixed = head.ns === null ? user.get(head.name) : undefined;
    if (fixed !== undefined) {
      range = [fixed, fixed];
    } else {
      if (head.ns === null && bound.has(head.name)) continue;
      if (head.ns === "tool" || head.ns === "data") continue;
      const builtin = lookupBuiltin(head.ns, head.name);
      if (builtin === undefined) continue;
      range = builtin.spec.arity;
      name = head.ns === null ? head.name : `${head.ns}/${head.name}`;
    }
    const [min, max] = range;
    const last = form.items[form.items.length - 1] as Form;
    const canDrop = argCount >= 1 && argCount - 1 < min && !usesFnLiteralArgument(last);
    const canAdd = Number.isFinite(max) && argCount >= 1;
    if (canDrop && !(canAdd && argCount === 1)) {
      const before = form.items[form.items.length - 2] as Form;
      const edit = {
        source: context.source.slice(0, before.span.end) + context.source.slice(last.span.end),
        span: { start: form.span.start, end: form.span.end - (last.span.end - before.span.end) },
      };
      out.push({ detail: `(${name} ...) with ${argCount - 1} argument(s), expects ${describeRange(range)}`, edit });
    } else if (canAdd) {
      const lastText = textOf(context.source, last);
      const extraText = lastText.length <= 16 && !lastText.includes("\n") ? lastText : "nil";
      const added = ` ${extraText}`.repeat(max + 1 - argCount);
      const edit = {
        source: context.source.slice(0, last.span.end) + added + context.source.slice(last.span.end),
        span: { start: form.span.start, end: form.span.end + added.length },
      };
      out.push({ detail: `(${name} ...) with ${max + 1} argument(s), expects ${describeRange(range)}`, edit });
    }
  }
  return out;
}

function describeRange([min, max]: readonly [number, number]): string {
  if (min === max) return String(min);
  return Number.isFinite(max) ? `${min} to ${max}` : `${min} or more`;
}

// ---------------------------------------------------------------------------------------------
// Driver

/** Every mutant of every entry: deterministic for a given seed. */
export function generateMutants(entries: readonly CorpusEntry[], options: MutateOptions = {}): Mutant[] {
  const seed = options.seed ?? 1;
  const perKind = options.perKind ?? 2;
  const mutants: Mutant[] = [];
  for (const entry of entries) {
    const context = contextOf(entry);
    const seen = new Set<string>([entry.program]);
    for (const kind of FAULT_KINDS) {
      const random = rng(hashText(`${seed}|${entry.id}|${kind}`));
      const candidates = candidatesOf(kind, context, random);
      let made = 0;
      for (const candidate of shuffle(candidates, random)) {
        if (made >= perKind) break;
        if (seen.has(candidate.edit.source)) continue;
        seen.add(candidate.edit.source);
        made++;
        mutants.push({
          id: `${entry.id}/${kind}/${made}`,
          entryId: entry.id,
          kind,
          detail: candidate.detail,
          source: candidate.edit.source,
          span: candidate.edit.span,
          expected: EXPECTED[kind],
        });
      }
    }
  }
  return mutants;
}

function candidatesOf(kind: FaultKind, context: Context, random: () => number): Candidate[] {
  switch (kind) {
    case "wrong_key":
      return wrongKey(context, random);
    case "wrong_tool":
      return wrongTool(context, random);
    case "wrong_arg_name":
      return wrongArgName(context, random);
    case "wrong_arg_type":
      return wrongArgType(context, random);
    case "missing_arg":
      return missingArg(context);
    case "wrong_return":
      return wrongReturn(context);
    case "wrong_arity":
      return wrongArity(context);
  }
}
