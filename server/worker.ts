// The Cloudflare Workers entry: libSQL over HTTP (Turso or any sqld), the same
// app, and the sweep on a cron trigger. Migrations are applied before deploy
// (`DATABASE_URL=... npx drizzle-kit migrate`), not at request time.
import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "../db/schema";
import { createApp } from "./app";
import { Authenticator } from "./auth";
import { authConfig, ConfigError, loadConfig } from "./config";
import type { Db } from "./db";
import { Ledger } from "./ledger";
import { feedCalendar } from "./providers/feed";
import { mountWeb } from "./web";

interface Env {
  [key: string]: unknown;
}

interface Ctx {
  waitUntil(p: Promise<unknown>): void;
}

type Built = { app: ReturnType<typeof createApp>; ledger: Ledger };
let cached: { env: Env; built: Built } | null = null;

function build(env: Env): Built {
  if (cached && cached.env === env) return cached.built;
  const strings = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const url = strings.DATABASE_URL?.trim();
  if (!url || /^file:/i.test(url))
    throw new ConfigError(
      `Kept can't start; fix these settings:\n  DATABASE_URL must be a libSQL server address on Workers, starting libsql://, https:// or wss://, for example libsql://kept-you.turso.io (with DATABASE_AUTH_TOKEN as a secret); it is ${url ? JSON.stringify(url) : "not set"}`,
    );
  const config = loadConfig({ ...strings, HOST: strings.HOST ?? "127.0.0.1" });
  if (config.AUTH_MODE === "token" && !config.PUBLIC_URL)
    throw new ConfigError(
      "Kept can't start; fix these settings:\n  PUBLIC_URL must be the address this Worker is reached at, for example https://kept.example.com (links in calendar events point there); it is not set",
    );
  const client = createClient({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
  const db = drizzle(client, { schema }) as unknown as Db;
  const deps = {
    db,
    clock: Date.now,
    newId: () => crypto.randomUUID(),
    calendar: feedCalendar(),
    mail: null,
    publicUrl: config.PUBLIC_URL ?? "http://127.0.0.1:8787",
    auth: new Authenticator(authConfig(config)),
    localDefaults: { timeZone: config.KEPT_TIME_ZONE ?? "UTC", locale: config.KEPT_LOCALE ?? "en-GB" },
  };
  const built = { app: createApp({ ...deps, mount: (a) => mountWeb(a, deps) }), ledger: new Ledger(deps) };
  cached = { env, built };
  return built;
}

export default {
  async fetch(request: Request, env: Env, ctx: Ctx): Promise<Response> {
    try {
      return await build(env).app.fetch(request, env, ctx as never);
    } catch (e) {
      if (e instanceof ConfigError) {
        // The reason is for the operator, in the Worker's logs: a setting's value may hold a secret.
        console.error(e.message);
        return new Response("Kept is not set up correctly on this server. Its operator will find the reason in the Worker's logs.", { status: 500, headers: { "content-type": "text/plain" } });
      }
      throw e;
    }
  },
  async scheduled(_event: unknown, env: Env, ctx: Ctx): Promise<void> {
    ctx.waitUntil(build(env).ledger.sweep());
  },
};
