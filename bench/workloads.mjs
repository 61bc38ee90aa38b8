/**
 * The benchmark's workloads, each written once in Clojure (run by ptc-lisp and nbb) and once in
 * JavaScript (run by plain Node and QuickJS). The input is the same everywhere: an object
 * `{orders: [...]}` from bench/data.mjs, which the Clojure programs read as `data/orders` and the
 * JavaScript programs as `data.orders`. JavaScript sources are function bodies ending in `return`.
 *
 * Workload (t) reads no data: it calls a tool `rows` 1,000 times in sequence (Clojure
 * `(tool/rows {:page i})`, JavaScript `await tools.rows({page: i})`), and its JavaScript source
 * is the body of an async function of `tools`. Only ptc-lisp and plain JavaScript run it.
 */

/**
 * Workload ids in report order, with their labels and the targets of DESIGN section 10: a ratio
 * to one of the two plain-JavaScript references (`against`: "fresh", a unique source per
 * iteration, or "optimized", one cached compilation) or an absolute time. The target of (t)
 * (finishes under the default limits, linear in the number of calls) is checked apart.
 */
export const WORKLOADS = [
  { id: "a", label: "(a) filter/map/reduce, 10k orders", target: { ratio: 2, against: "fresh" } },
  { id: "b", label: "(b) group-by/count/sort-by top 10, 10k orders", target: { ratio: 1.5, against: "fresh" } },
  { id: "c", label: "(c) loop/recur to 1,000,000", target: { ratio: 6, against: "optimized" } },
  { id: "d", label: "(d) parse + analyze a 200-line program", target: { ms: 0.5 } },
  { id: "e", label: "(e) fresh run of (+ 1 2)", target: { ms: 0.01 } },
  { id: "e2", label: "(e2) (+ 1 2) from source, fresh sandbox", target: null },
  { id: "f", label: "(f) ingest 1.9 MB JSON as data", target: { ratio: 1.5, against: "optimized" } },
  { id: "ga", label: "(g) assoc 10k keys", target: { ratio: 5, against: "optimized" } },
  { id: "gc", label: "(g) conj 10k items", target: { ratio: 8, against: "optimized" } },
  { id: "t", label: "(t) 1,000 sequential tool calls, 100 rows filtered between", target: null },
];

/** The workload ids, in report order. */
export const WORKLOAD_IDS = WORKLOADS.map((workload) => workload.id);

/** Sequential tool calls of workload (t), and rows per call. */
export const TOOL_CALLS = 1000;
export const ROWS_PER_CALL = 100;

/**
 * The rows the tool of workload (t) returns: `ROWS_PER_CALL` objects `{id, score, name}` built
 * once, scores 0-100 spread evenly (49 of the 100 are above 50).
 */
export function makeRows(count = ROWS_PER_CALL) {
  return Array.from({ length: count }, (_, i) => ({ id: i + 1, score: (i * 37 + 11) % 101, name: `row-${i + 1}` }));
}

/**
 * The tools of workload (t), the same for every engine that runs it: `rows` ignores its page and
 * returns a fresh shallow copy of the prebuilt rows on every call (a new array of the same row
 * objects), as a host handing out a cached page would. ptc-lisp copies a tool's result into its
 * own values in any case.
 */
export function rowTools() {
  const rows = makeRows();
  return { rows: async () => rows.slice() };
}

/** The Clojure loop of workload (t) with `calls` tool calls (also run shorter, to check it is linear). */
export function clojureToolLoop(calls) {
  return `(loop [i 0 kept 0]
  (if (< i ${calls})
    (let [rows (tool/rows {:page i})]
      (recur (inc i) (+ kept (count (filter #(> (:score %) 50) rows)))))
    kept))`;
}

/** Clojure sources: the same text for ptc-lisp and nbb. */
export const CLOJURE = {
  a: `(->> data/orders
     (filter (fn [order] (and (= (:status order) "paid") (> (:amount order) 100))))
     (map :amount)
     (reduce + 0))`,
  b: `(->> data/orders
     (group-by :customer)
     (map (fn [[customer orders]]
            {:customer customer :count (count orders) :total (reduce + 0 (map :amount orders))}))
     (sort-by :total >)
     (take 10)
     (vec))`,
  c: `(loop [i 0 sum 0]
  (if (< i 1000000)
    (recur (inc i) (+ sum i))
    sum))`,
  e: "(+ 1 2)",
  f: "(count data/orders)",
  ga: `(let [m (reduce (fn [m i] (assoc m i (* 2 i))) {} (range 10000))]
  [(count m) (get m 9999)])`,
  gc: `(let [v (reduce (fn [v i] (conj v i)) [] (range 10000))]
  [(count v) (nth v 9999)])`,
  t: clojureToolLoop(TOOL_CALLS),
};

/** JavaScript function bodies (parameter `data`): the same text for plain Node and QuickJS. */
export const JAVASCRIPT = {
  a: `return data.orders
  .filter((order) => order.status === "paid" && order.amount > 100)
  .map((order) => order.amount)
  .reduce((sum, amount) => sum + amount, 0);`,
  b: `const groups = new Map();
for (const order of data.orders) {
  const list = groups.get(order.customer);
  if (list === undefined) groups.set(order.customer, [order]);
  else list.push(order);
}
return [...groups]
  .map(([customer, orders]) => ({
    customer,
    count: orders.length,
    total: orders.map((order) => order.amount).reduce((sum, amount) => sum + amount, 0),
  }))
  .sort((left, right) => right.total - left.total)
  .slice(0, 10);`,
  c: `let sum = 0;
for (let i = 0; i < 1000000; i++) sum += i;
return sum;`,
  e: "return 1 + 2;",
  f: "return data.orders.length;",
  ga: `const m = new Map();
for (let i = 0; i < 10000; i++) m.set(i, 2 * i);
return [m.size, m.get(9999)];`,
  gc: `const v = [];
for (let i = 0; i < 10000; i++) v.push(i);
return [v.length, v[9999]];`,
  t: `let kept = 0;
for (let i = 0; i < ${TOOL_CALLS}; i++) {
  const rows = await tools.rows({ page: i });
  kept += rows.filter((row) => row.score > 50).length;
}
return kept;`,
};

