// The playground page (examples/playground) in a real browser: built with its own build script
// into a scratch folder, served from 127.0.0.1 by a node:http server, and driven through
// playwright-core in Debian's chromium. Checks what a user sees: the value, the printed lines,
// a diagnostic with its code and caret, the cost estimate, a runaway program stopped by the
// limits, and a screenshot that is not blank. The page must load nothing from anywhere else.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlayground } from "../../examples/playground/build.js";

const CHROMIUM = "/usr/bin/chromium";
const INSTALL_NOTE =
  `${CHROMIUM} is missing: the playground test drives Debian's chromium. ` +
  "Install it with: apt-get update && apt-get install -y chromium";
/** Launching chromium and building the bundle take seconds, more on a loaded machine. */
const SETUP_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = 60_000;
const ARTIFACTS = fileURLToPath(new URL("./.artifacts", import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  "/index.html": "text/html; charset=utf-8",
  "/style.css": "text/css; charset=utf-8",
  "/main.js": "text/javascript; charset=utf-8",
};

let work = "";
let server: Server | undefined;
let browser: Browser | undefined;
let origin = "";
let page: Page;
const requests: string[] = [];
const pageErrors: string[] = [];

function serve(root: string): Promise<Server> {
  const http = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const file = path === "/" ? "/index.html" : path;
    const type = CONTENT_TYPES[file];
    if (type === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": type }).end(readFileSync(join(root, file)));
  });
  return new Promise((resolve) => http.listen(0, "127.0.0.1", () => resolve(http)));
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(INSTALL_NOTE);
  work = mkdtempSync(join(tmpdir(), "ptc-playground-"));
  const built = await buildPlayground({ outdir: join(work, "dist") });
  server = await serve(built.outdir);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  await page.goto(`${origin}/`);
  await waitForRuns(1);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

/** Waits until the page has finished `count` runs (it counts them on <main data-runs>). */
async function waitForRuns(count: number): Promise<void> {
  await page.waitForSelector(`#main[data-runs="${count}"]`, { timeout: TEST_TIMEOUT_MS });
}

async function runs(): Promise<number> {
  return Number(await page.getAttribute("#main", "data-runs"));
}

async function text(selector: string): Promise<string> {
  return (await page.textContent(selector)) ?? "";
}

/** Fills both editors, runs with the button, and waits for the run to finish. */
async function runWithButton(program: string, data: string): Promise<void> {
  const before = await runs();
  await page.fill("#program", program);
  await page.fill("#data", data);
  await page.click("#run");
  await waitForRuns(before + 1);
}

async function saveScreenshot(name: string): Promise<Buffer> {
  const screenshot = await page.screenshot({ fullPage: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, name), screenshot);
  return screenshot;
}

interface Png {
  readonly width: number;
  readonly height: number;
  /** Bytes per pixel: 3 (RGB) or 4 (RGBA). */
  readonly channels: number;
  readonly pixels: Uint8Array;
}

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what chromium's screenshots are). */
function decodePng(file: Buffer): Png {
  expect(file.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString("latin1", offset + 4, offset + 8);
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") header = body;
    else if (type === "IDAT") data.push(body);
    offset += 12 + length;
  }
  if (header === undefined) throw new Error("PNG without IHDR");
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [bitDepth, colourType, , , interlace] = header.subarray(8, 13);
  expect({ bitDepth, interlace }).toEqual({ bitDepth: 8, interlace: 0 });
  expect([2, 6]).toContain(colourType);
  const channels = colourType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const byte = raw[row * (stride + 1) + 1 + i] as number;
      const left = i >= channels ? (pixels[row * stride + i - channels] as number) : 0;
      const up = row > 0 ? (pixels[(row - 1) * stride + i] as number) : 0;
      const upLeft = row > 0 && i >= channels ? (pixels[(row - 1) * stride + i - channels] as number) : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = Math.floor((left + up) / 2);
      else if (filter === 4) {
        const estimate = left + up - upLeft;
        const [toLeft, toUp, toUpLeft] = [estimate - left, estimate - up, estimate - upLeft].map(Math.abs) as [
          number,
          number,
          number,
        ];
        predicted = toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
      }
      pixels[row * stride + i] = (byte + predicted) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

describe("playground", () => {
  it("runs its example on load, within the limits it shows, from its own origin only", async () => {
    expect(await page.getAttribute("#status", "data-state")).toBe("ok");
    expect(await text("#value")).toContain(':region "north"');
    expect(await text("#limits")).toMatch(/Limits per run: 1,000 ms, 10,000,000 steps/);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it(
    "runs a typed program on JSON data with the button: value, printed lines, cost estimate",
    async () => {
      await runWithButton('(println "n =" (count data/xs))\n(println "done")\n(mapv inc data/xs)', '{"xs": [1, 2, 3]}');
      expect(await page.getAttribute("#status", "data-state")).toBe("ok");
      expect(await text("#status")).toMatch(/^Ran in [\d.,]+ ms, [\d,]+ steps\.$/);
      expect(await text("#value")).toBe("[2 3 4]");
      expect(await text("#prints")).toBe("n = 3\ndone");
      expect(await text("#diagnostics")).toBe("None.");

      const summary = await text("#cost-summary");
      expect(summary).toContain("Evaluation steps");
      expect(summary).toContain("|xs|");
      expect(summary).toMatch(/Weighted total[\d.]+/);
      // The sizes come from the data: three elements under "xs".
      expect(summary).toContain("Sizes from the data|xs| = 3");
      expect(await text("#cost-explain")).toContain("|xs| = 3");
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "shows a compile error on Ctrl+Enter with its code marked and a caret under the span",
    async () => {
      const before = await runs();
      await page.fill("#program", "");
      await page.locator("#program").pressSequentially("(defn total [xs]\n  (reduce + (map :amount xss)))");
      await page.press("#program", "Control+Enter");
      await waitForRuns(before + 1);

      expect(await page.getAttribute("#status", "data-state")).toBe("error");
      expect(await text("#status")).toBe("Did not compile: 1 diagnostic.");
      expect(await text("#value")).toBe("");
      expect(await page.locator("#diagnostics .diagnostic").count()).toBe(1);
      expect(await text("#diagnostics .diagnostic-code")).toBe("unbound_symbol");
      expect(await page.getAttribute("#diagnostics .diagnostic", "data-code")).toBe("unbound_symbol");

      const lines = (await text("#diagnostics .diagnostic")).split("\n");
      expect(lines[0]).toBe("error [unbound_symbol] at line 2, column 26: unable to resolve symbol xss");
      const sourceLine = lines.findIndex((line) => line.startsWith("2 | "));
      expect(sourceLine).toBeGreaterThan(0);
      const caret = lines[sourceLine + 1] ?? "";
      expect(await text("#diagnostics .caret")).toBe(caret);
      // The carets sit exactly under `xss`.
      expect(caret.trim()).toBe("^^^");
      expect(caret.indexOf("^")).toBe((lines[sourceLine] ?? "").indexOf("xss"));
      expect(await text("#cost")).toBe("No estimate: the program does not compile.");
      await saveScreenshot("playground-diagnostic.png");
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "stops a runaway program with limit_exceeded and stays usable",
    async () => {
      const started = Date.now();
      await runWithButton('(println "spinning")\n(loop [i 0] (recur (inc i)))', "{}");
      expect(Date.now() - started).toBeLessThan(TEST_TIMEOUT_MS / 2);
      expect(await page.getAttribute("#status", "data-state")).toBe("error");
      expect(await text("#status")).toMatch(/^Failed with limit_exceeded after /);
      expect(await text("#diagnostics .diagnostic-code")).toBe("limit_exceeded");
      expect(await text("#prints")).toBe("spinning");

      await runWithButton("(+ 1 2)", "");
      expect(await text("#value")).toBe("3");
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "says when the data is not a JSON object",
    async () => {
      await runWithButton("data/xs", "[1, 2");
      expect(await page.getAttribute("#status", "data-state")).toBe("error");
      expect(await text("#status")).toMatch(/^The data is not valid JSON: /);
      await runWithButton("data/xs", "[1, 2]");
      expect(await text("#status")).toBe("The data must be a JSON object: each key is read as data/key.");
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "renders a page that is not blank (screenshot in test/e2e/.artifacts/playground.png)",
    async () => {
      await page.reload();
      await waitForRuns(1);
      const screenshot = await saveScreenshot("playground.png");

      const png = decodePng(screenshot);
      expect(png.width).toBe(1280);
      expect(png.height).toBeGreaterThanOrEqual(900);
      const counts = new Map<number, number>();
      for (let i = 0; i < png.pixels.length; i += png.channels) {
        const colour =
          ((png.pixels[i] as number) << 16) | ((png.pixels[i + 1] as number) << 8) | (png.pixels[i + 2] as number);
        counts.set(colour, (counts.get(colour) ?? 0) + 1);
      }
      const total = png.width * png.height;
      const background = Math.max(...counts.values());
      // Text, borders and the editors' surfaces: many colours, and a good share of the pixels
      // differ from the most common one (the page background).
      expect(counts.size).toBeGreaterThan(32);
      expect((total - background) / total).toBeGreaterThan(0.2);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
