// The Node entry: reads the environment once, opens the embedded libSQL file (or
// a libSQL server), serves the app on loopback and runs the sweep on a timer.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { createApp } from "./app";
import { Authenticator } from "./auth";
import { authConfig, ConfigError, loadConfig } from "./config";
import { openDatabase } from "./db-node";
import { Ledger } from "./ledger";
import { PanelCache } from "./panel-cache";
import { feedCalendar } from "./providers/feed";
import { mountWeb } from "./web";
import pkg from "../package.json" with { type: "json" };

export async function startServer(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(env);
  const { db, close, version: dbVersion } = await openDatabase(config.DATABASE_URL, { authToken: config.DATABASE_AUTH_TOKEN, cacheMB: config.DATABASE_CACHE_MB, mmapMB: config.DATABASE_MMAP_MB });
  // With PORT=0 the system picks a free port; links in events need the real one.
  const server = await listenOn(config.HOST, config.PORT);
  const port = (server.address() as AddressInfo).port;
  const publicUrl = config.PUBLIC_URL ?? `http://${config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST}:${port}`;
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
  // Side panels from memory while nothing has changed: the embedded database only.
  const panels = dbVersion && config.PANEL_CACHE > 0 ? new PanelCache(dbVersion, config.PANEL_CACHE) : undefined;
  const app = createApp({ ...deps, panels, mount: (a) => mountWeb(a, deps) });
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
  server.on("request", getRequestListener(app.fetch));
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

function listenOn(host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(e.code === "EADDRINUSE" ? new ConfigError(`Kept can't start: port ${port} on ${host} is in use. Stop what is using it, or set PORT to another port.`) : e),
    );
    server.listen(port, host, () => resolve(server));
  });
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
