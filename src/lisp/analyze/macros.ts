import type { SourceSpan } from "../../errors/span.js";
import type { Form, ListForm, NilForm, SymbolForm, VectorForm } from "../ast/nodes.js";
import type { FormDoc } from "../builtins/types.js";
import { printForm } from "../printer/print-form.js";

/**
 * The built-in macros, expanded form-to-form before analysis. Expansions refer to core
 * functions through `clojure.core/` so a user's local named `seq` or `first` cannot capture
 * them, and to hidden locals whose names contain a space (no source can spell them).
 */

/** A shape error found while expanding: the analyzer turns it into an `invalid_form` diagnostic. */
export class MacroError extends Error {
  constructor(
    readonly form: string,
    readonly reason: string,
    readonly span: SourceSpan,
  ) {
    super(reason);
  }
}

let hiddenCounter = 0;

function sym(name: string, span: SourceSpan, ns: string | null = null): SymbolForm {
  return { kind: "symbol", ns, name, span };
}
function core(name: string, span: SourceSpan): SymbolForm {
  return sym(name, span, "clojure.core");
}
function list(items: Form[], span: SourceSpan): ListForm {
  return { kind: "list", items, span };
}
function vec(items: Form[], span: SourceSpan): VectorForm {
  return { kind: "vector", items, span };
}
function hidden(span: SourceSpan, hint: string): SymbolForm {
  hiddenCounter++;
  return sym(`${hint} ${hiddenCounter}`, span);
}

/**
 * A nil an expansion supplied (the missing else of `when`) rather than the program: an instance
 * of its own class, so the lowering tells the two apart with `instanceof`, with no table of
 * either kind of nil to build or search.
 */
class SuppliedNil implements NilForm {
  // Fields in the reader's order (`kind`, then `span`), which a parameter property would reverse.
  readonly kind = "nil";
  readonly span: SourceSpan;
  constructor(span: SourceSpan) {
    this.span = span;
  }
}

function nil(span: SourceSpan): Form {
  return new SuppliedNil(span);
}

/** Whether `form` is a nil an expansion supplied rather than one the program wrote. */
export function isMacroNil(form: Form): boolean {
  return form instanceof SuppliedNil;
}

function need(condition: boolean, form: string, reason: string, span: SourceSpan): void {
  if (!condition) throw new MacroError(form, reason, span);
}

function bindingVector(form: ListForm, name: string, pairs: number | "even"): VectorForm {
  const bindings = form.items[1];
  need(bindings?.kind === "vector", name, "expects a binding vector", form.span);
  const vector = bindings as VectorForm;
  if (pairs === "even")
    need(vector.items.length % 2 === 0, name, "binding vector needs an even number of forms", vector.span);
  else need(vector.items.length === pairs * 2, name, `binding vector needs exactly ${pairs} binding`, vector.span);
  return vector;
}

function thread(form: ListForm, last: boolean): Form {
  need(form.items.length >= 2, String((form.items[0] as SymbolForm).name), "expects an initial expression", form.span);
  let acc = form.items[1] as Form;
  for (const step of form.items.slice(2)) acc = threadStep(acc, step, last);
  return acc;
}

function threadStep(acc: Form, step: Form, last: boolean): Form {
  if (step.kind === "list" && step.sugar === undefined && step.items.length > 0) {
    const [head, ...rest] = step.items as Form[];
    return list(last ? [head as Form, ...rest, acc] : [head as Form, acc, ...rest], step.span);
  }
  return list([step, acc], step.span);
}

function someThread(form: ListForm, last: boolean): Form {
  const name = (form.items[0] as SymbolForm).name;
  need(form.items.length >= 2, name, "expects an initial expression", form.span);
  let acc = form.items[1] as Form;
  for (const step of form.items.slice(2)) {
    const g = hidden(step.span, "some");
    acc = list(
      [
        sym("let", step.span),
        vec([g, acc], step.span),
        list(
          [
            sym("if", step.span),
            list([core("nil?", step.span), g], step.span),
            nil(step.span),
            threadStep(g, step, last),
          ],
          step.span,
        ),
      ],
      step.span,
    );
  }
  return acc;
}

