import { defineConfig } from "vitest/config";

// The sandbox page in a real (headless) Chromium against the real app: slow, so kept apart
// from the unit suite. Run with `npm run test:browser`.
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    env: { TZ: "America/New_York" },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
