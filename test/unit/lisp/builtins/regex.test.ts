import { describe, expect, it } from "vitest";
import { evaluate } from "../../../../src/index.js";
import { compileRegex, translatePattern } from "../../../../src/lisp/builtins/regex.js";
import { BUILTINS } from "../../../../src/lisp/builtins/registry.js";
import { printValue } from "../../../../src/lisp/printer/print-value.js";
import { Regex, type Value } from "../../../../src/lisp/values/value.js";
import { testContext } from "../../../helpers/context.js";

function call(name: string, ...args: Value[]): Value {
  const fn = BUILTINS.get(name);
  if (fn === undefined) throw new Error(`no builtin ${name}`);
  return fn.invoke(testContext(), args);
}

const show = (name: string, ...args: Value[]): string => printValue(call(name, ...args));

function failure(run: () => unknown): { code?: string; message?: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; message?: string };
  }
  return {};
}

const re = compileRegex;

describe("compileRegex", () => {
  it("compiles and caches patterns", () => {
    const regex = re("\\d+");
    expect(regex).toBeInstanceOf(Regex);
    expect(regex.source).toBe("\\d+");
    expect(re("\\d+")).toBe(regex);
    expect(call("re-pattern", "\\d+")).toBe(regex);
    expect(call("re-pattern", regex)).toBe(regex);
  });

  it("names unsupported features", () => {
    for (const [pattern, feature] of [
      ["(a)\\1", "backreferences"],
      ["(?<n>a)\\k<n>", "named backreferences"],
      ["a(?=b)", "lookahead"],
      ["a(?!b)", "lookahead"],
      ["(?<=a)b", "lookbehind"],
      ["(?<!a)b", "lookbehind"],
      ["(?>a)", "atomic groups"],
      ["a*+", "possessive"],
    ] as const) {
      const error = failure(() => re(pattern));
      expect(error.code, pattern).toBe("type_error");
      expect(error.message, pattern).toContain(feature);
    }
  });

  it("rejects invalid and oversized patterns", () => {
    expect(failure(() => re("(")).code).toBe("type_error");
    expect(failure(() => re("(")).message).toContain("invalid regular expression");
    expect(failure(() => call("re-pattern", "(")).code).toBe("type_error");
    expect(failure(() => re("a".repeat(10_001))).code).toBe("type_error");
    expect(failure(() => call("re-pattern", 5)).code).toBe("type_error");
  });

  it("translates Java spellings RE2 lacks", () => {
    expect(translatePattern("\\u0041\\p{Alpha}[\\p{Digit}x]\\Z")).toBe("\\x{0041}[[:alpha:]][[:digit:]x]\\z");
    expect(translatePattern("[\\1]\\(?=")).toBe("[\\1]\\(?=");
    expect(call("re-matches", re("\\p{Upper}\\u0062"), "Ab")).toBe("Ab");
    expect(call("re-find", re("a\\Rb"), "xa\r\nb")).toBe("a\r\nb");
  });
});

describe("matching", () => {
  it("re-find returns the match, or the match and its groups", () => {
    expect(call("re-find", re("\\d+"), "abc123def")).toBe("123");
    expect(call("re-find", re("\\d+"), "abc")).toBe(null);
    expect(show("re-find", re("(\\d+)-(\\d+)"), "10-20")).toBe('["10-20" "10" "20"]');
    expect(show("re-find", re("a(b)?"), "ac")).toBe('["a" nil]');
    expect(show("re-find", re("(a)|(b)"), "b")).toBe('["b" nil "b"]');
    expect(failure(() => call("re-find", re("\\d"), 5)).code).toBe("type_error");
    expect(failure(() => call("re-find", "\\d", "5")).code).toBe("type_error");
  });

  it("re-matches matches the whole string", () => {
    expect(call("re-matches", re("\\d+"), "123")).toBe("123");
    expect(call("re-matches", re("\\d+"), "123abc")).toBe(null);
    expect(call("re-matches", re("a|ab"), "ab")).toBe("ab");
    expect(show("re-matches", re("(\\d+)-(\\d+)"), "10-20")).toBe('["10-20" "10" "20"]');
  });

  it("re-seq returns every match, or nil", () => {
    expect(show("re-seq", re("\\d+"), "a1b22c333")).toBe('("1" "22" "333")');
    expect(show("re-seq", re("(\\d)(\\w)"), "1a2b")).toBe('(["1a" "1" "a"] ["2b" "2" "b"])');
    expect(call("re-seq", re("x"), "abc")).toBe(null);
    expect(show("re-seq", re("x*"), "axb")).toBe('("" "x" "" "")');
    expect(show("re-seq", re("."), "é😀")).toBe('("é" "😀")');
  });

  it("re-split keeps empty strings", () => {
    expect(show("re-split", re("\\s+"), "a  b   c")).toBe('["a" "b" "c"]');
    expect(show("re-split", re(","), "a,,b,")).toBe('["a" "" "b" ""]');
    expect(show("re-split", re("\\r?\\n"), "line1\nline2\r\nline3")).toBe('["line1" "line2" "line3"]');
  });

  it("charges fuel by input length", () => {
    const context = testContext();
    BUILTINS.get("re-find")?.invoke(context, [re("z"), "a".repeat(5000)]);
    expect(context.fuel).toBeGreaterThanOrEqual(5000);
  });
});

describe("regex diagnostics through a run", () => {
  it("name the unsupported feature or the size limit, at the pattern's position", async () => {
    const literal = await evaluate('(let [s "ab"]\n  (re-find #"a(?<=b)" s))');
    expect(literal.ok).toBe(false);
    if (literal.ok) return;
    expect(literal.error).toMatchObject({ code: "type_error", span: { line: 2, column: 12 } });
    expect(literal.error.message).toContain("lookbehind");
    expect(literal.error.message).toContain("linear-time engine");
    const built = await evaluate('(re-pattern (str "(x)" "\\\\1"))');
    expect(built.ok || built.error.message).toContain("backreferences");
    const long = await evaluate('(re-pattern (apply str (repeat 10001 "a")))');
    expect(long.ok || long.error.message).toBe("regular expression is 10001 characters long; the limit is 10000");
    const caught = await evaluate('(try (re-pattern "a(?=b)") (catch :default e (ex-message e)))');
    expect(caught.ok && caught.value).toContain("lookahead");
  });
});
