import type { Form } from "../ast/nodes.js";

/** The placeholders a `#()` body uses: the highest `%n` (`%` counts as `%1`) and whether `%&` appears. */
export interface Placeholders {
  readonly max: number;
  readonly rest: boolean;
}

/** Scans a `#()` body for `%`, `%n`, `%&`, skipping quoted forms. Shared by the analyzer, the type checker and the cost estimator. */
export function fnLiteralPlaceholders(body: Form): Placeholders {
  let max = 0;
  let rest = false;
  const stack: Form[] = [body];
  while (stack.length > 0) {
    const form = stack.pop() as Form;
    if (form.kind === "symbol" && form.ns === null) {
      if (form.name === "%") max = Math.max(max, 1);
      else if (form.name === "%&") rest = true;
      else if (/^%[1-9]$/.test(form.name)) max = Math.max(max, Number(form.name.slice(1)));
    } else if (form.kind === "list" || form.kind === "vector" || form.kind === "map" || form.kind === "set") {
      const head = form.items[0];
      if (form.kind === "list" && head?.kind === "symbol" && head.ns === null && head.name === "quote") continue;
      stack.push(...form.items);
    }
  }
  return { max, rest };
}
