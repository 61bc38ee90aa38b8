import type { Exec } from "../eval/closure.js";
import type { Frame } from "../eval/runtime.js";
import type { Atom, Value } from "../values/value.js";

/**
 * Lexical scopes, resolved at analysis time (SCI style): each local becomes a slot in its
 * function's frame; a function that uses a local of an enclosing function captures it, and
 * the value is copied into the closure when the `fn` is evaluated (closure conversion — exact
 * because locals are immutable). `letfn` names are boxed so the functions can see each other.
 */
export class FnScope {
  /** Slots used by the arity being analyzed. */
  slots = 0;
  /** Captured locals, in capture order; `source` is how the enclosing function reads each. */
  readonly captures: { readonly binding: Binding; readonly source: Ref }[] = [];
  /** Made on the first capture: most functions capture nothing. */
  private captureIndex: Map<Binding, number> | null = null;

  constructor(readonly parent: FnScope | null) {}

  allocate(): number {
    return this.slots++;
  }

  /** How code of this function reads `binding`. */
  refFor(binding: Binding): Ref {
    if (binding.owner === this)
      return binding.self
        ? { kind: "self", boxed: false }
        : { kind: "slot", index: binding.slot, boxed: binding.boxed };
    this.captureIndex ??= new Map();
    let index = this.captureIndex.get(binding);
    if (index === undefined) {
      const parent = this.parent;
      if (parent === null) throw new Error("binding outside every enclosing function");
      const source = parent.refFor(binding);
      index = this.captures.length;
      this.captures.push({ binding, source: { ...source, boxed: false } });
      this.captureIndex.set(binding, index);
    }
    return { kind: "captured", index, boxed: binding.boxed };
  }
}

/** A named local. */
export class Binding {
  constructor(
    readonly name: string,
    readonly owner: FnScope,
    readonly slot: number,
    /** True for letfn names: the slot holds an Atom-like box filled after the fns exist. */
    readonly boxed: boolean = false,
    /** True for a named fn's own name. */
    readonly self: boolean = false,
  ) {}
}

export type Ref =
  | { readonly kind: "slot"; readonly index: number; readonly boxed: boolean }
  | { readonly kind: "captured"; readonly index: number; readonly boxed: boolean }
  | { readonly kind: "self"; readonly boxed: boolean };

/** A chain of lexical scopes; crossing into a `fn` starts a new FnScope. */
export class LexScope {
  /** Made on the first name: many scopes (an fn's outer scope, most parameterless arities) have none. */
  private names: Map<string, Binding> | null = null;
  constructor(
    readonly parent: LexScope | null,
    readonly fn: FnScope,
  ) {}

  define(name: string, boxed = false): Binding {
    const binding = new Binding(name, this.fn, this.fn.allocate(), boxed);
    this.alias(name, binding);
    return binding;
  }

  /** Makes `name` another name of `binding` (a named fn's own name, `%` for `%1`). */
  alias(name: string, binding: Binding): void {
    this.names ??= new Map();
    this.names.set(name, binding);
  }

  lookup(name: string): Binding | undefined {
    for (let scope: LexScope | null = this; scope !== null; scope = scope.parent) {
      const found = scope.names?.get(name);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Every visible local name (for "did you mean" hints). */
  visibleNames(): string[] {
    const out: string[] = [];
    for (let scope: LexScope | null = this; scope !== null; scope = scope.parent) {
      if (scope.names !== null) out.push(...scope.names.keys());
    }
    return out;
  }
}

/** Marks execs that only read an unboxed slot, with the slot index (for specialized call nodes). */
const SLOT = Symbol("slot");

type SlotReader = Exec & { [SLOT]?: number };

/** The slot an exec reads, when it is a plain local read. */
export function slotOf(exec: Exec): number | undefined {
  return (exec as SlotReader)[SLOT];
}

/** Compiles a Ref into a reader of the value. */
export function readRef(ref: Ref): Exec {
  if (ref.kind === "slot") {
    const i = ref.index;
    if (ref.boxed) return (f: Frame) => (f.slots[i] as Atom).value;
    const exec: SlotReader = (f: Frame) => f.slots[i] as Value;
    exec[SLOT] = i;
    return exec;
  }
  if (ref.kind === "captured") {
    const i = ref.index;
    return ref.boxed ? (f: Frame) => (f.captured[i] as Atom).value : (f: Frame) => f.captured[i] as Value;
  }
  return (f: Frame) => f.self as Value;
}

/** Reads the raw slot content (the box itself for boxed bindings), for building captures. */
export function readRaw(ref: Ref): Exec {
  return readRef({ ...ref, boxed: false });
}
