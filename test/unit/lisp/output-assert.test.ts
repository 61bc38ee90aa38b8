import { describe, expect, it } from "vitest";
import { compile, evaluate, printValue, type Tools } from "../../../src/index.js";
import { caughtMessage, failureOf, valueOf } from "../../helpers/run-program.js";

/**
 * with-out-str (builtins/output.ts and the macro) and assert (a macro): what they capture and
 * raise, and the output budget (values are pinned by the conformance cases clj-out-str-* and
 * clj-assert-*).
 */

describe("with-out-str", () => {
  it("captures print, println, pr, prn, newline and doc, and prints nothing itself", async () => {
    const result = await evaluate(
      '(do (println "before") (with-out-str (print "a" 1) (println "b") (pr "c") (prn :d) (newline)))',
    );
    expect(result.ok && printValue(result.value)).toBe('"a 1b\\n\\"c\\":d\\n\\n"');
    expect(result.prints).toEqual(["before"]);
    expect(await valueOf('(str/starts-with? (with-out-str (doc map)) "map\\n(map f & colls)")')).toBe("true");
  });

  it("charges what it captures to the output budget", async () => {
    const limits = { outputBytes: 100 };
    expect(await valueOf('(count (with-out-str (dotimes [i 9] (print "0123456789"))))', { limits })).toBe("90");
    const over = await failureOf('(with-out-str (dotimes [i 20] (print "0123456789")))', { limits });
    expect(over.code).toBe("limit_exceeded");
    expect(over.message).toMatch(/^output limit exceeded/);
  });

  it("drops what the body printed when the body throws, and nests", async () => {
    const result = await evaluate(
      '[(try (with-out-str (println "lost") (throw (ex-info "x" {}))) (catch :default e :caught)) (with-out-str (print 1) (print (with-out-str (print 2))) (print 3))]',
    );
    expect(result.ok && printValue(result.value)).toBe('[:caught "123"]');
    expect(result.prints).toEqual([]);
  });

  it("captures around a tool call, in order, without printing twice", async () => {
    const tools: Tools = { ping: async () => "pong" };
    const result = await evaluate('(with-out-str (println "a") (println (tool/ping {})) (println "b"))', { tools });
    expect(result.ok && printValue(result.value)).toBe('"a\\npong\\nb\\n"');
    expect(result.prints).toEqual([]);
  });
});

describe("assert", () => {
  it("fails with the form as written, or the message and then the form", async () => {
    expect(await caughtMessage("(let [x -1] (assert (pos? x)))")).toBe("Assert failed: (pos? x)");
    expect(await caughtMessage('(let [x -1] (assert (pos? x) (str "x is " x)))')).toBe(
      "Assert failed: x is -1\n(pos? x)",
    );
    expect(await failureOf("(assert (= [1 2] [1 3]))")).toEqual({
      code: "thrown",
      message: "uncaught exception: Assert failed: (= [1 2] [1 3])",
    });
  });

  it("is nil when the test holds, and needs an expression and at most a message", async () => {
    expect(await valueOf('(assert (= 1 1) (throw (ex-info "not evaluated" {})))')).toBe("nil");
    for (const source of ["(assert)", '(assert true "a" "b")']) {
      const result = compile(source);
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.diagnostics.map((d) => [d.code, d.message])).toEqual([
        ["invalid_form", "assert: expects an expression and an optional message"],
      ]);
    }
  });
});
