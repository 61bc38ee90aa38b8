/**
 * Symbolic cost expressions over input sizes: constants, size variables (`|orders|`), sums,
 * products, maxima and minima. They print themselves (`2 + 3*|orders|`) and evaluate under
 * given sizes.
 */
export type CostNode =
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "size"; readonly name: string }
  | { readonly kind: "add"; readonly terms: readonly CostNode[] }
  | { readonly kind: "mul"; readonly factors: readonly CostNode[] }
  | { readonly kind: "max"; readonly options: readonly CostNode[] }
  | { readonly kind: "min"; readonly options: readonly CostNode[] }
  | { readonly kind: "ceil"; readonly numerator: CostNode; readonly denominator: number };

/** Sizes of the inputs by name (`orders`, `orders.items`, `search`). */
export type Sizes = Readonly<Record<string, number>>;

function isConst(node: CostNode, value?: number): node is { kind: "const"; value: number } {
  return node.kind === "const" && (value === undefined || node.value === value);
}

/** True when the node cannot be negative (sizes are never negative). */
function nonNegative(node: CostNode): boolean {
  switch (node.kind) {
    case "const":
      return node.value >= 0;
    case "size":
      return true;
    case "add":
      return node.terms.every(nonNegative);
    case "mul":
      return node.factors.every(nonNegative);
    case "max":
      return node.options.some(nonNegative);
    case "min":
      return node.options.every(nonNegative);
    case "ceil":
      return nonNegative(node.numerator);
  }
}

function key(node: CostNode): string {
  switch (node.kind) {
    case "const":
      return String(node.value);
    case "size":
      return `|${node.name}|`;
    case "add":
      return `(+ ${node.terms.map(key).join(" ")})`;
    case "mul":
      return `(* ${node.factors.map(key).join(" ")})`;
    case "max":
      return `(max ${node.options.map(key).join(" ")})`;
    case "min":
      return `(min ${node.options.map(key).join(" ")})`;
    case "ceil":
      return `(ceil ${key(node.numerator)} ${node.denominator})`;
  }
}

/** An immutable cost expression. */
export class CostExpr {
  private constructor(readonly node: CostNode) {}

  static readonly ZERO = new CostExpr({ kind: "const", value: 0 });
  static readonly ONE = new CostExpr({ kind: "const", value: 1 });

  /** The constant `value`. */
  static constant(value: number): CostExpr {
    return new CostExpr({ kind: "const", value });
  }

  /** The size of input `name`, printed `|name|`. */
  static size(name: string): CostExpr {
    return new CostExpr({ kind: "size", name });
  }

  /** True when the expression is the constant 0. */
  get isZero(): boolean {
    return isConst(this.node, 0);
  }

  /** The constant value, when the expression has no size variable. */
  get constantValue(): number | undefined {
    return this.node.kind === "const" ? this.node.value : undefined;
  }

  /** The sum, simplified (like terms collected, zeros dropped). */
  plus(other: CostExpr): CostExpr {
    const a = this.node;
    const b = other.node;
    if (isConst(a, 0)) return other;
    if (isConst(b, 0)) return this;
    if (a.kind === "const" && b.kind === "const") return CostExpr.constant(a.value + b.value);
    // Collect like terms: c1*X + c2*X = (c1+c2)*X, constants together.
    const terms = new Map<string, { coefficient: number; rest: CostNode | null }>();
    let constant = 0;
    const add = (node: CostNode) => {
      if (node.kind === "add") {
        node.terms.forEach(add);
        return;
      }
      if (node.kind === "const") {
        constant += node.value;
        return;
      }
      let coefficient = 1;
      let rest: CostNode = node;
      if (node.kind === "mul" && node.factors[0]?.kind === "const") {
        coefficient = node.factors[0].value;
        const others = node.factors.slice(1);
        rest = others.length === 1 ? (others[0] as CostNode) : { kind: "mul", factors: others };
      }
      const k = key(rest);
      const existing = terms.get(k);
      if (existing) existing.coefficient += coefficient;
      else terms.set(k, { coefficient, rest });
    };
    add(a);
    add(b);
    const out: CostNode[] = [];
    for (const { coefficient, rest } of terms.values()) {
      if (coefficient === 0 || rest === null) continue;
      out.push(
        coefficient === 1 ? rest : new CostExpr({ kind: "const", value: coefficient }).times(new CostExpr(rest)).node,
      );
    }
    if (constant !== 0) out.push({ kind: "const", value: constant });
    if (out.length === 0) return CostExpr.ZERO;
    if (out.length === 1) return new CostExpr(out[0] as CostNode);
    return new CostExpr({ kind: "add", terms: out });
  }

