import { describe, expect, it } from "vitest";
import { BUILTINS } from "../../../../src/lisp/builtins/registry.js";
import { FailSignal, ReturnSignal } from "../../../../src/lisp/eval/signals.js";
import { printValue } from "../../../../src/lisp/printer/print-value.js";
import { fromJSON } from "../../../../src/lisp/values/json.js";
import { setActiveMeter } from "../../../../src/lisp/values/meter.js";
import {
  type Atom,
  ExInfo,
  Fn,
  Keyword,
  LazySeq,
  PList,
  PMap,
  PSet,
  PVector,
  type Value,
} from "../../../../src/lisp/values/value.js";
import { testContext } from "../../../helpers/context.js";

const kw = (name: string) => Keyword.of(name);
const vec = (...items: Value[]) => PVector.from(items);
const builtin = (name: string) => {
  const fn = BUILTINS.get(name);
  if (fn === undefined) throw new Error(`no builtin ${name}`);
  return fn;
};
const call = (name: string, ...args: Value[]) => builtin(name).invoke(testContext(), args);
const invoke = (fn: Value, ...args: Value[]) => testContext().call(fn, args);
const code = (thunk: () => unknown) => {
  try {
    thunk();
  } catch (error) {
    return (error as { code?: string }).code ?? (error as object).constructor.name;
  }
  return "no error";
};
const fnOf = (body: (args: Value[]) => Value): Value =>
  new (class extends Fn {
    readonly name = "test-fn";
    invoke(_context: unknown, args: Value[]): Value {
      return body(args);
    }
  })();
const inc = fnOf((args) => {
  if (typeof args[0] !== "number") throw Object.assign(new Error("inc"), { code: "type_error" });
  return args[0] + 1;
});
const add = fnOf((args) => args.reduce<number>((sum, x) => sum + (x as number), 0));
const isEven = fnOf((args) => (args[0] as number) % 2 === 0);
const naturals = () =>
  new LazySeq(function* () {
    for (let i = 0; ; i++) yield i;
  }, true);

describe("function combinators", () => {
  it("apply spreads its last argument", () => {
    expect(call("apply", add, vec(1, 2, 3))).toBe(6);
    expect(call("apply", add, 1, 2, vec(3, 4))).toBe(10);
    expect(call("apply", add, null)).toBe(0);
    expect(call("apply", kw("name"), vec(PMap.fromEntries([[kw("name"), "Al"]])))).toBe("Al");
    expect(code(() => call("apply", add, 5))).toBe("type_error");
    expect(code(() => call("apply", add))).toBe("arity_error");
  });

  it("partial, comp, juxt, complement, constantly, identity", () => {
    expect(invoke(call("partial", add, 10), 5)).toBe(15);
    expect(call("partial", add)).toBe(add);
    expect(invoke(call("comp", inc, inc), 1)).toBe(3);
    expect(invoke(call("comp", kw("a"), add), 1, 2)).toBe(null);
    expect(invoke(call("comp"), 7)).toBe(7);
    expect(call("comp", inc)).toBe(inc);
    expect(printValue(invoke(call("juxt", kw("a"), inc), 1))).toBe("[nil 2]");
    expect(code(() => call("juxt"))).toBe("arity_error");
    expect(invoke(call("complement", isEven), 3)).toBe(true);
    expect(invoke(call("constantly", 0), 1, 2, 3)).toBe(0);
    expect(call("identity", 42)).toBe(42);
    expect(call("boolean", 0)).toBe(true);
    expect(call("boolean", null)).toBe(false);
  });

  it("fnil, every-pred, some-fn, memoize", () => {
    expect(invoke(call("fnil", inc, 0), null)).toBe(1);
    expect(invoke(call("fnil", add, 0, 0), null, null, 5)).toBe(5);
    const positive = fnOf((args) => (args[0] as number) > 0);
    expect(invoke(call("every-pred", positive, isEven), 4)).toBe(true);
    expect(invoke(call("every-pred", positive, isEven), 4, 3)).toBe(false);
    const isZero = fnOf((args) => args[0] === 0);
    const isNil = fnOf((args) => args[0] === null);
    expect(invoke(call("some-fn", isNil, isZero), 0)).toBe(true);
    expect(invoke(call("some-fn", isNil, isZero), 1)).toBe(false);
    expect(invoke(call("some-fn", kw("a")), PMap.EMPTY)).toBe(null);
    let calls = 0;
    const slow = fnOf((args) => {
      calls++;
      return args[0] as number;
    });
    const fast = call("memoize", slow);
    const context = testContext();
    context.call(fast, [1]);
    context.call(fast, [1]);
    context.call(fast, ["a"]);
    context.call(fast, [kw("a")]);
    expect(calls).toBe(3);
  });
});

describe("atoms", () => {
  it("atom, deref, reset!, swap!, swap-vals!, reset-vals!", () => {
    const a = call("atom", 1) as Atom;
    expect(call("swap!", a, inc)).toBe(2);
    expect(call("swap!", a, add, 10, 20)).toBe(32);
    expect(call("reset!", a, 5)).toBe(5);
    expect(call("deref", a)).toBe(5);
    expect(printValue(call("swap-vals!", a, inc))).toBe("[5 6]");
    expect(printValue(call("reset-vals!", a, 0))).toBe("[6 0]");
    expect(code(() => call("deref", 5))).toBe("type_error");
    expect(code(() => call("swap!", vec(), inc))).toBe("type_error");
  });
});

