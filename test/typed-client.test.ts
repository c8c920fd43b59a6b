// The add-in talks to the API through Hono's typed client over the exported AppType.
import { afterEach, beforeEach, expect, it } from "vitest";
import { hc } from "hono/client";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type AppType } from "../server/app";
import { Authenticator } from "../server/auth";
import { openDatabase, type OpenedDb } from "../server/db-node";
import { MemoryProvider } from "../server/providers/memory";

let dir: string;
let opened: OpenedDb;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "kept-hc-"));
  opened = await openDatabase(`file:${join(dir, "kept.db")}`);
});
afterEach(() => {
  opened.close();
  rmSync(dir, { recursive: true, force: true });
});

it("records and lists a promise through hc<AppType>", async () => {
  const provider = new MemoryProvider();
  const app = createApp({ db: opened.db, clock: () => Date.parse("2026-11-18T10:00:00Z"), newId: randomUUID, calendar: provider, mail: provider, publicUrl: "http://127.0.0.1:8787", auth: new Authenticator({ mode: "local" }) });
  const client = hc<AppType>("http://127.0.0.1:8787", { fetch: (input: RequestInfo | URL, init?: RequestInit) => app.request(input, init) });
  const sent = await client.api.messages.sent.$post({
    json: {
      threadId: "t1",
      messageId: "m1",
      subject: "Quote",
      to: [{ name: "Ben", address: "ben@example.org" }],
      sentAt: "2026-11-18T10:00:00Z",
      text: "Hi Ben, I'll get back to you with the quote tomorrow. Dana",
    },
  });
  expect(sent.status).toBe(201);
  const list = await client.api.commitments.$get({ query: { status: "open" } });
  expect(list.ok).toBe(true);
  const body = await list.json();
  expect(body.items[0]?.dueDate).toBe("2026-11-19");

  // The side panel's JSON comes from the database as text; the client still sees its type.
  const panel = await client.api.panel.$get({ query: { counterpart: "Ben@example.org", threadId: "t1" } });
  expect(panel.headers.get("content-type")).toMatch(/^application\/json/);
  const view = await panel.json();
  const [mine] = view.thisThread;
  expect(mine?.sentence).toContain("I'll get back to you with the quote tomorrow");
  expect([mine?.overdue, mine?.chased, view.otherThreads.length, view.templates[0]?.builtIn]).toEqual([false, false, 0, true]);
});
