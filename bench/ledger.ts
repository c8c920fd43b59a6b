// Ledger benchmarks on 1,000,000 commitments over 10,000 accounts (an embedded
// libSQL file): the side-panel query through the whole app over HTTP (token
// auth, validation, JSON) beside a bare Hono route on the same run, the query
// alone, the same panels asked for again (from the server's PanelCache), a route
// that answers from memory without the app around it (the ceiling of any
// response cache), and the sweep of 10,000 due reminders. Run: npx tsx bench/ledger.ts
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import autocannon from "autocannon";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { createApp } from "../server/app";
import { Authenticator } from "../server/auth";
import { openDatabase } from "../server/db-node";
import { Ledger } from "../server/ledger";
import { feedCalendar } from "../server/providers/feed";
import { PanelCache } from "../server/panel-cache";
import { panelFor } from "../server/store";

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const COMMITMENTS = Number(process.env.BENCH_COMMITMENTS ?? 1_000_000);
const DUE = Number(process.env.BENCH_DUE ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const AUD = "api://kept-bench";

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function listen(fetch: (r: Request) => Response | Promise<Response>): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const s = serve({ fetch, hostname: "127.0.0.1", port: 0 }, (info) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => new Promise<void>((r) => s.close(() => r())) }),
    );
  });
}

