import type { Form } from "./nodes.js";

/** The direct sub-forms of a form, in source order. */
export function childForms(form: Form): readonly Form[] {
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
