import { callValue, callValue1, callValue2 } from "../../src/lisp/eval/call.js";
import type { RunContext } from "../../src/lisp/eval/context.js";
import type { Atom, Value } from "../../src/lisp/values/value.js";

/** A RunContext for unit-testing builtins directly: unlimited budgets, output collected. */
export function testContext(): RunContext & { prints: string[]; fuel: number } {
  const context = {
    prints: [] as string[],
    fuel: 0,
    charge(units: number) {
      context.fuel += units;
    },
    alloc(_bytes: number) {},
    call(callee: Value, args: Value[]): Value {
      return callValue(context, callee, args);
    },
    call1(callee: Value, a: Value): Value {
      return callValue1(context, callee, a);
    },
    call2(callee: Value, a: Value, b: Value): Value {
      return callValue2(context, callee, a, b);
    },
    print(line: string) {
      context.prints.push(line);
    },
    callTool(name: string): Value {
      throw new Error(`no tools in testContext (called ${name})`);
    },
    parallel(thunks: Array<() => Value>): Value[] {
      return thunks.map((thunk) => thunk());
    },
    setAtom(atom: Atom, value: Value) {
      atom.value = value;
    },
    round: {},
  };
  return context;
}
