import { configDefaults, defineConfig } from "vitest/config";

// test/live calls real model providers: it runs only with `--mode live` (npm run test:live).
export default defineConfig(({ mode }) => ({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: mode === "live" ? [...configDefaults.exclude] : [...configDefaults.exclude, "test/live/**"],
    setupFiles: ["test/helpers/fail-on-console.ts"],
    testTimeout: 20_000,
    // Type tests (*.test-d.ts) pin the types the API infers; vitest runs them through tsc.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"] },
  },
}));
