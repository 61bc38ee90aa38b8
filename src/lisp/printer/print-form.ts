import type { Form, ListForm } from "../ast/nodes.js";

/**
 * Prints a form as PTC-Lisp source that reads back as an equal form (spans aside): reader sugar
 * is printed as written ('x, @x, #'x), strings and characters are escaped, numbers keep their
 * double value (`##NaN`, `##Inf`, `-0.0`). Iterative, so any depth the reader accepts prints.
 */
export function printForm(form: Form): string {
  let out = "";
  // Work stack of forms still to print and literal text between them, top last.
  const stack: (Form | string)[] = [form];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (typeof next === "string") {
      out += next;
      continue;
    }
    switch (next.kind) {
      case "list": {
        const argument = sugarArgument(next);
        if (argument !== undefined && next.sugar !== undefined) {
          out += SUGAR_PREFIX[next.sugar];
          stack.push(argument);
        } else {
          out += "(";
          pushItems(stack, next.items, ")");
        }
        break;
      }
      case "vector":
        out += "[";
        pushItems(stack, next.items, "]");
        break;
      case "map":
        out += "{";
        pushItems(stack, next.items, "}");
        break;
      case "set":
        out += "#{";
        pushItems(stack, next.items, "}");
        break;
      case "fn-literal":
        out += "#(";
        pushItems(stack, next.body.items, ")");
        break;
      default:
        out += printAtom(next);
    }
  }
  return out;
}

type Atom = Exclude<Form, { kind: "list" | "vector" | "map" | "set" | "fn-literal" }>;

function printAtom(form: Atom): string {
  switch (form.kind) {
    case "nil":
      return "nil";
    case "boolean":
      return form.value ? "true" : "false";
    case "number":
      return printNumber(form.value);
    case "string":
      return printString(form.value);
    case "char":
      return printChar(form.value);
    case "keyword":
      return form.ns === null ? `:${form.name}` : `:${form.ns}/${form.name}`;
    case "symbol":
      return form.ns === null ? form.name : `${form.ns}/${form.name}`;
    case "regex":
      return `#"${form.pattern}"`;
  }
}

const SUGAR_PREFIX = { quote: "'", deref: "@", var: "#'" } as const;

/** The form a sugared list wraps, when the list still has the sugar's shape. */
function sugarArgument(form: ListForm): Form | undefined {
  const [head, argument] = form.items;
  return form.sugar !== undefined &&
    form.items.length === 2 &&
    head?.kind === "symbol" &&
    head.ns === null &&
    head.name === form.sugar
    ? argument
    : undefined;
}

function pushItems(stack: (Form | string)[], items: readonly Form[], close: string): void {
  stack.push(close);
  for (let index = items.length - 1; index >= 0; index--) {
    stack.push(items[index] as Form);
    if (index > 0) stack.push(" ");
  }
}

function printNumber(value: number): string {
  if (Number.isNaN(value)) return "##NaN";
  if (value === Number.POSITIVE_INFINITY) return "##Inf";
  if (value === Number.NEGATIVE_INFINITY) return "##-Inf";
  if (Object.is(value, -0)) return "-0.0";
  return String(value);
}

const STRING_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\t": "\\t",
  "\r": "\\r",
  "\b": "\\b",
  "\f": "\\f",
};

// Control characters and unpaired surrogates are written as \uXXXX so the text stays printable.
const STRING_NEEDS_ESCAPE =
  /["\\\x00-\x1f\x7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function printString(value: string): string {
  return `"${value.replace(STRING_NEEDS_ESCAPE, (char) => STRING_ESCAPES[char] ?? unicodeEscape(char))}"`;
}

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

const CHARACTER_NAMES: Readonly<Record<string, string>> = {
  "\n": "newline",
  " ": "space",
  "\t": "tab",
  "\r": "return",
  "\b": "backspace",
  "\f": "formfeed",
};

function printChar(value: string): string {
  const name = CHARACTER_NAMES[value];
  if (name !== undefined) return `\\${name}`;
  const code = value.codePointAt(0) ?? 0;
  // Whitespace, controls and lone surrogates cannot follow a backslash as themselves.
  if (value.length === 1 && (/[\s\x00-\x1f\x7f]/.test(value) || (code >= 0xd800 && code <= 0xdfff))) {
    return unicodeEscape(value);
  }
  return `\\${value}`;
}
