import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

// test/live calls real model providers: it runs only with `--mode live` (npm run test:live).
export default defineConfig(({ mode }) => ({
  // Example agent files import the package by name ("ptc-lisp"); tests resolve it to the source,
  // as node's --conditions=ptc-lisp-source does for the scripts and spawned CLI processes.
  resolve: {
    alias: [
      { find: /^ptc-lisp$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
      { find: /^ptc-lisp\/core$/, replacement: fileURLToPath(new URL("./src/core.ts", import.meta.url)) },
      { find: /^ptc-lisp\/testing$/, replacement: fileURLToPath(new URL("./src/testing/index.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: mode === "live" ? [...configDefaults.exclude] : [...configDefaults.exclude, "test/live/**"],
    setupFiles: ["test/helpers/fail-on-console.ts"],
    testTimeout: 20_000,
    // Type tests (*.test-d.ts) pin the types the API infers; vitest runs them through tsc.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"] },
  },
}));
