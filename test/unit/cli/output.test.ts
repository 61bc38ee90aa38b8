import { Readable, Writable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CliIo, runCli } from "../../../src/cli/commands.js";
import { printJson } from "../../../src/cli/print-json.js";

async function cli(argv: string[], readFile: CliIo["readFile"] = async () => "") {
  let stdout = "";
  let stderr = "";
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        append(chunk.toString());
        callback();
      },
    });
  const io: CliIo = {
    stdout: sink((text) => {
      stdout += text;
    }),
    stderr: sink((text) => {
      stderr += text;
    }),
    stdin: Readable.from([]),
    readFile,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe("the printed result counts against outputBytes", () => {
  it("prints a result within the limit, println lines included", async () => {
    const result = await cli(["eval", '(println "ab") [1 2 3]', "--limit", "outputBytes=11"]);
    expect(result).toEqual({ code: 0, stdout: "ab\n[1 2 3]\n", stderr: "" });
  });

  it("refuses a longer one with one clean line", async () => {
    const result = await cli(["eval", '(println "ab") [1 2 3 4]', "--limit", "outputBytes=10"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("ab\n");
    expect(result.stderr).toMatch(/^error \[limit_exceeded\]: output limit exceeded: the result is more than 7/);
  });

  it("with --json, refuses it inside the JSON document: limit_exceeded, the printed lines kept", async () => {
    const result = await cli(["eval", '(println "ab") [1 2 3 4]', "--limit", "outputBytes=10", "--json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      error: { code: "limit_exceeded", limit: "output" },
      prints: ["ab"],
    });
  });

  it("a string with escapes is measured as printed", async () => {
    const result = await cli(["eval", '"\\n\\n\\n\\n"', "--limit", "outputBytes=8"]);
    expect(result.code).toBe(1);
  });
});

describe("a fault of the command itself", () => {
  it("is one line with no host wording, exit 1", async () => {
    let stderr = "";
    const io: CliIo = {
      stdout: {
        write() {
          throw new TypeError("secret host detail");
        },
      } as unknown as NodeJS.WritableStream,
      stderr: new Writable({
        write(chunk: Buffer | string, _encoding, callback) {
          stderr += chunk.toString();
          callback();
        },
      }),
      stdin: Readable.from([]),
      readFile: async () => "",
    };
    expect(await runCli(["eval", "(+ 1 2)"], io)).toBe(1);
    expect(stderr).toBe("ptc: internal error in the interpreter; please report it\n");
  });
});

describe("printJson", () => {
  it("writes what JSON.stringify(json, null, 2) writes", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        expect(printJson(json, Number.POSITIVE_INFINITY)).toBe(JSON.stringify(json, null, 2));
      }),
    );
  });

  it("stops past maxChars, at any depth", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(printJson(deep, 1_000_000)).toBeUndefined();
    expect(
      printJson(
        Array.from({ length: 1000 }, () => "x".repeat(1000)),
        10_000,
      ),
    ).toBeUndefined();
    expect(printJson({ a: [1] }, 100)).toBe('{\n  "a": [\n    1\n  ]\n}');
  });
});
