import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/browser/**", "node_modules/**"],
    // Time rules must hold whatever zone the machine runs in; a non-UTC zone catches
    // code that silently relies on the process timezone.
    env: { TZ: "America/New_York" },
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