  /** The product, simplified (constants folded, a zero factor gives 0). */
  times(other: CostExpr): CostExpr {
    const a = this.node;
    const b = other.node;
    if (isConst(a, 0) || isConst(b, 0)) return CostExpr.ZERO;
    if (isConst(a, 1)) return other;
    if (isConst(b, 1)) return this;
    if (a.kind === "const" && b.kind === "const") return CostExpr.constant(a.value * b.value);
    // Distribute over sums so like terms can be collected.
    if (a.kind === "add")
      return a.terms.reduce((acc, term) => acc.plus(new CostExpr(term).times(other)), CostExpr.ZERO);
    if (b.kind === "add") return b.terms.reduce((acc, term) => acc.plus(this.times(new CostExpr(term))), CostExpr.ZERO);
    let constant = 1;
    const factors: CostNode[] = [];
    const collect = (node: CostNode) => {
      if (node.kind === "mul") node.factors.forEach(collect);
      else if (node.kind === "const") constant *= node.value;
      else factors.push(node);
    };
    collect(a);
    collect(b);
    factors.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
    if (constant !== 1) factors.unshift({ kind: "const", value: constant });
    return new CostExpr(factors.length === 1 ? (factors[0] as CostNode) : { kind: "mul", factors });
  }

  /** The larger of the two; equal expressions give one of them. */
  max(other: CostExpr): CostExpr {
    return CostExpr.combine("max", this, other);
  }

  /** The smaller of the two; equal expressions give one of them. */
  min(other: CostExpr): CostExpr {
    return CostExpr.combine("min", this, other);
  }

  private static combine(kind: "max" | "min", left: CostExpr, right: CostExpr): CostExpr {
    const a = left.node;
    const b = right.node;
    if (key(a) === key(b)) return left;
    if (a.kind === "const" && b.kind === "const") {
      return CostExpr.constant(kind === "max" ? Math.max(a.value, b.value) : Math.min(a.value, b.value));
    }
    if (kind === "max" && isConst(a, 0) && nonNegative(b)) return right;
    if (kind === "max" && isConst(b, 0) && nonNegative(a)) return left;
    const options: CostNode[] = [];
    const seen = new Set<string>();
    for (const node of [a, b]) {
      for (const option of node.kind === kind ? node.options : [node]) {
        const k = key(option);
        if (!seen.has(k)) {
          seen.add(k);
          options.push(option);
        }
      }
    }
    return new CostExpr({ kind, options });
  }

  /** `ceil(this / denominator)`, for chunking (`partition-all`); `denominator` is a positive constant. */
  ceilDiv(denominator: number): CostExpr {
    if (denominator === 1) return this;
    if (this.node.kind === "const") return CostExpr.constant(Math.ceil(this.node.value / denominator));
    return new CostExpr({ kind: "ceil", numerator: this.node, denominator });
  }

  /** The size variables the expression mentions. */
  sizes(): string[] {
    const names = new Set<string>();
    const walk = (node: CostNode) => {
      if (node.kind === "size") names.add(node.name);
      else if (node.kind === "add") node.terms.forEach(walk);
      else if (node.kind === "mul") node.factors.forEach(walk);
      else if (node.kind === "max" || node.kind === "min") node.options.forEach(walk);
      else if (node.kind === "ceil") walk(node.numerator);
    };
    walk(this.node);
    return [...names].sort();
  }

  /** The value under `sizes`; a size without a value counts as `fallback`. */
  evaluate(sizes: Sizes = {}, fallback = 10): number {
    const walk = (node: CostNode): number => {
      switch (node.kind) {
        case "const":
          return node.value;
        case "size":
          return Object.hasOwn(sizes, node.name) ? (sizes[node.name] as number) : fallback;
        case "add":
          return node.terms.reduce((sum, term) => sum + walk(term), 0);
        case "mul":
          return node.factors.reduce((product, factor) => product * walk(factor), 1);
        case "max":
          return Math.max(...node.options.map(walk));
        case "min":
          return Math.min(...node.options.map(walk));
        case "ceil":
          return Math.ceil(walk(node.numerator) / node.denominator);
      }
    };
    return walk(this.node);
  }

  /** The expression as the cost report prints it, e.g. `2 + 3*|orders|`. */
  toString(): string {
    const show = (node: CostNode, parent: "add" | "mul" | "top"): string => {
      switch (node.kind) {
        case "const":
          return Number.isInteger(node.value) ? String(node.value) : node.value.toFixed(2);
        case "size":
          return `|${node.name}|`;
        case "add": {
          let text = "";
          node.terms.forEach((term, i) => {
            const negative = term.kind === "const" && term.value < 0;
            const shown = negative ? show({ kind: "const", value: -term.value }, "add") : show(term, "add");
            text += i === 0 ? (negative ? `-${shown}` : shown) : negative ? ` - ${shown}` : ` + ${shown}`;
          });
          return parent === "mul" ? `(${text})` : text;
        }
        case "mul":
          return node.factors.map((factor) => show(factor, "mul")).join("*");
        case "max":
        case "min":
          return `${node.kind}(${node.options.map((option) => show(option, "top")).join(", ")})`;
        case "ceil":
          return `ceil(${show(node.numerator, "top")}/${node.denominator})`;
      }
    };
    return show(this.node, "top");
  }
}
