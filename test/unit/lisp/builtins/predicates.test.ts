import { describe, expect, it } from "vitest";
import { compileRegex } from "../../../../src/lisp/builtins/regex.js";
import { BUILTINS } from "../../../../src/lisp/builtins/registry.js";
import { fromJSON } from "../../../../src/lisp/values/json.js";
import {
  Atom,
  Keyword,
  LazySeq,
  MapEntry,
  PList,
  PMap,
  PSet,
  PVector,
  Sym,
  type Value,
  Var,
} from "../../../../src/lisp/values/value.js";
import { testContext } from "../../../helpers/context.js";

function call(name: string, ...args: Value[]): Value {
  const fn = BUILTINS.get(name);
  if (fn === undefined) throw new Error(`no builtin ${name}`);
  return fn.invoke(testContext(), args);
}

/** The names of the predicates that hold for `value`, among `names`. */
function holds(value: Value, names: string[]): string[] {
  return names.filter((name) => call(name, value) === true);
}

const TYPES = [
  "nil?",
  "some?",
  "boolean?",
  "number?",
  "integer?",
  "float?",
  "string?",
  "char?",
  "keyword?",
  "symbol?",
  "fn?",
  "ifn?",
  "map?",
  "vector?",
  "list?",
  "set?",
  "seq?",
  "coll?",
  "sequential?",
  "associative?",
  "seqable?",
  "regex?",
  "var?",
];

describe("type predicates", () => {
  it("classify each kind of value", () => {
    const lazy = new LazySeq(() => [1][Symbol.iterator](), false);
    expect(holds(null, TYPES)).toEqual(["nil?", "seqable?"]);
    expect(holds(false, TYPES)).toEqual(["some?", "boolean?"]);
    expect(holds(1, TYPES)).toEqual(["some?", "number?", "integer?", "float?"]);
    expect(holds(1.5, TYPES)).toEqual(["some?", "number?", "float?"]);
    expect(holds(Number.NaN, TYPES)).toEqual(["some?", "number?", "float?"]);
    expect(holds("x", TYPES)).toEqual(["some?", "string?", "char?", "seqable?"]);
    expect(holds("xy", TYPES)).toEqual(["some?", "string?", "seqable?"]);
    expect(holds(Keyword.of("a"), TYPES)).toEqual(["some?", "keyword?", "ifn?"]);
    expect(holds(Sym.of("a"), TYPES)).toEqual(["some?", "symbol?", "ifn?"]);
    expect(holds(BUILTINS.get("inc") as Value, TYPES)).toEqual(["some?", "fn?", "ifn?"]);
    expect(holds(PMap.EMPTY, TYPES)).toEqual(["some?", "ifn?", "map?", "coll?", "associative?", "seqable?"]);
    expect(holds(fromJSON({ a: 1 }), ["map?"])).toEqual(["map?"]);
    expect(holds(PVector.EMPTY, TYPES)).toEqual([
      "some?",
      "ifn?",
      "vector?",
      "coll?",
      "sequential?",
      "associative?",
      "seqable?",
    ]);
    expect(holds(new MapEntry(1, 2), ["vector?", "map-entry?"])).toEqual(["vector?", "map-entry?"]);
    expect(holds(PList.EMPTY, TYPES)).toEqual(["some?", "list?", "seq?", "coll?", "sequential?", "seqable?"]);
    expect(holds(PList.EMPTY_SEQ, TYPES)).toEqual(["some?", "seq?", "coll?", "sequential?", "seqable?"]);
    expect(holds(lazy, TYPES)).toEqual(["some?", "seq?", "coll?", "sequential?", "seqable?"]);
    expect(holds(PSet.EMPTY, TYPES)).toEqual(["some?", "ifn?", "set?", "coll?", "seqable?"]);
    expect(holds(compileRegex("a"), TYPES)).toEqual(["some?", "regex?"]);
    expect(holds(new Var("x"), TYPES)).toEqual(["some?", "var?"]);
    expect(holds(new Atom(1), ["atom?", "coll?"])).toEqual(["atom?"]);
  });

  it("number refinements", () => {
    expect(holds(2.0, ["int?", "nat-int?", "pos-int?", "neg-int?", "double?"])).toEqual([
      "int?",
      "nat-int?",
      "pos-int?",
      "double?",
    ]);
    expect(holds(-3, ["neg-int?", "nat-int?"])).toEqual(["neg-int?"]);
    expect(holds(Number.POSITIVE_INFINITY, ["integer?", "infinite?", "NaN?"])).toEqual(["infinite?"]);
    expect(holds(Number.NaN, ["NaN?", "infinite?"])).toEqual(["NaN?"]);
  });
});

describe("logic", () => {
  it("true?, false?, not", () => {
    expect([call("true?", true), call("true?", 1), call("false?", false), call("false?", null)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect([call("not", true), call("not", null), call("not", 0), call("not", PVector.EMPTY)]).toEqual([
      false,
      true,
      false,
      false,
    ]);
  });

  it("distinct? compares with Clojure equality", () => {
    expect([call("distinct?", 1), call("distinct?", 1, 2, 3), call("distinct?", 1, 2, 1)]).toEqual([true, true, false]);
    expect([call("distinct?", "a", Keyword.of("a")), call("distinct?", 1, 1.0)]).toEqual([true, false]);
    expect(call("distinct?", PVector.from([1]), PList.from([1]))).toBe(false);
    let code: string | undefined;
    try {
      call("distinct?");
    } catch (error) {
      code = (error as { code?: string }).code;
    }
    expect(code).toBe("arity_error");
  });
});