const REGIONS = '["north" "south" "east" "west" "central" "emea" "apac" "latam"]';

/**
 * A program of `blocks` function definitions, ten lines each, alternating two shapes (amount
 * buckets; a region's paid/open split with destructuring, cond and str), in Clojure. 20 blocks
 * make the 200-line program of workload (d); 5 blocks the 50-line program of compiles/second.
 */
export function clojureProgram(blocks) {
  const lines = [];
  for (let k = 0; k < blocks; k++) {
    if (k % 2 === 0) {
      lines.push(
        `(defn bucket-${k} [orders]`,
        `  (let [low (* ${k} 25)`,
        `        high (+ low 25)`,
        `        hits (filterv (fn [o] (and (>= (:amount o) low) (< (:amount o) high))) orders)`,
        `        items (reduce + 0 (map (fn [o] (count (:items o))) hits))]`,
        `    (if (empty? hits)`,
        `      {:bucket ${k} :orders 0 :items 0 :newest nil}`,
        `      {:bucket ${k} :orders (count hits)`,
        `       :items items`,
        `       :newest (reduce max 0 (map :id hits))})))`,
      );
    } else {
      lines.push(
        `(defn region-${k} [orders]`,
        `  (let [region (nth ${REGIONS} (mod ${k} 8))`,
        `        mine (filter #(= (:region %) region) orders)`,
        `        [paid open] ((juxt filter remove) #(= (:status %) "paid") mine)`,
        `        total (reduce + 0 (map :amount paid))]`,
        `    (cond`,
        `      (empty? mine) {:region region :label "none" :total 0}`,
        `      (> (count paid) (count open)) {:region region :label (str region " mostly paid, " (count paid)) :total total}`,
        `      :else {:region region :label (str region " mostly open, " (count open)) :total total})))`,
        "",
      );
    }
  }
  return lines.join("\n");
}

/** The expression that calls every function of `clojureProgram(blocks)` on the data (for checking). */
export function clojureMain(blocks) {
  const names = Array.from({ length: blocks }, (_, k) => (k % 2 === 0 ? `bucket-${k}` : `region-${k}`));
  return `(mapv (fn [f] (f data/orders)) [${names.join(" ")}])`;
}

/** The same program as `clojureProgram(blocks)`, in JavaScript: one function declaration per block. */
export function javascriptProgram(blocks) {
  const lines = [];
  for (let k = 0; k < blocks; k++) {
    if (k % 2 === 0) {
      lines.push(
        `function bucket${k}(orders) {`,
        `  const low = ${k} * 25;`,
        "  const high = low + 25;",
        "  const hits = orders.filter((o) => o.amount >= low && o.amount < high);",
        "  const items = hits.map((o) => o.items.length).reduce((a, b) => a + b, 0);",
        `  if (hits.length === 0) return { bucket: ${k}, orders: 0, items: 0, newest: null };`,
        `  return { bucket: ${k}, orders: hits.length, items, newest: hits.map((o) => o.id).reduce((a, b) => Math.max(a, b), 0) };`,
        "}",
      );
    } else {
      lines.push(
        `function region${k}(orders) {`,
        `  const region = ${REGIONS.replaceAll(" ", ", ")}[${k} % 8];`,
        "  const mine = orders.filter((o) => o.region === region);",
        '  const paid = mine.filter((o) => o.status === "paid");',
        '  const open = mine.filter((o) => o.status !== "paid");',
        "  const total = paid.map((o) => o.amount).reduce((a, b) => a + b, 0);",
        '  if (mine.length === 0) return { region, label: "none", total: 0 };',
        '  if (paid.length > open.length) return { region, label: region + " mostly paid, " + paid.length, total };',
        '  return { region, label: region + " mostly open, " + open.length, total };',
        "}",
      );
    }
  }
  return lines.join("\n");
}

/** The expression that calls every function of `javascriptProgram(blocks)` on `data.orders`. */
export function javascriptMain(blocks) {
  const names = Array.from({ length: blocks }, (_, k) => (k % 2 === 0 ? `bucket${k}` : `region${k}`));
  return `[${names.join(", ")}].map((f) => f(data.orders))`;
}

/** The small program of "runs per second": compiled once, run many times on a few orders. */
export const SMALL_PROGRAM = `(let [paid (filter #(= (:status %) "paid") data/orders)]
  {:count (count paid) :total (reduce + 0 (map :amount paid))})`;

/** `SMALL_PROGRAM` in JavaScript (a function body with parameter `data`). */
export const SMALL_PROGRAM_JS = `const paid = data.orders.filter((order) => order.status === "paid");
return { count: paid.length, total: paid.map((order) => order.amount).reduce((sum, amount) => sum + amount, 0) };`;

/** Blocks of the program of workload (d) (200 lines) and of compiles/second (50 lines). */
export const BIG_BLOCKS = 20;
export const MEDIUM_BLOCKS = 5;
