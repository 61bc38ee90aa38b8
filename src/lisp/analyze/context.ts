import type { MessageId } from "../../errors/codes.js";
import type { SourceSpan } from "../../errors/span.js";
import type { Form } from "../ast/nodes.js";
import type { Node } from "./ir.js";
import type { LexScope } from "./scope.js";

/** Where a `recur` would go: the number of values it must pass. */
export interface RecurTarget {
  readonly arity: number;
  /**
   * The target's slots, when every binding is a plain local: `recur` then writes its values
   * there itself (all evaluated first), and the loop or fn goes round without rebinding.
   * Otherwise `recur` leaves its values in `rt.recurArgs` for the target's binders.
   */
  readonly slots?: readonly number[];
}

/**
 * The analysis context of one form. Immutable; a form's children get a context derived with the
 * methods below rather than by an object spread, which on every call costs about a tenth of a
 * compile. Every context has the one shape of this class.
 */
export class Ctx {
  private nonTailCopy: Ctx | undefined = undefined;

  constructor(
    readonly scope: LexScope,
    /** The form's value is the value of its enclosing loop or fn body. */
    readonly tail: boolean,
    readonly recur: RecurTarget | null,
    /** Inside `#()`: `%` placeholders resolve. */
    readonly fnLiteral: boolean,
    /** Inside a parallel branch (`pmap`/`pcalls` argument): `return`/`fail` are rejected. */
    readonly parallel: boolean,
  ) {}

  /** The program's top level. */
  static top(scope: LexScope): Ctx {
    return new Ctx(scope, false, null, false, false);
  }

  /** This context out of tail position: itself when it is not in tail position, else one copy, kept. */
  get nonTail(): Ctx {
    if (!this.tail) return this;
    this.nonTailCopy ??= new Ctx(this.scope, false, this.recur, this.fnLiteral, this.parallel);
    return this.nonTailCopy;
  }

  /** This context in `scope`. */
  withScope(scope: LexScope): Ctx {
    return new Ctx(scope, this.tail, this.recur, this.fnLiteral, this.parallel);
  }

  /** Out of tail position, in `scope`. */
  nonTailIn(scope: LexScope): Ctx {
    return new Ctx(scope, false, this.recur, this.fnLiteral, this.parallel);
  }

  /** The body of a loop or an fn arity, in `scope`: tail position, `recur` going to `recur`. */
  loopBody(scope: LexScope, recur: RecurTarget): Ctx {
    return new Ctx(scope, true, recur, this.fnLiteral, this.parallel);
  }

  /** Where no `recur` reaches (`try`, comprehensions, parameter defaults), in `scope`. */
  withoutRecur(scope: LexScope): Ctx {
    return new Ctx(scope, false, null, this.fnLiteral, this.parallel);
  }

  /** Inside a `#()`: `%` placeholders resolve. */
  inFnLiteral(): Ctx {
    return this.fnLiteral ? this : new Ctx(this.scope, this.tail, this.recur, true, this.parallel);
  }

  /** An argument of a parallel builtin: out of tail position, in a parallel branch. */
  parallelBranch(): Ctx {
    return this.parallel ? this.nonTail : new Ctx(this.scope, false, this.recur, this.fnLiteral, true);
  }
}

/** Static facts about a global defined by `defn`, for arity checks at call sites. */
export interface GlobalFn {
  readonly fixed: ReadonlySet<number>;
  readonly variadicMin: number | null;
}

/**
 * What the special forms need of the lowering. The `Lowerer` class implements it; special forms
 * see only this, so `special-forms.ts` and `lower.ts` do not import each other.
 */
export interface LowererApi {
  readonly globals: ReadonlyMap<string, number>;
  lower(form: Form, ctx: Ctx): Node;
  lowerAll(forms: readonly Form[], ctx: Ctx): Node[];
  /** A body: forms in order, only the last in tail position. */
  body(forms: readonly Form[], ctx: Ctx): Node[];
  defineGlobal(name: string): number;
  noteGlobalFn(name: string, info: GlobalFn | undefined): void;
  /** Reports a diagnostic; the form becomes an `invalid` node at `span`. */
  report(id: MessageId, params: Readonly<Record<string, string | number>>, span: SourceSpan, hint?: string): Node;
  invalid(form: string, reason: string, span: SourceSpan): Node;
  /** From here on, `alias/name` means `namespace/name` (`ns`, `require`). */
  aliasNamespace(alias: string, namespace: string): void;
  /** From here on, unqualified `name` means `namespace/name`; false when there is no such builtin. */
  refer(name: string, namespace: string): boolean;
}
