import { defineConfig } from "drizzle-kit";

// `npx drizzle-kit migrate` reads the same two settings as the server: a libSQL
// server (sqld, Turso) needs DATABASE_AUTH_TOKEN as well as DATABASE_URL; an
// empty one counts as unset, as it does for the server.
const authToken = process.env.DATABASE_AUTH_TOKEN?.trim();
const url = process.env.DATABASE_URL?.trim();

export default defineConfig({
  dialect: "turso",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  dbCredentials: { url: url || "file:./data/kept.db", ...(authToken ? { authToken } : {}) },
});
