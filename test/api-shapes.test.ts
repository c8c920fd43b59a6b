// The documented answers (server/api-shapes.ts, in /openapi.json) against real
// ones: the side panel, the list, one promise, the account and the summary, over
// a ledger with every kind of promise in it. Strict: a field missing or extra fails.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { createApp } from "../server/app";
import { Authenticator } from "../server/auth";
import { openDatabase, type OpenedDb } from "../server/db-node";
import { MemoryProvider } from "../server/providers/memory";
import { zCommitmentDetail, zCommitmentList, zMe, zPanel, zSummary } from "../server/api-shapes";
import { TestClock } from "./support";

let dir: string;
let opened: OpenedDb;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "kept-shapes-"));
  opened = await openDatabase(`file:${join(dir, "kept.db")}`);
});
afterEach(() => {
  opened.close();
  rmSync(dir, { recursive: true, force: true });
});

const HOST = "127.0.0.1:8787";

describe("the API's answers have the shapes /openapi.json gives", () => {
  it("panel, list, one promise, account and summary", async () => {
    const clock = new TestClock(Date.parse("2026-11-18T10:00:00Z"));
    const provider = new MemoryProvider({}, clock.fn);
    const app = createApp({ db: opened.db, clock: clock.fn, newId: randomUUID, calendar: provider, mail: provider, publicUrl: "http://127.0.0.1:8787", auth: new Authenticator({ mode: "local" }), localDefaults: { timeZone: "Europe/London" } });
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await app.request(`http://${HOST}${path}`, { method, headers: { host: HOST, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
      expect(res.status, path).toBeLessThan(300);
      return res.json() as Promise<unknown>;
    };
    const mail = (id: string, text: string, to = [{ name: "Ana Silva", address: "ana@example.com" }]) =>
      call("POST", "/api/messages/sent", { threadId: "t1", messageId: id, internetMessageId: `<${id}@example.com>`, subject: "Role", to, sentAt: new Date(clock.now).toISOString(), text });
    // Open, kept, renewed, snoozed and chased promises, a check-in after bad news, one to two people.
    const first = ((await mail("m1", "Hi Ana, I'll get back to you by Friday.")) as { created: Array<{ id: string }> }).created[0]!.id;
    clock.advance(3_600_000);
    await call("POST", `/api/commitments/${first}/renew`, { templateId: "general-no-news", nextUpdateDate: "2026-11-25" });
    clock.advance(3_600_000);
    await mail("m2", "Hi both, we'll be in touch next week.", [{ name: "Ana Silva", address: "ana@example.com" }, { name: "Bo", address: "bo@example.com" }]);
    await mail("m3", "Hi Ana, unfortunately the client has decided not to progress your application.");
    await call("POST", "/api/messages/received", { threadId: "t1", messageId: "r1", from: { name: "Ana Silva", address: "ana@example.com" }, subject: "Re: Role", receivedAt: new Date(clock.now + 60_000).toISOString() });
    const expectShape = (schema: z.ZodType, value: unknown, what: string) => {
      const r = schema.safeParse(value);
      expect(r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`), what).toEqual([]);
    };
    const panel = (await call("GET", "/api/panel?counterpart=ana%40example.com&threadId=t1")) as { thisThread: unknown[]; recentlyClosed: unknown[]; checkIns: unknown[] };
    expectShape(zPanel, panel, "panel");
    // The shapes were checked against items that are really there.
    expect(panel.thisThread.length + panel.recentlyClosed.length).toBeGreaterThanOrEqual(3);
    expect(panel.checkIns.length).toBe(1);
    const list = (await call("GET", "/api/commitments?limit=2")) as { items: Array<{ id: string }>; nextCursor: string | null };
    expectShape(zCommitmentList, list, "list");
    expect(list.nextCursor).not.toBeNull();
    expectShape(zCommitmentDetail, await call("GET", `/api/commitments/${first}`), "one promise");
    expectShape(zMe, await call("GET", "/api/me"), "me");
    expectShape(zSummary, await call("GET", "/api/summary"), "summary");

    // And the document names them for those routes.
    const doc = (await call("GET", "/openapi.json")) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>> };
    const ref = (path: string) => doc.paths[path]!.get!.responses["200"]!.content!["application/json"]!.schema?.$ref;
    expect([ref("/api/panel"), ref("/api/commitments"), ref("/api/commitments/{id}"), ref("/api/me"), ref("/api/summary")]).toEqual([
      "#/components/schemas/Panel",
      "#/components/schemas/CommitmentList",
      "#/components/schemas/CommitmentDetail",
      "#/components/schemas/Account",
      "#/components/schemas/Summary",
    ]);
  });
});
