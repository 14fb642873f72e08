import { defineConfig } from "drizzle-kit";

// Migrations are generated from src/store/schema, reviewed and committed; the app applies
// them at boot on both PostgreSQL and PGlite.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/store/schema/index.ts",
  out: "./migrations",
  breakpoints: true,
});