function condThread(form: ListForm, last: boolean): Form {
  const name = (form.items[0] as SymbolForm).name;
  need(
    form.items.length >= 2 && form.items.length % 2 === 0,
    name,
    "expects an expression and test/form pairs",
    form.span,
  );
  const g = hidden(form.span, "cond");
  const bindings: Form[] = [g, form.items[1] as Form];
  for (let i = 2; i < form.items.length; i += 2) {
    const test = form.items[i] as Form;
    const step = form.items[i + 1] as Form;
    bindings.push(g, list([sym("if", step.span), test, threadStep(g, step, last), g], step.span));
  }
  return list([sym("let", form.span), vec(bindings, form.span), g], form.span);
}

function ifLet(form: ListForm, name: string, some: boolean): Form {
  const bindings = bindingVector(form, name, 1);
  need(
    form.items.length >= 3 && form.items.length <= 4,
    name,
    "expects a binding vector, then and optional else",
    form.span,
  );
  const pattern = bindings.items[0] as Form;
  const g = hidden(form.span, "test");
  const test = some ? list([core("some?", form.span), g], form.span) : g;
  const elseForm = (form.items[3] as Form | undefined) ?? nil(form.span);
  return list(
    [
      sym("let", form.span),
      vec([g, bindings.items[1] as Form], form.span),
      list(
        [
          sym("if", form.span),
          test,
          list([sym("let", form.span), vec([pattern, g], form.span), form.items[2] as Form], form.span),
          elseForm,
        ],
        form.span,
      ),
    ],
    form.span,
  );
}

function whenLet(form: ListForm, name: string, some: boolean): Form {
  const bindings = bindingVector(form, name, 1);
  const pattern = bindings.items[0] as Form;
  const g = hidden(form.span, "test");
  const test = some ? list([core("some?", form.span), g], form.span) : g;
  return list(
    [
      sym("let", form.span),
      vec([g, bindings.items[1] as Form], form.span),
      list(
        [
          sym("if", form.span),
          test,
          list([sym("let", form.span), vec([pattern, g], form.span), ...form.items.slice(2)], form.span),
          nil(form.span),
        ],
        form.span,
      ),
    ],
    form.span,
  );
}

function cond(form: ListForm): Form {
  const clauses = form.items.slice(1);
  need(clauses.length % 2 === 0, "cond", "requires an even number of forms", form.span);
  let acc: Form = nil(form.span);
  for (let i = clauses.length - 2; i >= 0; i -= 2) {
    acc = list(
      [sym("if", (clauses[i] as Form).span), clauses[i] as Form, clauses[i + 1] as Form, acc],
      (clauses[i] as Form).span,
    );
  }
  return acc;
}

function condp(form: ListForm): Form {
  need(form.items.length >= 3, "condp", "expects a predicate, an expression and clauses", form.span);
  const pred = hidden(form.span, "pred");
  const expr = hidden(form.span, "expr");
  const clauses = form.items.slice(3);
  let acc: Form =
    clauses.length % 2 === 1
      ? (clauses[clauses.length - 1] as Form)
      : list(
          [
            sym("throw", form.span),
            list(
              [
                core("ex-info", form.span),
                { kind: "string", value: "No matching clause", span: form.span },
                { kind: "map", items: [], span: form.span },
              ],
              form.span,
            ),
          ],
          form.span,
        );
  for (let i = clauses.length - (clauses.length % 2) - 2; i >= 0; i -= 2) {
    const test = clauses[i] as Form;
    acc = list([sym("if", test.span), list([pred, test, expr], test.span), clauses[i + 1] as Form, acc], test.span);
  }
  return list(
    [sym("let", form.span), vec([pred, form.items[1] as Form, expr, form.items[2] as Form], form.span), acc],
    form.span,
  );
}

