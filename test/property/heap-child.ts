/**
 * Measures the real heap growth of runs, one after another, in a process of its own (started by
 * heap.property.test.ts as `node --expose-gc --import tsx heap-child.ts`). Reads a JSON request
 * `{programs, limits}` on standard input, runs each program on the fuzzing input (`fuzzData`),
 * and writes one JSON line of measurements.
 *
 * For each program: a full GC, the heap's size before, the run (then, as a host would, the
 * result's JSON text), and the growth at the peak. A pass is synchronous, so the peak is read
 * after it: V8 grows the heap it has committed as the run allocates and gives it back only
 * after later collections, so the committed size right after the run is close to its peak;
 * the process's peak resident size (maxRSS) catches a collection that shrank it in between.
 */
import { getHeapStatistics } from "node:v8";
import { evaluate, type Limits } from "../../src/index.js";
import { fuzzData } from "./fuzz-programs.js";

interface Request {
  readonly programs: readonly string[];
  readonly limits: Limits;
}

export interface Measurement {
  readonly program: string;
  /** The run's outcome: `ok`, or its error code and limit. */
  readonly outcome: string;
  /** Bytes the heap grew, at the peak. */
  readonly growth: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");

async function readRequest(): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Request;
}

function committed(): number {
  const heap = getHeapStatistics();
  return heap.total_heap_size + heap.malloced_memory + process.memoryUsage().arrayBuffers;
}

const request = await readRequest();
const data = fuzzData();
// Warm up: the first run loads and compiles the interpreter's own code.
await evaluate("(reduce + (map inc (range 1000)))");
const results: Measurement[] = [];
for (const program of request.programs) {
  gc();
  gc();
  const before = committed();
  const rssBefore = process.memoryUsage().rss;
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  const result = await evaluate(program, { limits: request.limits, data });
  if (result.ok) JSON.stringify(result.json);
  const heapGrowth = committed() - before;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  // A new peak of the process: how far it rose above this run's start.
  const rssGrowth = maxRss > maxRssBefore ? maxRss - rssBefore : 0;
  results.push({
    program: program.length > 200 ? `${program.slice(0, 200)}...` : program,
    outcome: result.ok ? "ok" : `${result.error.code}${result.error.limit ? `/${result.error.limit}` : ""}`,
    growth: Math.max(heapGrowth, rssGrowth),
  });
}
process.stdout.write(`${JSON.stringify(results)}\n`);
process.exit(0);
