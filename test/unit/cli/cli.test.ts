import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { packageVersion, parseLimits, USAGE } from "../../../src/cli/commands.js";
import { needsMoreInput, openDelimiters, ReplSession } from "../../../src/cli/repl.js";
import { cli } from "./harness.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

describe("ptc eval", () => {
  it("prints the value as EDN after the println lines", async () => {
    const result = await cli(["eval", '(println "hi" 1) {:a [1 2] :b "x"}']);
    expect(result).toEqual({ code: 0, stdout: 'hi 1\n{:a [1 2], :b "x"}\n', stderr: "" });
  });

  it("--json: one JSON document with the value, the printed lines, diagnostics and usage", async () => {
    const result = await cli(["eval", '(println "hi") {:a [1 nil] :b :k}', "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ ok: true, value: { a: [1, null], b: "k" }, prints: ["hi"], diagnostics: [] });
    expect(document.usage).toMatchObject({ fuel: expect.any(Number), toolCalls: 0 });
    // Pretty-printed as one document: the value's lines are indented inside it.
    expect(result.stdout).toBe(`${JSON.stringify(document, null, 2)}\n`);
  });

  it("--json: a failure is a JSON document too, with the error and its span, exit 1", async () => {
    const run = await cli(["eval", '(println "before") (+ 1 nil)', "--json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    const failed = JSON.parse(run.stdout);
    expect(failed).toMatchObject({ ok: false, error: { code: "type_error", span: { line: 1 } }, prints: ["before"] });
    const compile = await cli(["eval", "(+ x 1)", "--json"]);
    expect(compile.code).toBe(1);
    expect(JSON.parse(compile.stdout)).toMatchObject({
      ok: false,
      diagnostics: [{ code: "unbound_symbol", span: { line: 1, column: 4 } }],
    });
  });

  it("reports a compile error with the source line and a caret, exit 1", async () => {
    const result = await cli(["eval", "(let [x 1]\n  (+ x foo))"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "error [unbound_symbol] at line 2, column 8: unable to resolve symbol foo\n2 |   (+ x foo))\n           ^^^\n",
    );
  });

  it("reports every compile error, not only the first", async () => {
    const result = await cli(["eval", "(+ foo bar)"]);
    expect(result.code).toBe(1);
    expect(result.stderr.match(/error \[unbound_symbol\]/g)).toHaveLength(2);
  });

  it("reports a runtime error after the output printed before it", async () => {
    const result = await cli(["eval", '(println "before") (fail {:reason "no"})']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("before\n");
    expect(result.stderr).toMatch(/^error \[fail\]/);
  });

  it("reads --data from a file", async () => {
    const files = { "in.json": '{"orders": [{"total": 5}, {"total": 7}]}' };
    const result = await cli(["eval", "(sum-by :total data/orders)", "--data", "in.json"], { files });
    expect(result).toEqual({ code: 0, stdout: "12\n", stderr: "" });
  });

  it("reads --data - from standard input", async () => {
    const result = await cli(["eval", "(:name data/user)", "--data", "-"], { stdin: '{"user": {"name": "Ada"}}' });
    expect(result).toEqual({ code: 0, stdout: '"Ada"\n', stderr: "" });
  });

  it("rejects --data that is not JSON, exit 1", async () => {
    const result = await cli(["eval", "1", "--data", "bad.json"], { files: { "bad.json": "{orders: 1}" } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^ptc: --data bad\.json is not valid JSON: /);
  });

  it("reports a missing --data file, exit 1", async () => {
    const result = await cli(["eval", "1", "--data", "missing.json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ptc: cannot read missing\.json: ENOENT/);
  });

  it("applies --limit", async () => {
    const result = await cli(["eval", "(reduce + (range 100000))", "--limit", "fuel=1000"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error \[limit_exceeded\]/);
    const bad = await cli(["eval", "1", "--limit", "speed=3"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--limit speed=3: the name must be one of timeMs, fuel/);
  });

  it("needs exactly one source argument", async () => {
    expect((await cli(["eval"])).code).toBe(2);
    expect((await cli(["eval", "1", "2"])).code).toBe(2);
  });
});

describe("ptc run", () => {
  it("runs a file", async () => {
    const files = { "p.clj": "(defn sq [n] (* n n))\n(println (sq 3))\n(map sq data/xs)", "d.json": '{"xs": [1, 2]}' };
    const result = await cli(["run", "p.clj", "--data", "d.json"], { files });
    expect(result).toEqual({ code: 0, stdout: "9\n(1 4)\n", stderr: "" });
  });

  it("names the file in errors", async () => {
    const result = await cli(["run", "p.clj"], { files: { "p.clj": "(inc 1)\n(nth [1 2] 5)" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(" --> p.clj:2:1\n2 | (nth [1 2] 5)\n    ^");
  });

  it("prints JSON with --json", async () => {
    const result = await cli(["run", "p.clj", "--json"], { files: { "p.clj": '{"n" 1}' } });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(result.stdout).value).toEqual({ n: 1 });
  });

  it("reads the program from standard input for -", async () => {
    const result = await cli(["run", "-"], { stdin: "(+ 1 2)" });
    expect(result).toEqual({ code: 0, stdout: "3\n", stderr: "" });
    expect((await cli(["run", "-", "--data", "-"], { stdin: "1" })).code).toBe(2);
  });

  it("fails on a missing file, exit 1", async () => {
    const result = await cli(["run", "nope.clj"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ptc: cannot read nope\.clj/);
  });
});

describe("ptc check", () => {
  it("says ok for a valid file without running it", async () => {
    const result = await cli(["check", "p.clj"], { files: { "p.clj": '(println "not run") (tool/search {:q 1})' } });
    expect(result).toEqual({ code: 0, stdout: "p.clj: ok\n", stderr: "" });
  });

  it("prints every diagnostic and fails", async () => {
    const files = { "good.clj": "(+ 1 2)", "bad.clj": "(defn f [x] (g x))\n(if)\n(h 1)" };
    const result = await cli(["check", "good.clj", "bad.clj"], { files });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("good.clj: ok\n");
    expect(result.stderr).toContain("error [unbound_symbol] at line 1, column 14: unable to resolve symbol g");
    expect(result.stderr).toContain("error [unbound_symbol] at line 3, column 2: unable to resolve symbol h");
    expect(result.stderr).toMatch(/line 2, column 1/);
    expect(result.stderr).toMatch(/bad\.clj: 3 errors\n$/);
  });

  it("reports a syntax error with a caret", async () => {
    const result = await cli(["check", "p.clj"], { files: { "p.clj": "(+ 1 2]" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("1 | (+ 1 2]\n          ^");
  });

  it("needs a file and takes no --data", async () => {
    expect((await cli(["check"])).code).toBe(2);
    expect((await cli(["check", "a.clj", "--data", "x.json"])).code).toBe(2);
  });
});

describe("ptc (global)", () => {
  it("prints help and version", async () => {
    const help = await cli(["--help"]);
    expect(help).toEqual({ code: 0, stdout: USAGE, stderr: "" });
    expect((await cli(["run", "--help"])).stdout).toBe(USAGE);
    const version = await cli(["--version"]);
    const manifest = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { version: string };
    expect(version).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: "" });
    expect(packageVersion()).toBe(manifest.version);
  });

  it("rejects an unknown command, option or a missing argument in one line with a pointer to --help, exit 2", async () => {
    const pointer = " (run 'ptc --help' for usage)\n";
    const unknown = await cli(["frobnicate"]);
    expect(unknown).toEqual({ code: 2, stdout: "", stderr: `ptc: unknown command "frobnicate"${pointer}` });
    expect(await cli([])).toEqual({ code: 2, stdout: "", stderr: `ptc: no command given${pointer}` });
    const option = await cli(["eval", "1", "--fast"]);
    expect(option).toEqual({ code: 2, stdout: "", stderr: `ptc: unknown option '--fast'${pointer}` });
    const missing = await cli(["run", "--data"]);
    expect(missing).toEqual({ code: 2, stdout: "", stderr: `ptc: option '--data <value>' argument missing${pointer}` });
    const ambiguous = await cli(["run", "p.clj", "--data", "--json"]);
    expect(ambiguous).toEqual({ code: 2, stdout: "", stderr: `ptc: option '--data' argument is ambiguous${pointer}` });
    expect(await cli(["eval"])).toEqual({
      code: 2,
      stdout: "",
      stderr: `ptc: eval takes one source argument${pointer}`,
    });
    const flag = await cli(["check", "a.clj", "--size", "x=1"]);
    expect(flag).toEqual({ code: 2, stdout: "", stderr: `ptc: check does not take --size${pointer}` });
  });

  it("does not point to --help for a fault of the program or its files", async () => {
    const missing = await cli(["run", "nope.clj"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).not.toContain("--help");
  });

  it("parses limits", () => {
    expect(parseLimits(undefined)).toBeUndefined();
    expect(parseLimits(["timeMs=5000", "fuel=1_000"])).toEqual({ timeMs: 5000, fuel: 1000 });
  });
});

describe("ptc repl", () => {
  it("keeps defs, reads multi-line forms, binds *1 *2 *3", async () => {
    const stdin = [
      "(def rate 2)",
      "(defn scale",
      "  [n]",
      "  (* n rate)) ; a comment with a ( in it",
      "",
      "(scale 21)",
      "(+ *1 1)",
      "[*1 *2 *3]",
      '(println "s(")',
      ":quit",
      "(println 'unreached)",
    ].join("\n");
    const result = await cli(["repl"], { stdin });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      ["#'user/rate", "#'user/scale", "42", "43", "[43 42 #'user/scale]", "s(", "nil", ""].join("\n"),
    );
  });

  it("reports errors and continues; defs before an error survive", async () => {
    const stdin = "(undefined-fn 1)\n(do (def a 5) (/ 1 nil))\n(inc a)\n(+ 1\n";
    const result = await cli(["repl"], { stdin });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("6\n");
    expect(result.stderr).toContain(
      "error [unbound_symbol] at line 1, column 2: unable to resolve symbol undefined-fn",
    );
    expect(result.stderr).toContain("error [type_error]");
    // Input that ends inside an open form is still read, so its error shows.
    expect(result.stderr).toMatch(/error \[parse_error\][^\n]*never closed/);
  });

  it("reads --data from a file", async () => {
    const result = await cli(["repl", "--data", "d.json"], {
      stdin: "(count data/xs)\n",
      files: { "d.json": '{"xs": [1, 2, 3]}' },
    });
    expect(result).toEqual({ code: 0, stdout: "3\n", stderr: "" });
    expect((await cli(["repl", "--data", "-"])).code).toBe(2);
  });

  it("session keeps definitions between inputs", async () => {
    const session = new ReplSession();
    expect((await session.evaluate("(def xs [1 2])")).ok).toBe(true);
    expect(await session.evaluate("(conj xs 3)")).toEqual({ ok: true, stdout: ["[1 2 3]"], stderr: [] });
    expect(session.definedNames).toEqual(["xs"]);
  });
});

describe("delimiter balance", () => {
  it("counts brackets outside strings, comments and character literals", () => {
    expect(openDelimiters("(let [a {:b 1}")).toEqual({ depth: 2, inString: false });
    expect(needsMoreInput('(str "(" \\( ; ((\n')).toBe(true);
    expect(needsMoreInput('(str "(" \\( ; ((\n)')).toBe(false);
    expect(needsMoreInput('(str "a\\"b')).toBe(true);
    expect(needsMoreInput('(re-find #"\\(" s)')).toBe(false);
    expect(needsMoreInput("(+ 1 2))")).toBe(false);
    expect(openDelimiters(")(").depth).toBe(-1);
  });
});

describe.runIf(existsSync(`${root}dist/cli/main.js`))("built CLI", () => {
  it("runs the README example", async () => {
    const run = promisify(execFile);
    const { stdout } = await run(
      process.execPath,
      [`${root}dist/cli/main.js`, "run", "examples/orders.clj", "--data", "examples/orders.json"],
      {
        cwd: root,
      },
    );
    expect(stdout).toMatch(/^orders: 48 completed: 30\n/);
    expect(stdout).toMatch(/:regions \["west" "east" "north" "south"\]/);
  });
});

describe("ptc cost", () => {
  const program = "(let [xs (map #(tool/get {:id (:id %)}) data/orders)]\n  (tool/summarize {:n (count xs)}))";

  it("prints the estimate line by line under the given sizes and tool weights", async () => {
    const result = await cli(["cost", "p.clj", "--size", "orders=1000", "--tools", "tools.json"], {
      files: { "p.clj": program, "tools.json": JSON.stringify({ get: { cost: 2 }, summarize: { kind: "llm" } }) },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("line 1: (let [xs (map #(tool/get {:id (:id %)}) data/orders)]");
    expect(result.stdout).toContain("tool/get: |orders| call(s)");
    expect(result.stdout).toContain("get: |orders| = 1000");
    expect(result.stdout).toMatch(/total: 20\d\d/);
  });

  it("rejects a malformed size and a program that does not compile", async () => {
    expect((await cli(["cost", "p.clj", "--size", "orders"], { files: { "p.clj": program } })).code).toBe(2);
    const broken = await cli(["cost", "p.clj"], { files: { "p.clj": "(foo" } });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("parse_error");
  });
});

describe("ptc cost --json", () => {
  const program = "(let [xs (map #(tool/get {:id (:id %)}) data/orders)]\n  (tool/summarize {:n (count xs)}))";
  const files = { "p.clj": program, "tools.json": JSON.stringify({ get: { cost: 2 }, summarize: { kind: "llm" } }) };

  it("prints the estimate as pure JSON: expressions with their values under the sizes", async () => {
    const result = await cli(["cost", "p.clj", "--size", "orders=1000", "--tools", "tools.json", "--json"], { files });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const estimate = JSON.parse(result.stdout);
    expect(estimate).toMatchObject({
      ok: true,
      sizes: { orders: 1000 },
      toolCalls: { get: { expression: "|orders|", value: 1000 }, summarize: { expression: "1", value: 1 } },
      llmCalls: { value: 1 },
      assumed: [],
      diagnostics: [],
    });
    expect(estimate.total).toBeGreaterThan(2000);
    expect(estimate.explanation).toContain("tool/get: |orders| call(s)");
  });

  it("puts compile diagnostics inside the JSON, exit 1", async () => {
    const result = await cli(["cost", "p.clj", "--json"], { files: { "p.clj": "(foo" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.diagnostics[0]).toMatchObject({ code: "parse_error", phase: "parse" });
  });
});

describe("ptc verify --json", () => {
  it("prints the report as pure JSON and keeps exit 1 on a failure", async () => {
    const files = { "p.clj": "(tool/delete {:id 1})", "tools.json": JSON.stringify({ search: {} }) };
    const result = await cli(["verify", "p.clj", "--tools", "tools.json", "--json"], { files });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: false, passed: 1, failed: 2 });
    expect(report.results[0]).toEqual({ verifier: "parses", ok: true });
    expect(report.failures.map((failure: { code: string }) => failure.code)).toEqual([
      "unknown_tool",
      "tool_not_allowed",
    ]);
    expect(report.failures[0].span).toMatchObject({ line: 1, column: 2 });
  });

  it("exits 0 when every verifier passes", async () => {
    const result = await cli(["verify", "p.clj", "--json"], { files: { "p.clj": "(+ 1 2)" } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, passed: 2, failed: 0 });
  });
});

describe("ptc verify", () => {
  it("prints every verifier's result and exits 1 on a failure", async () => {
    const files = { "p.clj": "(tool/delete {:id 1})", "tools.json": JSON.stringify({ search: {} }) };
    const result = await cli(["verify", "p.clj", "--tools", "tools.json"], { files });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("ok    parses");
    expect(result.stdout).toContain("FAIL  analyzes [unknown_tool] (line 1, column 2)");
    expect(result.stdout).toContain("FAIL  onlyTools(search) [tool_not_allowed] (line 1, column 1)");
    expect(result.stdout).toContain("1 passed, 2 failed");
  });

  it("passes with chosen verifiers, and rejects an unknown one", async () => {
    const files = { "p.clj": "(fn [orders] (count orders))" };
    const ok = await cli(["verify", "p.clj", "--signature", "(orders [:map]) -> :int", "--verifier", "isFunction"], {
      files,
    });
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toContain("1 passed, 0 failed");
    expect((await cli(["verify", "p.clj", "--verifier", "nope"], { files })).code).toBe(2);
  });
});

describe("ptc check --json", () => {
  it("is one JSON document: each file with its diagnostics, exit 1 when one has an error", async () => {
    const files = { "good.clj": "(+ 1 2)", "bad.clj": "(let [x] x)" };
    const result = await cli(["check", "good.clj", "bad.clj", "--json"], { files });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.files).toEqual([
      { file: "good.clj", ok: true, diagnostics: [] },
      { file: "bad.clj", ok: false, diagnostics: [expect.objectContaining({ span: expect.any(Object) })] },
    ]);
    const good = await cli(["check", "good.clj", "--json"], { files });
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual({ ok: true, files: [{ file: "good.clj", ok: true, diagnostics: [] }] });
  });
});