function dotimes(form: ListForm): Form {
  const bindings = bindingVector(form, "dotimes", 1);
  const name = bindings.items[0] as Form;
  need(name.kind === "symbol", "dotimes", "binds a symbol", name.span);
  const n = hidden(form.span, "n");
  const s = form.span;
  return list(
    [
      sym("let", s),
      vec([n, bindings.items[1] as Form], s),
      list(
        [
          sym("loop", s),
          vec([name, { kind: "number", value: 0, span: s }], s),
          list(
            [
              sym("when", s),
              list([core("<", s), name, n], s),
              ...form.items.slice(2),
              list([sym("recur", s), list([core("inc", s), name], s)], s),
            ],
            s,
          ),
        ],
        s,
      ),
    ],
    s,
  );
}

function asThread(form: ListForm): Form {
  need(form.items.length >= 3, "as->", "expects an expression and a name", form.span);
  const name = form.items[2] as Form;
  need(name.kind === "symbol", "as->", "expects a symbol as its name", name.span);
  const bindings: Form[] = [name, form.items[1] as Form];
  for (const step of form.items.slice(3)) bindings.push(name, step);
  return list([sym("let", form.span), vec(bindings, form.span), name], form.span);
}

function whenFirst(form: ListForm): Form {
  const bindings = bindingVector(form, "when-first", 1);
  const g = hidden(form.span, "seq");
  const s = form.span;
  return list(
    [
      sym("when-let", s),
      vec([g, list([core("seq", s), bindings.items[1] as Form], s)], s),
      list(
        [sym("let", s), vec([bindings.items[0] as Form, list([core("first", s), g], s)], s), ...form.items.slice(2)],
        s,
      ),
    ],
    s,
  );
}

/**
 * `(where field op value)`: the operator is written as a bare symbol (`>`, `in`, `includes`),
 * so it is quoted here and the `where` builtin receives it as a symbol.
 */
function where(form: ListForm): Form {
  const items = form.items.map((item, i) =>
    i === 2 && item.kind === "symbol" && item.ns === null ? list([sym("quote", item.span), item], item.span) : item,
  );
  return list([core("where", form.span), ...items.slice(1)], form.span);
}

/**
 * `(doc name)`: a bare symbol is quoted, so the `doc` builtin receives the name rather than
 * the value (`(doc map)` documents `map` the way Clojure's `doc` macro does).
 */
function doc(form: ListForm): Form {
  const items = form.items.map((item, i) =>
    i === 1 && item.kind === "symbol" ? list([sym("quote", item.span), item], item.span) : item,
  );
  return list([core("doc", form.span), ...items.slice(1)], form.span);
}

/**
 * `(assert expr message?)`: nil when expr is truthy, else an exception whose message carries the
 * form as written, as ClojureScript's: "Assert failed: (pos? x)", or "Assert failed: message" and
 * the form on the next line.
 */
function assertForm(form: ListForm): Form {
  need(
    form.items.length === 2 || form.items.length === 3,
    "assert",
    "expects an expression and an optional message",
    form.span,
  );
  const s = form.span;
  const test = form.items[1] as Form;
  const text = (value: string): Form => ({ kind: "string", value, span: s });
  const message =
    form.items.length === 2
      ? text(`Assert failed: ${printForm(test)}`)
      : list([core("str", s), text("Assert failed: "), form.items[2] as Form, text(`\n${printForm(test)}`)], s);
  return list(
    [sym("if", s), test, nil(s), list([sym("throw", s), list([core("ex-info", s), message, nil(s)], s)], s)],
    s,
  );
}

export type Expander = (form: ListForm) => Form;

/** A macro: its expansion and its documentation (`(doc name)`, the language reference). */
interface MacroEntry extends FormDoc {
  readonly expand: Expander;
}