async function load(url: string, requests: Array<{ path: string; headers: Record<string, string> }>, connections = 10) {
  let i = 0;
  const result = await autocannon({
    url,
    connections,
    duration: SECONDS,
    requests: [
      {
        setupRequest: (req) => {
          const r = requests[i++ % requests.length]!;
          return { ...req, path: r.path, headers: { ...req.headers, ...r.headers } };
        },
      },
    ],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    total: result.requests.total,
  };
}

export async function benchLedger(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "kept-bench-"));
  const url = `file:${join(dir, "kept.db")}`;
  const { db, close, version } = await openDatabase(url, { cacheMB: 64, mmapMB: 1024 }); // the server's defaults (DATABASE_CACHE_MB, DATABASE_MMAP_MB)
  const client = (db as unknown as { $client: { execute(s: string | { sql: string; args: unknown[] }): Promise<unknown>; executeMultiple(s: string): Promise<void> } }).$client;
  const now = Date.now();
  try {
    // ── Seed with SQL: accounts a0..a9999, commitments spread over them ──
    let t = performance.now();
    await client.executeMultiple(`
      PRAGMA synchronous = OFF;
      WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < ${ACCOUNTS - 1})
      INSERT INTO accounts (id, provider, tenant_id, subject, email, time_zone, locale, work_days, day_start, day_end, settings, addresses)
      SELECT 'a' || x, 'microsoft', '${TID}', 'oid-' || x, 'user' || x || '@contoso.example', 'Europe/London', 'en-GB', '[1,2,3,4,5]', '09:00', '17:30', '{}', '[]' FROM n;
    `);
    const perAccount = Math.floor(COMMITMENTS / ACCOUNTS);
    await client.execute(`
      WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < ${COMMITMENTS - 1})
      INSERT INTO commitments (id, account_id, provider, thread_id, message_id, counterpart_address, counterpart_name, counterparts, subject, sentence, trigger, kind,
        sent_at, due_date, due_stated, status, chase_count, next_reminder_at, reminder_count, source, created_at, updated_at, kept_at)
      SELECT 'c' || x, 'a' || (x % ${ACCOUNTS}), 'microsoft', 't' || (x / 2), 'm' || x,
        'p' || ((x / ${ACCOUNTS}) % 40) || '@example.com', 'Person ' || ((x / ${ACCOUNTS}) % 40),
        '[{"name":"Person","address":"p' || ((x / ${ACCOUNTS}) % 40) || '@example.com"}]',
        'Subject ' || x, 'I''ll get back to you by Friday.', 'I''ll get back to you', 'explicit',
        ${now} - (x % 200) * 86400000, '2026-11-20', 1,
        CASE WHEN x % 5 = 0 THEN 'open' ELSE 'kept' END, 0,
        CASE WHEN x % 5 = 0 THEN (CASE WHEN (x / 5) < ${DUE} THEN ${now} - 60000 ELSE ${now} + 86400000 * (1 + x % 20) END) ELSE NULL END,
        0, 'sync', ${now}, ${now},
        CASE WHEN x % 5 = 0 THEN NULL ELSE ${now} - (x % 200) * 86400000 + 3600000 * (1 + x % 96) END
      FROM n
    `);
    await client.execute("ANALYZE");
    const seedSeconds = (performance.now() - t) / 1000;
    const dbMB = Math.round(statSync(join(dir, "kept.db")).size / 1e6);

    // ── The side panel's statement alone ──
    const lat: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const a = (i * 7919) % ACCOUNTS;
      const s = performance.now();
      await panelFor(db, { provider: "microsoft", tenantId: TID, subject: `oid-${a}` }, `p${i % 40}@example.com`, `t${a}`, "2026-11-22");
      lat.push(performance.now() - s);
    }
    lat.sort((x, y) => x - y);
    const query = { p50ms: +percentile(lat, 50).toFixed(3), p99ms: +percentile(lat, 99).toFixed(3), perAccount };

    // ── Through the app over HTTP, beside a bare Hono route ──
    const pair = await generateKeyPair("RS256", { extractable: true });
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256" };
    const jwks: Server = createServer((_q, r) => r.end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => jwks.listen(0, "127.0.0.1", () => r()));
    const auth = new Authenticator({ mode: "token", microsoft: { audiences: [AUD], jwksUrl: `http://127.0.0.1:${(jwks.address() as { port: number }).port}/` } });
    const requests: Array<{ path: string; headers: Record<string, string> }> = [];
    for (let i = 0; i < 500; i++) {
      const a = (i * 7919) % ACCOUNTS;
      const token = await new SignJWT({ tid: TID, oid: `oid-${a}` })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(`https://login.microsoftonline.com/${TID}/v2.0`)
        .setAudience(AUD)
        .setExpirationTime("2h")
        .sign(pair.privateKey);
      requests.push({ path: `/api/panel?counterpart=p${i % 40}%40example.com&threadId=t${a}`, headers: { authorization: `Bearer ${token}` } });
    }
    // Every panel read from the database, as on a libSQL server (or a cache miss).
    const app = createApp({ db, clock: Date.now, newId: randomUUID, calendar: feedCalendar(), mail: null, publicUrl: "http://127.0.0.1", auth });
    const kept = await listen(app.fetch);
    // As the Node entry runs it on the embedded file: panels asked for again come
    // from memory (PanelCache) while nothing has been written.
    const panels = new PanelCache(version!);
    const cachedApp = createApp({ db, clock: Date.now, newId: randomUUID, calendar: feedCalendar(), mail: null, publicUrl: "http://127.0.0.1", auth, panels });
    const cached = await listen(cachedApp.fetch);
    const bareApp: Hono = new Hono()
      .get("/bare", (c) => c.json({ ok: true }))
      // A fairer floor: the panel's statement alone, no auth, no validation.
      .get("/query", async (c) => {
        const panel = await panelFor(db, { provider: "microsoft", tenantId: TID, subject: c.req.query("s")! }, c.req.query("p")!, c.req.query("t")!, "2026-11-22");
        return c.body(panel.json, 200, { "content-type": "application/json" });
      });
    // The best any cache of whole responses could do: the token checked as the
    // panel checks it, then the panel's JSON taken from memory. No database at all.
    const stored = new Map<string, string>();
    for (let i = 0; i < requests.length; i++) {
      const a = (i * 7919) % ACCOUNTS;
      const panel = await panelFor(db, { provider: "microsoft", tenantId: TID, subject: `oid-${a}` }, `p${i % 40}@example.com`, `t${a}`, "2026-11-22");
      stored.set(`oid-${a}\np${i % 40}@example.com\nt${a}`, panel.json);
    }
    bareApp.get("/remembered", async (c) => {
      const identity = await auth.identify(c.req.header("authorization"), undefined);
      const body = stored.get(`${identity.subject}\n${c.req.query("counterpart")}\n${c.req.query("threadId")}`);
      return body ? c.body(body, 200, { "content-type": "application/json" }) : c.json({ missing: true }, 404);
    });
    const bare = await listen(bareApp.fetch);
    // Warm up the JWKS cache and the page cache.
    for (const r of requests.slice(0, 50)) await (await fetch(kept.url + r.path, { headers: r.headers })).text();
    // One client at a time: the latency a user's side panel sees. Ten at once: throughput.
    const panelAlone = await load(kept.url, requests, 1);
    const panel = await load(kept.url, requests);
    const bareResult = await load(bare.url, [{ path: "/bare", headers: {} }]);
    const queryResult = await load(
      bare.url,
      requests.map((_, i) => ({ path: `/query?s=oid-${(i * 7919) % ACCOUNTS}&p=p${i % 40}%40example.com&t=t${(i * 7919) % ACCOUNTS}`, headers: {} })),
    );
    await kept.close();
    // Each of the 500 panels read once, then asked for again and again.
    for (const r of requests) await (await fetch(cached.url + r.path, { headers: r.headers })).text();
    const repeated = await load(cached.url, requests);
    await cached.close();

    // ── The sweep: DUE reminders among all of them ──
    const ledger = new Ledger({ db, clock: () => now, newId: randomUUID, calendar: feedCalendar(), mail: null, publicUrl: "http://127.0.0.1" });
    t = performance.now();
    const swept = await ledger.sweep();
    const sweepSeconds = (performance.now() - t) / 1000;
    // The feed calendar is inline: its events are placed as the sweep writes them, not by the outbox after.
    const placed = await client.execute("SELECT count(*) FROM reminders WHERE state = 'created'");

    // Last, so ten more seconds of load don't weigh on the sweep's figure: the route
    // answering from memory (its panels were read before the sweep; it reads nothing now).
    const rememberedResult = await load(bare.url, requests.map((r) => ({ path: r.path.replace("/api/panel", "/remembered"), headers: r.headers })));
    await bare.close();
    jwks.close();

    return {
      commitments: COMMITMENTS,
      accounts: ACCOUNTS,
      dbMB,
      seedSeconds: +seedSeconds.toFixed(1),
      panelQueryAlone: query,
      panelOverHttpOneClient: panelAlone,
      panelOverHttp: panel,
      bareHonoRoute: bareResult,
      throughputRatio: +(panel.requestsPerSecond / bareResult.requestsPerSecond).toFixed(2),
      bareQueryRoute: queryResult,
      throughputRatioToBareQuery: +(panel.requestsPerSecond / queryResult.requestsPerSecond).toFixed(2),
      panelRepeatedFromCache: { ...repeated, cache: { ...panels.stats } },
      panelRepeatedRatioToBare: +(repeated.requestsPerSecond / bareResult.requestsPerSecond).toFixed(2),
      rememberedPanelRoute: rememberedResult,
      rememberedRatioToBare: +(rememberedResult.requestsPerSecond / bareResult.requestsPerSecond).toFixed(2),
      sweep: { due: DUE, reminded: swept.reminded, eventsPlaced: Number((placed as { rows: unknown[][] }).rows[0]![0]), outboxAttempted: swept.outbox.done, seconds: +sweepSeconds.toFixed(2) },
    };
  } finally {
    close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchLedger().then((r) => console.log(JSON.stringify(r, null, 2)));
}
