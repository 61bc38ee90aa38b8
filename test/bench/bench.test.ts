import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkWorkload, difference, project, RELATIVE_TOLERANCE } from "../../bench/compare.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

interface Cell {
  readonly median?: number;
  readonly n?: number;
  readonly check?: string | null;
  readonly error?: string;
  readonly skipped?: string;
  readonly details?: {
    readonly interpreterMs?: number;
    readonly passes?: number;
    readonly restarts?: number;
    readonly perCallGrowth?: number;
  };
}

interface QuickReport {
  readonly quick: boolean;
  readonly problems: readonly string[];
  readonly workloads: readonly { readonly id: string; readonly label: string }[];
  readonly engines: readonly {
    readonly name: string;
    readonly label: string;
    readonly version: string;
    readonly cells: Readonly<Record<string, Cell>>;
    readonly process?: { readonly pollution?: { readonly programs: number; readonly passes: number } };
  }[];
  readonly extras: {
    readonly check: string | null;
    readonly compilesPerSecond: number;
    readonly runsPerSecond: number;
    readonly heapAllocatedPerRun: number;
  };
  readonly agent: { readonly overheadUs?: number; readonly error?: string };
  readonly coldImport: { readonly skipped?: string; readonly overBareMs?: number };
}

function runNode(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("benchmark quick mode (correctness only, no timing assertions)", () => {
  it("runs every workload on both plain-JS references, ptc-lisp (fresh and polluted processes), both nbb variants and QuickJS, and every result agrees with plain JS", async () => {
    const out = await mkdtemp(join(tmpdir(), "ptc-bench-"));
    try {
      const { code, stdout, stderr } = await runNode([
        "bench/run.mjs",
        "--quick",
        "--from-source",
        "--json",
        "--out",
        out,
      ]);
      const report = JSON.parse(stdout) as QuickReport;
      expect(report.problems, stderr).toEqual([]);
      expect(code, stderr).toBe(0);
      expect(report.quick).toBe(true);
      expect(report.engines.map((engine) => engine.name)).toEqual([
        "plain-js",
        "plain-js-fresh",
        "ptc-lisp",
        "ptc-lisp-polluted",
        "nbb",
        "nbb-interpreter",
        "quickjs",
      ]);
      expect(report.workloads.map((workload) => workload.id)).toEqual([
        "a",
        "b",
        "c",
        "d",
        "e",
        "e2",
        "f",
        "ga",
        "gc",
        "t",
      ]);
      // nbb and QuickJS skip the tool calls of (t); the others run every workload.
      const skips = (engine: string, id: string) => id === "t" && (engine.startsWith("nbb") || engine === "quickjs");
      for (const engine of report.engines) {
        for (const workload of report.workloads) {
          const cell = engine.cells[workload.id];
          expect(cell, `${engine.name} ${workload.id}`).toBeDefined();
          expect(cell?.error, `${engine.name} ${workload.id}`).toBeUndefined();
          if (skips(engine.name, workload.id)) {
            expect(cell?.skipped, `${engine.name} ${workload.id}`).toMatch(/^not measured/);
            continue;
          }
          expect(cell?.check ?? null, `${engine.name} ${workload.id}`).toBeNull();
          expect(cell?.n, `${engine.name} ${workload.id}`).toBe(2);
        }
      }
      // (t) under ptc-lisp's default limits: its interpreter time, one pass per tool round, no restart.
      for (const name of ["ptc-lisp", "ptc-lisp-polluted"]) {
        const toolCells = report.engines.find((engine) => engine.name === name)?.cells["t"];
        expect(toolCells?.details?.interpreterMs, name).toBeGreaterThan(0);
        expect(toolCells?.details?.passes, name).toBe(1001);
        expect(toolCells?.details?.restarts, name).toBe(0);
        expect(toolCells?.details?.perCallGrowth, name).toBeGreaterThan(0);
      }
      // The polluted process ran the conformance corpus before its workloads.
      const pollution = report.engines.find((engine) => engine.name === "ptc-lisp-polluted")?.process?.pollution;
      expect(pollution?.programs).toBeGreaterThan(1000);
      expect(pollution?.passes).toBe(1);
      // The compiled agent's overhead is measured; the cold import is not (the run uses src/).
      expect(report.agent.error).toBeUndefined();
      expect(report.agent.overheadUs).toEqual(expect.any(Number));
      expect(report.coldImport.skipped).toMatch(/^not measured/);
      expect(report.extras.check).toBeNull();
      expect(report.extras.compilesPerSecond).toBeGreaterThan(0);
      expect(report.extras.runsPerSecond).toBeGreaterThan(0);
      expect(Number.isFinite(report.extras.heapAllocatedPerRun)).toBe(true);

      const markdown = await readFile(join(out, "results.md"), "utf8");
      for (const workload of report.workloads) expect(markdown).toContain(`\n| ${workload.label} `);
      expect(markdown).toContain("Every engine's results agree with plain JavaScript's");
      expect(markdown).toContain("programs compiled per second");
      expect(markdown).toContain("ptc-lisp, fresh process: interpreter time (`usage.ms`)");
      expect(markdown).toContain("## ptc-lisp against the targets of DESIGN section 10");
      expect(markdown).toContain("| ≤ 2× fresh JS ");
      expect(markdown).toContain("| ≤ 6× optimized JS ");
      expect(markdown).toContain("compiled agent, per input");
      const svg = await readFile(join(out, "results.svg"), "utf8");
      expect(svg.startsWith("<svg ")).toBe(true);
      expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
      // One bar per workload and engine other than the two references, each titled with its
      // ratio, except the three workloads not measured ((t) on both nbb and on QuickJS).
      expect(svg.match(/<rect [^>]*><title>/g)?.length).toBe(report.workloads.length * 5 - 3);
      expect(svg.match(/>not measured</g)?.length).toBe(3);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 240_000);

  it("rejects an unknown option with exit code 2", async () => {
    const { code, stderr } = await runNode(["bench/run.mjs", "--no-such-option"]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option --no-such-option");
  });
});

describe("result check", () => {
  it("accepts numbers within the relative tolerance and rejects larger differences", () => {
    expect(difference(1e12 * (1 + RELATIVE_TOLERANCE / 2), 1e12)).toBeNull();
    expect(difference(0, 0)).toBeNull();
    expect(difference(1e12 * (1 + RELATIVE_TOLERANCE * 10), 1e12)).toMatch(/^result: .* is not 1000000000000$/);
    expect(difference(1e-12, 0)).not.toBeNull();
  });

  it("compares structure: arrays, keys, strings, null", () => {
    expect(difference([1, { label: "x", newest: null }], [1, { label: "x", newest: null }])).toBeNull();
    expect(difference([1, 2], [1, 2, 3])).toBe("result: length 2 is not 3");
    expect(difference({ a: 1 }, { a: 1, b: 2 })).toBe('result: keys ["a"] are not ["a","b"]');
    expect(difference({ label: "north" }, { label: "south" })).toBe('result.label: "north" is not "south"');
    expect(difference(null, { a: 1 })).toBe("result: null is not an object");
    expect(difference("3", 3)).toBe('result: "3" is not 3');
  });

  it("compares the group-by top 10 as customer/count/total only", () => {
    const reference = [{ customer: "C0001", count: 3, total: 10.5 }];
    expect(project("b", [{ customer: "C0001", count: 3, total: 10.5, extra: true }])).toEqual(reference);
    expect(checkWorkload("b", [[{ customer: "C0001", count: 3, total: 10.5, extra: 1 }]], reference)).toBeNull();
    expect(checkWorkload("b", [[{ customer: "C0002", count: 3, total: 10.5 }]], reference)).toBe(
      'result[0].customer: "C0002" is not "C0001"',
    );
  });

  it("checks every reported value, and fails when there is none", () => {
    expect(checkWorkload("a", [3, 3], 3)).toBeNull();
    expect(checkWorkload("a", [3, 4], 3)).toBe("result: 4 is not 3");
    expect(checkWorkload("a", [], 3)).toBe("no result");
  });
});
