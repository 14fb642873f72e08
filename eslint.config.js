import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Messenger, database and cron libraries belong to the adapters at the edge; the core and
// the handlers must work the same on every channel and driver.
const edgeLibraries = [
  "grammy",
  "grammy/*",
  "@grammyjs/*",
  "drizzle-orm",
  "drizzle-orm/*",
  "postgres",
  "@electric-sql/*",
  "node-cron",
  "hono",
  "hono/*",
  "@hono/*",
];
const edgeFolders = ["**/src/store/**", "**/src/channels/**", "**/src/scheduler/**", "**/store/**", "**/channels/**", "**/scheduler/**"];

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "migrations/", "coverage/", ".ci-artifacts/", "src/channels/sandbox/page.html"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: "module" },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-syntax": [
        "error",
        {
          // Inside a transaction every query must use the transaction handle; the outer
          // handle would run outside it (and deadlock PGlite's single connection).
          selector: "CallExpression[callee.property.name='transaction'] > ArrowFunctionExpression MemberExpression[object.name='db']",
          message: "Use the transaction handle (tx) inside a transaction callback, never the outer db.",
        },
      ],
    },
  },
  {
    files: ["src/core/**/*.ts", "handlers/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: edgeLibraries, message: "The core and the handlers are channel- and driver-neutral: go through a port or a core service." },
            { group: edgeFolders, message: "The core and the handlers must not reach into store, channels or scheduler code." },
          ],
        },
      ],
    },
  },
);
