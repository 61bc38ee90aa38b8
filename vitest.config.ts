import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/helpers/fail-on-console.ts"],
    testTimeout: 20_000,
    typecheck: { enabled: false },
  },
});
