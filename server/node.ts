// The Node entry: reads the environment once, opens the embedded libSQL file (or
// a libSQL server), serves the app on loopback and runs the sweep on a timer.
import { randomUUID } from "node:crypto";
import { serve } from "@hono/node-server";
import { createApp } from "./app";
import { Authenticator } from "./auth";
import { authConfig, ConfigError, loadConfig } from "./config";
import { openDatabase } from "./db-node";
import { Ledger } from "./ledger";
import { feedCalendar } from "./providers/feed";
import { mountWeb } from "./web";
import pkg from "../package.json" with { type: "json" };

export async function startServer(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(env);
  const { db, close } = await openDatabase(config.DATABASE_URL, { authToken: config.DATABASE_AUTH_TOKEN });
  const publicUrl = config.PUBLIC_URL ?? `http://${config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST}:${config.PORT}`;
  const deps = {
    db,
    clock: Date.now,
    newId: randomUUID,
    calendar: feedCalendar(),
    mail: null,
    publicUrl,
    auth: new Authenticator(authConfig(config)),
    version: pkg.version,
    localDefaults: { timeZone: config.KEPT_TIME_ZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC", locale: config.KEPT_LOCALE ?? "en-GB" },
  };
  const app = createApp({ ...deps, mount: (a) => mountWeb(a, deps) });
  const ledger = new Ledger(deps);
  let sweeping = false;
  const timer = setInterval(async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      await ledger.sweep();
    } catch (e) {
      console.error("sweep failed; it will run again", e);
    } finally {
      sweeping = false;
    }
  }, config.SWEEP_INTERVAL_SECONDS * 1000);
  timer.unref();
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, () => resolve(s));
  });
  return {
    url: publicUrl,
    config,
    close: async () => {
      clearInterval(timer);
      await new Promise<void>((r) => server.close(() => r()));
      close();
    },
  };
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("server/node.ts");
if (isMain) {
  startServer().then(
    ({ url, config }) => {
      console.log(`Kept is running at ${url}/  (database: ${config.DATABASE_URL}, sign-in: ${config.AUTH_MODE})`);
      console.log("Open it in a browser; press Ctrl+C to stop.");
    },
    (e) => {
      console.error(e instanceof ConfigError ? e.message : e);
      process.exit(1);
    },
  );
}
