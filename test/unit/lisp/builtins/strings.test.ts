import { describe, expect, it } from "vitest";
import { compileRegex } from "../../../../src/lisp/builtins/regex.js";
import { BUILTINS, lookupBuiltin } from "../../../../src/lisp/builtins/registry.js";
import { printValue } from "../../../../src/lisp/printer/print-value.js";
import { fromJSON } from "../../../../src/lisp/values/json.js";
import { Keyword, LazySeq, PMap, PVector, Sym, type Value } from "../../../../src/lisp/values/value.js";
import { testContext } from "../../../helpers/context.js";

function call(name: string, ...args: Value[]): Value {
  const slash = name.indexOf("/");
  const fn = slash > 0 ? lookupBuiltin(name.slice(0, slash), name.slice(slash + 1)) : BUILTINS.get(name);
  if (fn === undefined) throw new Error(`no builtin ${name}`);
  return fn.invoke(testContext(), args);
}

const show = (name: string, ...args: Value[]): string => printValue(call(name, ...args));

function code(name: string, ...args: Value[]): string | undefined {
  try {
    call(name, ...args);
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

const re = compileRegex;
const vec = (...items: Value[]) => PVector.from(items);

describe("str and subs", () => {
  it("concatenates printed forms", () => {
    expect([call("str"), call("str", null), call("str", "a", "b"), call("str", 1, 2), call("str", "", 1.5)]).toEqual([
      "",
      "",
      "ab",
      "12",
      "1.5",
    ]);
    expect([call("str", 42), call("str", true), call("str", Keyword.of("user")), call("str", "", 3.0)]).toEqual([
      "42",
      "true",
      ":user",
      "3",
    ]);
    expect(call("str", vec(1, "a"))).toBe('[1 "a"]');
    expect(call("str", fromJSON({ a: 1 }))).toBe("{:a 1}");
    expect(call("str", 1.5, " ", null, " ", Keyword.of("k"))).toBe("1.5  :k");
    const lazy = new LazySeq(() => [2, 3][Symbol.iterator](), false);
    expect(call("str", lazy)).toBe("(2 3)");
  });

  it("str of an infinite seq runs out of budget", () => {
    let n = 0;
    const infinite = new LazySeq(() => ({ next: () => ({ done: false, value: n++ }) }), true);
    const context = testContext();
    context.charge = (units: number) => {
      context.fuel += units;
      if (context.fuel > 10_000) throw Object.assign(new Error("out"), { code: "limit_exceeded" });
    };
    let thrown: unknown;
    try {
      BUILTINS.get("str")?.invoke(context, [infinite]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: "limit_exceeded" });
    expect(n).toBeLessThan(10_001);
  });

  it("subs clamps indices but rejects end before start", () => {
    expect([
      call("subs", "hello", 1),
      call("subs", "hello", 1, 4),
      call("subs", "hello", 1, 99),
      call("subs", "hello", -2),
    ]).toEqual(["ello", "ell", "ello", "hello"]);
    expect(code("subs", "hello", 3, 1)).toBe("type_error");
    expect(code("subs", null, 1)).toBe("type_error");
    expect(code("subs", "hello", 1.5)).toBe("type_error");
    expect(code("subs")).toBe("arity_error");
  });
});

describe("format", () => {
  it("formats like java.util.Formatter", () => {
    expect(call("format", "%s has %d items", "cart", 3)).toBe("cart has 3 items");
    expect(call("format", "%.2f", 3.14158)).toBe("3.14");
    expect(call("format", "Total: %.2f", 10.5)).toBe("Total: 10.50");
    expect(call("format", "%d%%", 50)).toBe("50%");
    expect(call("format", "%5d|%-5d|%05d|%,d|%+d", 42, 42, -42, 1234567, 5)).toBe("   42|42   |-0042|1,234,567|+5");
    expect(call("format", "%.2f %.0f %.1f %f", 1.005, 0.5, -0.05, 1)).toBe("1.01 1 -0.1 1.000000");
    expect(call("format", "%,.2f|%8.3f|%(.1f", 1234567.891, 3.14158, -2)).toBe("1,234,567.89|   3.142|(2.0)");
    expect(call("format", "%e|%.2E|%g|%g", 12345.678, 0.000123, 0.0001, 123456789)).toBe(
      "1.234568e+04|1.23E-04|0.000100000|1.23457e+08",
    );
    expect(call("format", "%x|%X|%o|%#x|%x", 255, 255, 8, 255, -1)).toBe("ff|FF|10|0xff|ffffffffffffffff");
    expect(call("format", "%s|%S|%b|%b|%c|%.3s|%n", null, "ab", null, 0, 65, "abcdef")).toBe(
      "null|AB|false|true|A|abc|\n",
    );
    expect(call("format", "%s %s", Keyword.of("a"), vec(1, "b"))).toBe(':a [1 "b"]');
    expect(call("format", "%2$s %1$s %<s", "a", "b")).toBe("b a a");
    expect(call("format", "%.1f %s", Number.NaN, Infinity)).toBe("NaN Infinity");
    expect(call("format", "%f", 1e21)).toBe("1000000000000000000000.000000");
  });

  it("rejects missing arguments, wrong types and unknown conversions", () => {
    expect(code("format", "%s %s", "a")).toBe("type_error");
    expect(code("format", "%d", 1.5)).toBe("type_error");
    expect(code("format", "%d", "1")).toBe("type_error");
    expect(code("format", "%f", "x")).toBe("type_error");
    expect(code("format", "%q", 1)).toBe("type_error");
    expect(code("format", "50%")).toBe("type_error");
    expect(code("format", 1)).toBe("type_error");
  });
});

describe("names, keywords and symbols", () => {
  it("name and namespace", () => {
    expect([call("name", Keyword.of("status")), call("name", Keyword.of("key", "ns")), call("name", "s")]).toEqual([
      "status",
      "key",
      "s",
    ]);
    expect([
      call("namespace", Keyword.of("key", "ns")),
      call("namespace", Keyword.of("a")),
      call("name", Sym.of("x")),
    ]).toEqual(["ns", null, "x"]);
    expect(code("name", null)).toBe("type_error");
    expect(code("namespace", "a")).toBe("type_error");
  });

  it("keyword and symbol", () => {
    expect(call("keyword", "paid")).toBe(Keyword.of("paid"));
    expect(call("keyword", "ns", "a")).toBe(Keyword.of("a", "ns"));
    expect(call("keyword", "ns/a")).toBe(Keyword.of("a", "ns"));
    expect(call("keyword", Keyword.of("a"))).toBe(Keyword.of("a"));
    expect(call("keyword", 1)).toBe(null);
    expect(call("symbol", "a")).toBe(Sym.of("a"));
    expect(call("symbol", Keyword.of("b", "n"))).toBe(Sym.of("b", "n"));
    expect(call("keyword", null, "a")).toBe(Keyword.of("a"));
    expect(call("keyword", Sym.of("s", "n"))).toBe(Keyword.of("s", "n"));
    expect([call("symbol", "n/a"), call("symbol", "n", "a"), call("symbol", Sym.of("a"))]).toEqual([
      Sym.of("a", "n"),
      Sym.of("a", "n"),
      Sym.of("a"),
    ]);
    expect(code("keyword", 1, "a")).toBe("type_error");
    expect(code("symbol", 1)).toBe("type_error");
  });
});

describe("clojure.string", () => {
  it("is reachable qualified and through PTC's unprefixed names", () => {
    for (const name of [
      "join",
      "split",
      "split-lines",
      "trim",
      "upcase",
      "downcase",
      "upper-case",
      "includes?",
      "blank?",
    ]) {
      expect(BUILTINS.get(name), name).toBeDefined();
    }
    expect(BUILTINS.get("upcase")).toBe(BUILTINS.get("clojure.string/upper-case"));
    expect(BUILTINS.get("clojure.string/reverse")).not.toBe(BUILTINS.get("reverse"));
  });

  it("join", () => {
    expect([
      call("join", ", ", vec("a", "b", "c")),
      call("join", "-", vec(1, 2, 3)),
      call("join", vec("a", "b")),
    ]).toEqual(["a, b, c", "1-2-3", "ab"]);
    expect(call("join", ", ", vec("a", null, Keyword.of("k"), 1.5))).toBe("a, , :k, 1.5");
    expect(call("join", ",", null)).toBe("");
    expect(code("join", ",", 5)).toBe("type_error");
    expect(code("join")).toBe("arity_error");
  });

  it("split with strings, regexes and limits", () => {
    expect(show("split", "a,b,c", ",")).toBe('["a" "b" "c"]');
    expect(show("split", "hello", "")).toBe('["h" "e" "l" "l" "o"]');
    expect(show("split", "a,,b", ",")).toBe('["a" "" "b"]');
    expect(show("split", "", ",")).toBe('[""]');
    expect(show("split", "a1b2c", "1")).toBe('["a" "b2c"]');
    expect(show("split", "a.b", ".")).toBe('["a" "b"]');
    expect(show("split", "a b c", re("\\s+"))).toBe('["a" "b" "c"]');
    expect(show("split", "a,b,c,,", re(","))).toBe('["a" "b" "c"]');
    expect(show("split", ",,,", re(","))).toBe("[]");
    expect(show("split", "a,b,c", re(","), 2)).toBe('["a" "b,c"]');
    expect(show("split", "a,b,,", re(","), -1)).toBe('["a" "b" "" ""]');
    expect(code("split", "a", 1)).toBe("type_error");
    expect(code("split", null, ",")).toBe("type_error");
  });

  it("split-lines drops trailing empty lines", () => {
    expect(show("split-lines", "a\nb\r\nc")).toBe('["a" "b" "c"]');
    expect(show("split-lines", "a\n\n\n")).toBe('["a"]');
    expect(show("split-lines", "a\r\nb\n\n")).toBe('["a" "b"]');
  });

  it("replace and replace-first", () => {
    expect([
      call("replace", "hello", "l", "L"),
      call("replace", "a.b.c", ".", "-"),
      call("str/replace", "a-b-c", "-", "_"),
    ]).toEqual(["heLLo", "a-b-c", "a_b_c"]);
    expect(call("clojure.string/replace", "a1b22", re("\\d+"), "#")).toBe("a#b#");
    expect(call("clojure.string/replace", "John Smith", re("(\\w+) (\\w+)"), "$2, $1")).toBe("Smith, John");
    expect(call("clojure.string/replace", "a1", re("\\d"), "[$0|$&|$$|\\$]")).toBe("a[1|1|$|$]");
    expect(call("clojure.string/replace", "x$y", "$", "$$")).toBe("x$$y");
    expect(call("clojure.string/replace", "axxb", re("x*"), "-")).toBe("-a--b-");
    expect(call("clojure.string/replace-first", "aaa", "a", "b")).toBe("baa");
    expect(call("clojure.string/replace-first", "a1b2", re("\\d"), "#")).toBe("a#b2");
    const upper = BUILTINS.get("clojure.string/upper-case") as Value;
    expect(call("clojure.string/replace", "a-b", re("[a-z]"), upper)).toBe("A-B");
    const str = BUILTINS.get("str") as Value;
    expect(call("clojure.string/replace", "k=v;", re("(\\w)=(\\w)"), str)).toBe('["k=v" "k" "v"];');
    expect(code("clojure.string/replace", "a", 1, "b")).toBe("type_error");
    expect(code("clojure.string/replace", "a", "a", 1)).toBe("type_error");
  });

  it("replacement templates: named groups, unknown groups, function on a string match", () => {
    const date = re("(?<y>\\d{4})-(?<m>\\d{2})");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${name} is Java's named-group reference
    expect(call("str/replace", "2024-05", date, "${m}/$<y>")).toBe("05/2024");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${name} is Java's named-group reference
    expect(call("str/replace", "ab", re("(a)"), "$2${zz}$<q")).toBe("$2${zz}$<qb");
    expect(call("str/replace", "ab", re("(a)|(x)"), "[$2]")).toBe("[]b");
    expect(call("str/replace", "abcdefghijkl", re("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)"), "$11$10$1")).toBe("kja" + "l");
    const upper = BUILTINS.get("clojure.string/upper-case") as Value;
    expect(call("str/replace", "a-a", "a", upper)).toBe("A-A");
    expect(call("str/replace-first", "a-a", "a", upper)).toBe("A-a");
  });

  it("unprefixed replace with two arguments is clojure.core/replace", () => {
    const smap = PMap.fromEntries([[Keyword.of("a"), 1]]);
    expect(show("replace", smap, vec(Keyword.of("a"), Keyword.of("b")))).toBe("[1 :b]");
    expect(show("replace", vec("x", "y"), fromJSON([0, 1, 5]))).toBe('["x" "y" 5]');
  });

  it("case, trimming and predicates", () => {
    expect([
      call("upcase", "hello"),
      call("downcase", "HELLO"),
      call("str/capitalize", "hELLO"),
      call("capitalize", "a"),
    ]).toEqual(["HELLO", "hello", "Hello", "A"]);
    expect([
      call("trim", "\n\tworld\r\n"),
      call("str/triml", "  a "),
      call("str/trimr", " a  "),
      call("str/trim-newline", "a\r\n\n"),
    ]).toEqual(["world", "a ", " a", "a"]);
    expect([call("str/blank?", "  \n"), call("str/blank?", null), call("str/blank?", "a")]).toEqual([
      true,
      true,
      false,
    ]);
    expect([
      call("starts-with?", "hello", "he"),
      call("ends-with?", "hello", "he"),
      call("includes?", "hello", ""),
    ]).toEqual([true, false, true]);
    expect(code("upcase", null)).toBe("type_error");
    expect(code("includes?", vec(1, 2), 1)).toBe("type_error");
    expect(code("str/blank?", 5)).toBe("type_error");
  });

  it("index-of, last-index-of, reverse, escape", () => {
    expect([
      call("str/index-of", "hello", "l"),
      call("str/index-of", "hello", "z"),
      call("str/index-of", "hello", "l", 3),
    ]).toEqual([2, null, 3]);
    expect([call("str/last-index-of", "hello", "l"), call("str/last-index-of", "hello", "l", 2)]).toEqual([3, 2]);
    expect([call("str/reverse", "abc"), call("str/reverse", "a😀b")]).toEqual(["cba", "b😀a"]);
    const cmap = PMap.fromEntries([
      ["<", "&lt;"],
      [">", "&gt;"],
    ]);
    expect(call("str/escape", "<a>", cmap)).toBe("&lt;a&gt;");
    expect(call("str/re-quote-replacement", "$1\\")).toBe("\\$1\\\\");
    const str = BUILTINS.get("str") as Value;
    expect(call("str/escape", "ab", str)).toBe("ab");
    expect(code("str/escape", "ab", 1)).toBe("type_error");
  });
});