describe("exceptions and control", () => {
  it("ex-info and its accessors", () => {
    const data = PMap.fromEntries([[kw("x"), 1]]);
    const error = call("ex-info", "boom", data);
    expect(error).toBeInstanceOf(ExInfo);
    expect(call("ex-message", error)).toBe("boom");
    expect(call("ex-data", error)).toBe(data);
    expect(call("ex-cause", call("ex-info", "outer", data, error))).toBe(error);
    expect(call("ex-message", "not an exception")).toBe(null);
    expect(call("ex-data", 5)).toBe(null);
    expect(code(() => call("ex-info", "boom", 5))).toBe("type_error");
    expect(code(() => call("ex-info", 5, data))).toBe("type_error");
  });

  it("return and fail throw their signals", () => {
    expect(() => call("return", 42)).toThrow(ReturnSignal);
    expect(() => call("fail", "bad")).toThrow(FailSignal);
    expect(code(() => call("fail"))).toBe("arity_error");
    expect(code(() => call("return", 1, 2))).toBe("arity_error");
  });

  it("pmap and pcalls run branches through context.parallel, in order", () => {
    const context = testContext();
    let branches = 0;
    context.parallel = (thunks) => {
      branches += thunks.length;
      return thunks.map((thunk) => thunk());
    };
    const squares = builtin("pmap").invoke(context, [fnOf((args) => (args[0] as number) ** 2), vec(1, 2, 3)]);
    expect(squares).toBeInstanceOf(PList);
    expect(printValue(squares)).toBe("(1 4 9)");
    expect(branches).toBe(3);
    expect(printValue(call("pmap", add, vec(1, 2), naturals()))).toBe("(1 3)");
    expect(printValue(call("pmap", inc, PSet.from([1, 2])))).toBe("(2 3)");
    expect(printValue(call("pmap", kw("a"), fromJSON([{ a: 1 }])))).toBe("(1)");
    expect(
      printValue(
        call(
          "pcalls",
          fnOf(() => 2),
          fnOf(() => 6),
        ),
      ),
    ).toBe("(2 6)");
    expect(printValue(call("pcalls"))).toBe("()");
    expect(code(() => call("pmap", inc, PMap.fromEntries([[kw("a"), 1]])))).toBe("type_error");
    expect(code(() => call("pcalls", builtin("identity")))).toBe("arity_error");
    expect(code(() => call("pmap", builtin("return"), vec(1)))).toBe("invalid_form");
    expect(
      code(() =>
        call(
          "pcalls",
          fnOf(() => call("fail", 1)),
        ),
      ),
    ).toBe("invalid_form");
  });
});

describe("printing", () => {
  const printed = (name: string, ...args: Value[]) => {
    const context = testContext();
    expect(builtin(name).invoke(context, args)).toBe(null);
    return context.prints;
  };

  it("println and print show strings bare, prn and pr quote them; one entry per call", () => {
    const mixed = [
      "a",
      1,
      kw("k"),
      null,
      vec(1, "s"),
      PMap.fromEntries([
        [kw("a"), "b"],
        [kw("c"), 1],
      ]),
      1.5,
      PSet.from([1]),
    ];
    expect(printed("println", ...mixed)).toEqual(["a 1 :k nil [1 s] {:a b, :c 1} 1.5 #{1}"]);
    expect(printed("println")).toEqual([""]);
    expect(printed("print", "x", "y")).toEqual(["x y"]);
    expect(printed("prn", PMap.fromEntries([[kw("a"), "x"]]))).toEqual(['{:a "x"}']);
    expect(printed("pr", "q")).toEqual(['"q"']);
    expect(printed("newline")).toEqual([""]);
    expect(printed("println", PList.from(["h", "e"]))).toEqual(["(h e)"]);
  });

  it("string printers", () => {
    expect(call("pr-str", PMap.fromEntries([[kw("a"), "x"]]))).toBe('{:a "x"}');
    expect(call("prn-str", "a", 1)).toBe('"a" 1\n');
    expect(call("print-str", "a", vec("b"))).toBe("a [b]");
    expect(call("println-str", "a")).toBe("a\n");
    expect(call("pr-str")).toBe("");
  });

  it("realizes lazy seqs once, refuses infinite ones, prints any depth, and charges the active meter", () => {
    let pulls = 0;
    const counted = new LazySeq(function* () {
      for (let i = 0; i < 3; i++) {
        pulls++;
        yield i;
      }
    }, false);
    expect(call("pr-str", vec(counted))).toBe("[(0 1 2)]");
    expect(pulls).toBe(3);
    expect(code(() => call("println", naturals()))).toBe("limit_exceeded");
    let deep: Value = PVector.EMPTY;
    for (let i = 0; i < 5000; i++) deep = vec(deep);
    expect(call("pr-str", deep)).toBe(`${"[".repeat(5001)}${"]".repeat(5001)}`);
    const meter = {
      fuel: 0,
      bytes: 0,
      charge: (units: number) => (meter.fuel += units),
      alloc: (bytes: number) => (meter.bytes += bytes),
    };
    setActiveMeter(meter);
    try {
      call("pr-str", PVector.from(Array.from({ length: 5000 }, (_, i) => i)));
    } finally {
      setActiveMeter(null);
    }
    expect(meter.fuel).toBeGreaterThanOrEqual(5000);
    expect(meter.bytes).toBeGreaterThanOrEqual(2 * 5000);
  });
});