const MACROS: ReadonlyMap<string, MacroEntry> = new Map<string, MacroEntry>([
  [
    "->",
    {
      expand: (f) => thread(f, false),
      usage: "(-> x forms*)",
      doc: "Threads x through the forms as their first argument: (-> x (f a)) is (f x a).",
      reference: "forms",
    },
  ],
  [
    "->>",
    {
      expand: (f) => thread(f, true),
      usage: "(->> x forms*)",
      doc: "Threads x through the forms as their last argument: (->> xs (map f)) is (map f xs).",
      reference: "forms",
    },
  ],
  [
    "some->",
    {
      expand: (f) => someThread(f, false),
      usage: "(some-> x forms*)",
      doc: "Like ->, but stops with nil as soon as a step gives nil.",
      reference: "forms",
    },
  ],
  [
    "some->>",
    {
      expand: (f) => someThread(f, true),
      usage: "(some->> x forms*)",
      doc: "Like ->>, but stops with nil as soon as a step gives nil.",
    },
  ],
  [
    "cond->",
    {
      expand: (f) => condThread(f, false),
      usage: "(cond-> x test form*)",
      doc: "Threads x (as first argument) through each form whose test is truthy.",
      reference: "forms",
    },
  ],
  [
    "cond->>",
    {
      expand: (f) => condThread(f, true),
      usage: "(cond->> x test form*)",
      doc: "Threads x (as last argument) through each form whose test is truthy.",
    },
  ],
  [
    "as->",
    {
      expand: asThread,
      usage: "(as-> x name forms*)",
      doc: "Binds name to x, then to each form's value in turn; returns the last.",
      reference: "forms",
    },
  ],
  [
    "when",
    {
      expand: (f) =>
        list(
          [
            sym("if", f.span),
            f.items[1] ?? missing(f, "when"),
            // One body form goes in as it is: a `do` around it is one more level to analyze.
            f.items.length === 3 ? (f.items[2] as Form) : list([sym("do", f.span), ...f.items.slice(2)], f.span),
            nil(f.span),
          ],
          f.span,
        ),
      usage: "(when test body*)",
      doc: "Evaluates body when test is truthy; else nil.",
      reference: "forms",
    },
  ],
  [
    "when-not",
    {
      expand: (f) =>
        list(
          [
            sym("if", f.span),
            f.items[1] ?? missing(f, "when-not"),
            nil(f.span),
            list([sym("do", f.span), ...f.items.slice(2)], f.span),
          ],
          f.span,
        ),
      usage: "(when-not test body*)",
      doc: "Evaluates body when test is falsy; else nil.",
      reference: "forms",
    },
  ],
  [
    "if-not",
    {
      expand: (f) => {
        need(
          f.items.length === 3 || f.items.length === 4,
          "if-not",
          "expects a test, a then and an optional else",
          f.span,
        );
        return list([sym("if", f.span), f.items[1] as Form, f.items[3] ?? nil(f.span), f.items[2] as Form], f.span);
      },
      usage: "(if-not test then else?)",
      doc: "(if (not test) then else).",
    },
  ],
  [
    "if-let",
    {
      expand: (f) => ifLet(f, "if-let", false),
      usage: "(if-let [name test] then else?)",
      doc: "then with name bound to test's value when it is truthy; else the else form.",
      reference: "forms",
    },
  ],
  [
    "if-some",
    {
      expand: (f) => ifLet(f, "if-some", true),
      usage: "(if-some [name test] then else?)",
      doc: "Like if-let, but tests for non-nil (false counts).",
    },
  ],
  [
    "when-let",
    {
      expand: (f) => whenLet(f, "when-let", false),
      usage: "(when-let [name test] body*)",
      doc: "Evaluates body with name bound to test's value when it is truthy; else nil.",
      reference: "forms",
    },
  ],
  [
    "when-some",
    {
      expand: (f) => whenLet(f, "when-some", true),
      usage: "(when-some [name test] body*)",
      doc: "Like when-let, but tests for non-nil (false counts).",
    },
  ],
  [
    "when-first",
    {
      expand: whenFirst,
      usage: "(when-first [name coll] body*)",
      doc: "Evaluates body with name bound to the first element when coll is not empty.",
    },
  ],
  [
    "cond",
    {
      expand: cond,
      usage: "(cond test expr* :else expr)",
      doc: "The expr after the first truthy test; nil when none is.",
      reference: "forms",
    },
  ],
  [
    "condp",
    {
      expand: condp,
      usage: "(condp pred expr test result* default?)",
      doc: "The result after the first test where (pred test expr) is truthy; else default, or an error.",
    },
  ],
  [
    "dotimes",
    {
      expand: dotimes,
      usage: "(dotimes [name n] body*)",
      doc: "Runs body with name bound to 0, 1, ... n-1; returns nil.",
      reference: "forms",
    },
  ],
  [
    "while",
    {
      expand: (f) =>
        list(
          [
            sym("loop", f.span),
            vec([], f.span),
            list(
              [
                sym("when", f.span),
                f.items[1] ?? missing(f, "while"),
                ...f.items.slice(2),
                list([sym("recur", f.span)], f.span),
              ],
              f.span,
            ),
          ],
          f.span,
        ),
      usage: "(while test body*)",
      doc: "Runs body while test is truthy (test reads an atom); returns nil.",
    },
  ],
  ["comment", { expand: (f) => nil(f.span), usage: "(comment forms*)", doc: "Ignores its forms; returns nil." }],
  [
    "assert",
    {
      expand: assertForm,
      usage: "(assert expr message?)",
      doc: 'nil when expr is truthy; else throws an exception with the message "Assert failed: " and the form (or the message, then the form).',
      reference: "control",
    },
  ],
  [
    "with-out-str",
    {
      // The builtin of the same name runs the body's fn with output captured (builtins/output.ts).
      expand: (f) =>
        list(
          [core("with-out-str", f.span), list([sym("fn", f.span), vec([], f.span), ...f.items.slice(1)], f.span)],
          f.span,
        ),
      usage: "(with-out-str body*)",
      doc: "Runs body and returns what the printing functions printed in it, as one string.",
    },
  ],
  [
    "lazy-seq",
    {
      expand: (f) =>
        list(
          [
            sym("or", f.span),
            list([core("seq", f.span), list([sym("do", f.span), ...f.items.slice(1)], f.span)], f.span),
            list([sym("quote", f.span), list([], f.span)], f.span),
          ],
          f.span,
        ),
      usage: "(lazy-seq body*)",
      doc: "The seq body gives (sequences are eager here).",
    },
  ],
  [
    "where",
    {
      expand: where,
      usage: "(where field op value)",
      doc: "Predicate on a map field with a bare operator symbol: (filter (where :age > 30) people).",
    },
  ],
  [
    "doc",
    {
      expand: doc,
      usage: "(doc name)",
      doc: "Prints the usage and documentation of a function, special form or macro; returns nil.",
    },
  ],
]);

function missing(form: ListForm, name: string): never {
  throw new MacroError(name, "expects a test expression", form.span);
}

/** The expander for a macro name, if the name is a built-in macro. */
export function macroFor(name: string): Expander | undefined {
  return MACROS.get(name)?.expand;
}

/** Every macro's name and documentation, in declaration order. */
export function macroDocs(): [string, FormDoc][] {
  return [...MACROS].map(([name, { usage, doc, reference }]) => [
    name,
    reference === undefined ? { usage, doc } : { usage, doc, reference },
  ]);
}

/** Every macro's name. */
export function macroNames(): IterableIterator<string> {
  return MACROS.keys();
}

export function isMacro(name: string): boolean {
  return MACROS.has(name);
}
