// bench/install.mjs packs and installs the package (as test/e2e/package.test.ts does) and times
// fresh processes: too slow for the suite. Here: its report, from figures given.
import { describe, expect, it } from "vitest";
import { ENTRIES, type InstallReport, renderInstallMarkdown } from "../../bench/install.mjs";

const MIB = 1024 * 1024;

const report: InstallReport = {
  date: "2026-12-02",
  runs: 21,
  node: "v20.20.2",
  package: "ptc-lisp 0.1.0 (commit abc1234)",
  machine: "a CPU ×2, linux x64",
  installMode: "offline",
  tarball: { bytes: 700 * 1024, unpackedBytes: 3.5 * MIB, files: 480 },
  installed: { bytes: 23.5 * MIB, files: 4100 },
  packages: [
    { name: "openai", version: "6.49.0", bytes: 11.9 * MIB, files: 2700 },
    { name: "ptc-lisp", version: "0.1.0", bytes: 3.5 * MIB, files: 480 },
  ],
  imports: [
    { name: "bare", medianMs: 80, minMs: 70, maxMs: 120, overBareMs: 0 },
    { name: "ptc-lisp", medianMs: 290, minMs: 260, maxMs: 380, overBareMs: 205 },
    { name: "ptc-lisp/core", medianMs: 285, minMs: 255, maxMs: 370, overBareMs: 200 },
  ],
  load: { start: 1.5, end: 1.25 },
};

describe("bench/install.mjs report", () => {
  it("measures the main entry and the core entry", () => {
    expect(ENTRIES).toEqual(["ptc-lisp", "ptc-lisp/core"]);
  });

  it("renders the import times over bare node and the installed packages as Markdown tables", () => {
    const markdown = renderInstallMarkdown(report);
    const rows = markdown.split("\n").map((line) => line.split("|").map((cell) => cell.trim()));
    expect(rows).toContainEqual(["", '`node -e ""`', "80 ms (70 ms–120 ms)", "—", ""]);
    expect(rows).toContainEqual(["", "`node -e 'import(\"ptc-lisp\")'`", "290 ms (260 ms–380 ms)", "205 ms", ""]);
    expect(rows).toContainEqual(["", "`node -e 'import(\"ptc-lisp/core\")'`", "285 ms (255 ms–370 ms)", "200 ms", ""]);
    expect(rows).toContainEqual(["", "openai", "6.49.0", "11.90 MiB", "2700", ""]);
    expect(rows).toContainEqual(["", "**all**", "", "**23.50 MiB**", "**4100**", ""]);
    expect(markdown).toContain("The tarball: 700 KiB, 3.50 MiB unpacked, 480 files.");
    expect(markdown).toContain("load average (1 minute) 1.5 at the start, 1.3 at the end");
  });
});
