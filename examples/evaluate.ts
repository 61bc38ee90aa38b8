// Runs a PTC-Lisp program with input data and an async tool.
// Run it with: npx tsx examples/evaluate.ts
// In your own project, import from "ptc-lisp" instead of "../src/index.js".
import { evaluate, formatDiagnostic, printValue } from "../src/index.js";

const source = `
(let [total (sum-by :amount data/orders)
      quotes (pmap (fn [currency] (tool/get-rates {:currency currency})) ["EUR" "GBP"])]
  (println "total in USD:" total)
  (into {} (map (fn [quote] [(keyword (:currency quote)) (* total (:rate quote))]) quotes)))`;

const rates: Readonly<Record<string, number>> = { EUR: 0.92, GBP: 0.79 };

const result = await evaluate(source, {
  data: {
    orders: [
      { id: 1, amount: 120 },
      { id: 2, amount: 80 },
    ],
  },
  tools: {
    // Stands in for a call to a rates service; both calls run in parallel because of pmap.
    "get-rates": async ({ currency }) => {
      const rate = typeof currency === "string" ? rates[currency] : undefined;
      if (rate === undefined) throw new Error(`no rate for ${String(currency)}`);
      return { currency, rate };
    },
  },
  limits: { timeMs: 500 },
});

if (result.ok) {
  for (const line of result.prints) console.log(line);
  console.log(printValue(result.value));
  console.log(`tool calls: ${result.toolCalls.map((call) => `${call.name} ${JSON.stringify(call.args)}`).join(", ")}`);
} else {
  console.error(formatDiagnostic(result.error, source));
  process.exitCode = 1;
}
