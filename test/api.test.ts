// The HTTP API through createApp: auth in both modes, validation, account
// scoping on every route, the feed, and that no message body is ever stored.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { createApp } from "../server/app";
import { Authenticator, type AuthConfig } from "../server/auth";
import { openDatabase, type OpenedDb } from "../server/db-node";
import { mountWeb } from "../server/web";
import { PanelCache } from "../server/panel-cache";
import { Ledger } from "../server/ledger";
import { MemoryProvider } from "../server/providers/memory";
import { TestClock } from "./support";

const TID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const MS_AUD = "api://kept-test";
const GOOGLE_AUD = "kept-google-client";

let keys: { privateKey: CryptoKey; jwk: JWK };
let strangerKey: CryptoKey;
let jwks: Server;
let jwksUrl: string;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  keys = { privateKey: pair.privateKey as CryptoKey, jwk };
  strangerKey = (await generateKeyPair("RS256")).privateKey as CryptoKey;
  jwks = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [keys.jwk] }));
  });
  await new Promise<void>((r) => jwks.listen(0, "127.0.0.1", () => r()));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/keys`;
});
afterAll(() => new Promise<void>((r) => jwks.close(() => r())));

async function msToken(oid: string, over: { exp?: number; aud?: string; key?: CryptoKey; email?: string } = {}) {
  return new SignJWT({ tid: TID, oid, preferred_username: over.email ?? `${oid}@contoso.example`, name: "Test User" })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(`https://login.microsoftonline.com/${TID}/v2.0`)
    .setAudience(over.aud ?? MS_AUD)
    .setIssuedAt()
    .setExpirationTime(over.exp ?? Math.floor(Date.now() / 1000) + 3600)
    .sign(over.key ?? keys.privateKey);
}

async function googleToken(sub: string) {
  return new SignJWT({ email: `${sub}@gmail.example` })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer("https://accounts.google.com")
    .setSubject(sub)
    .setAudience(GOOGLE_AUD)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
    .sign(keys.privateKey);
}

let dir: string;
let opened: OpenedDb;
let clock: TestClock;
let provider: MemoryProvider;

function makeApp(mode: AuthConfig["mode"], mail = true) {
  const auth = new Authenticator({
    mode,
    microsoft: { audiences: [MS_AUD], jwksUrl },
    google: { audiences: [GOOGLE_AUD], jwksUrl },
  });
  const deps = {
    db: opened.db,
    clock: clock.fn,
    newId: randomUUID,
    calendar: provider,
    mail: mail ? provider : null,
    publicUrl: "http://127.0.0.1:8787",
    auth,
    localDefaults: { timeZone: "Europe/London" },
  };
  // As the Node entry builds it: the API with the pages (/, /c/:id, imports) mounted,
  // and side panels from memory while the database is unchanged.
  return createApp({ ...deps, panels: new PanelCache(opened.version!), mount: (a) => mountWeb(a, deps) });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "kept-api-"));
  opened = await openDatabase(`file:${join(dir, "kept.db")}`);
  clock = new TestClock(Date.parse("2026-11-18T10:00:00Z"));
  provider = new MemoryProvider({}, clock.fn);
});
afterEach(() => {
  opened.close();
  rmSync(dir, { recursive: true, force: true });
});

type App = ReturnType<typeof makeApp>;
async function call(app: App, method: string, path: string, opts: { token?: string; body?: unknown; host?: string } = {}) {
  const headers: Record<string, string> = { host: opts.host ?? "127.0.0.1:8787" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await app.request(`http://${headers.host}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text, headers: res.headers };
}

const promiseMail = (over: Record<string, unknown> = {}) => ({
  threadId: "thread-1",
  messageId: "msg-1",
  internetMessageId: `<${over.messageId ?? "msg-1"}@contoso.example>`,
  subject: "Senior Analyst role",
  to: [{ name: "Ana Silva", address: "ana@example.com" }],
  sentAt: "2026-11-18T10:00:00Z",
  text: "Hi Ana,\n\nThanks for your time today. I've passed your CV to the hiring manager and I'll get back to you by Friday with their feedback.\n\nBest,\nSam",
  ...over,
});

describe("auth", () => {
  it("token mode: no token, garbage, expired, wrong audience and a forged signature all get 401", async () => {
    const app = makeApp("token");
    expect((await call(app, "GET", "/api/me")).status).toBe(401);
    const cases = [
      "not-a-jwt",
      await msToken("u1", { exp: Math.floor(Date.now() / 1000) - 3600 }),
      await msToken("u1", { aud: "api://someone-else" }),
      await msToken("u1", { key: strangerKey }),
    ];
    for (const token of cases) {
      const r = await call(app, "GET", "/api/me", { token });
      expect(r.status, token.slice(0, 20)).toBe(401);
      expect(r.json.error.code).toBe("unauthorized");
      expect(r.json.error.message).toMatch(/Sign in/);
    }
    const expired = await call(app, "GET", "/api/me", { token: cases[1] });
    expect(expired.json.error.message).toMatch(/expired/);
  });

  it("token mode: valid Microsoft and Google tokens each get their own account", async () => {
    const app = makeApp("token");
    const ms = await call(app, "GET", "/api/me", { token: await msToken("oid-1") });
    const g = await call(app, "GET", "/api/me", { token: await googleToken("g-1") });
    expect(ms.status).toBe(200);
    expect(ms.json.provider).toBe("microsoft");
    expect(g.json.provider).toBe("google");
    expect(ms.json.id).not.toBe(g.json.id);
    const again = await call(app, "GET", "/api/me", { token: await msToken("oid-1") });
    expect(again.json.id).toBe(ms.json.id);
  });

  it("local mode: loopback without a token is the local user; a bad token is still 401; another host is refused", async () => {
    const app = makeApp("local");
    const me = await call(app, "GET", "/api/me");
    expect(me.status).toBe(200);
    expect(me.json.provider).toBe("local");
    expect(me.json.settings.timeZone).toBe("Europe/London");
    expect((await call(app, "GET", "/api/me", { token: "garbage" })).status).toBe(401);
    expect((await call(app, "GET", "/api/me", { token: await msToken("x", { exp: 1 }) })).status).toBe(401);
    const rebound = await call(app, "GET", "/api/me", { host: "evil.example:8787" });
    expect(rebound.status).toBe(403);
    expect(rebound.json.error.message).toMatch(/localhost/);
  });
});

describe("cross-site requests in local mode", () => {
  it("refuses changes a page on another site makes the browser send, and allows Kept's own pages", async () => {
    const app = makeApp("local");
    const send = (headers: Record<string, string>) =>
      app.request("http://127.0.0.1:8787/api/feed/rotate", { method: "POST", headers: { host: "127.0.0.1:8787", ...headers } });
    const attempts: Array<Record<string, string>> = [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }, { origin: "null" }, { "sec-fetch-site": "same-site", origin: "http://127.0.0.1:9999" }];
    for (const headers of attempts) {
      const r = await send(headers);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(((await r.json()) as any).error.message).toMatch(/own pages/);
    }
    expect((await send({ origin: "http://127.0.0.1:8787", "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await send({})).status).toBe(200); // curl, scripts: no browser, nothing to forge
    // Reads stay open to Kept's own pages and tools.
    expect((await app.request("http://127.0.0.1:8787/api/me", { headers: { host: "127.0.0.1:8787", origin: "https://evil.example" } })).status).toBe(200);
  });
});

describe("the API", () => {
  it("records a promise from a sent message, lists it, and shows it in the side panel", async () => {
    const app = makeApp("local");
    const sent = await call(app, "POST", "/api/messages/sent", { body: promiseMail() });
    expect(sent.status).toBe(201);
    expect(sent.json.created).toHaveLength(1);
    expect(sent.json.created[0].dueDate).toBe("2026-11-20");
    const list = await call(app, "GET", "/api/commitments?status=open");
    expect(list.json.items.map((c: any) => c.sentence)).toEqual([sent.json.created[0].sentence]);
    const panel = await call(app, "GET", "/api/panel?counterpart=ANA@example.com&threadId=thread-1");
    expect(panel.json.thisThread).toHaveLength(1);
    expect(panel.json.otherThreads).toHaveLength(0);
    expect(panel.json.templates.length).toBeGreaterThanOrEqual(3);
    const one = await call(app, "GET", `/api/commitments/${sent.json.created[0].id}`);
    expect(one.json.history.map((h: any) => h.type)).toEqual(["created"]);
    expect(one.json.events).toHaveLength(1);
    // The same message again (a duplicate notification) adds nothing; nor does the same
    // message under another provider id (the send-time check's draft, then sync's sent item).
    const dup = await call(app, "POST", "/api/messages/sent", { body: promiseMail() });
    expect(dup.json.duplicate).toBe(true);
    const sameMessage = await call(app, "POST", "/api/messages/sent", { body: { ...promiseMail(), messageId: "sent-item-1", sentAt: "2026-11-18T10:00:04Z" } });
    expect(sameMessage.json.duplicate).toBe(true);
    expect((await call(app, "GET", "/api/commitments?status=open")).json.items).toHaveLength(1);
  });

  it("answers bad input with a 400 that names the field", async () => {
    const app = makeApp("local");
    const r = await call(app, "POST", "/api/messages/sent", { body: { ...promiseMail(), sentAt: "Friday", to: [{ address: "nope" }] } });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("bad_request");
    expect(r.json.error.message).toMatch(/sentAt/);
    expect(r.json.error.message).toMatch(/to\.0\.address/);
    const noBody = await call(app, "POST", "/api/messages/sent", { body: { ...promiseMail(), text: undefined } });
    expect(noBody.json.error.message).toMatch(/text or html/);
    const snooze = await call(app, "POST", "/api/commitments/x/snooze", { body: { preset: "someday" } });
    expect(snooze.status).toBe(400);
    const tpl = await call(app, "PUT", "/api/templates/mine", { body: { name: "Mine", body: "Hi {{fristName}}" } });
    expect(tpl.status).toBe(400);
    expect(tpl.json.error.message).toMatch(/\{\{firstName\}\}/);
  });

  it("answers a body that is not JSON by saying why and what to send, in the one error shape", async () => {
    const app = makeApp("local");
    const post = (path: string, body: string, type = "application/json") =>
      app.request(`http://127.0.0.1:8787${path}`, { method: path.startsWith("/api/settings") ? "PATCH" : "POST", headers: { host: "127.0.0.1:8787", "content-type": type }, body });
    const cases: Array<[string, string, string?]> = [
      ["/api/messages/sent", "{nope"],
      ["/api/messages/sent", '{"threadId": "t1",'],
      ["/api/messages/sent", ""],
      ["/api/detect", "{'text': 'single quotes'}", "application/json; charset=utf-8"],
      ["/api/settings", "timeZone=UTC"],
    ];
    for (const [path, body, type] of cases) {
      const r = await post(path, body, type);
      expect(r.status, `${path} ${body}`).toBe(400);
      const json = (await r.json()) as any;
      expect(json, `${path} ${body}`).toEqual({
        error: { code: "bad_request", message: expect.stringMatching(/^The request body is not valid JSON: \S.*\. Send a JSON object, with Content-Type: application\/json\.$/), details: null },
      });
      expect(json.error.message).not.toMatch(/Malformed/);
    }
    // A body of another type is not taken for an empty one.
    const form = await app.request("http://127.0.0.1:8787/api/messages/sent", { method: "POST", headers: { host: "127.0.0.1:8787", "content-type": "text/plain", "content-length": "20" }, body: JSON.stringify({ threadId: "t" }).padEnd(20) });
    expect(form.status).toBe(400);
    expect(((await form.json()) as any).error.message).toBe('The request body must be JSON, with Content-Type: application/json; it came as "text/plain".');
    const untyped = await app.request("http://127.0.0.1:8787/api/detect", { method: "POST", headers: { host: "127.0.0.1:8787", "content-length": "2" }, body: new TextEncoder().encode("{}") });
    expect(((await untyped.json()) as any).error.message).toMatch(/it came as no Content-Type\.$/);
    // JSON that parses is read as before: the body is parsed once and validated.
    expect((await post("/api/messages/sent", JSON.stringify(promiseMail()))).status).toBe(201);
    expect((await post("/api/messages/sent", "[1, 2]")).status).toBe(400);
    const items = (await call(app, "GET", "/api/commitments")).json.items;
    expect(items).toHaveLength(1);
    // No body at all is still fine where every field has a default (keep, reopen).
    expect((await app.request(`http://127.0.0.1:8787/api/commitments/${items[0].id}/keep`, { method: "POST", headers: { host: "127.0.0.1:8787" } })).status).toBe(200);
  });

  it("filters by overdue: true is late and still to keep, false is every promise that is not overdue", async () => {
    const app = makeApp("local");
    const sent = async (id: string, sentAt: string, text: string, due: string) => {
      const r = await call(app, "POST", "/api/messages/sent", { body: promiseMail({ threadId: `t-${id}`, messageId: id, sentAt, text }) });
      expect(r.json.created.map((c: any) => c.dueDate), id).toEqual([due]);
      return r.json.created[0].id as string;
    };
    // Today is Wednesday 18 November in London.
    const late = await sent("late", "2026-11-09T10:00:00Z", "Hi Ana, I'll get back to you by Wednesday. Sam", "2026-11-11");
    const lateSnoozed = await sent("late-snoozed", "2026-11-09T11:00:00Z", "Hi Ana, I'll get back to you by Thursday. Sam", "2026-11-12");
    const lateKept = await sent("late-kept", "2026-11-09T12:00:00Z", "Hi Ana, I'll get back to you by Tuesday. Sam", "2026-11-10");
    const lateDismissed = await sent("late-dismissed", "2026-11-09T13:00:00Z", "Hi Ana, I'll get back to you by Wednesday. Sam", "2026-11-11");
    const dueToday = await sent("today", "2026-11-18T09:00:00Z", "Hi Ana, I'll get back to you by the end of today. Sam", "2026-11-18");
    const dueFriday = await sent("friday", "2026-11-18T10:00:00Z", "Hi Ana, I'll get back to you by Friday. Sam", "2026-11-20");
    await call(app, "POST", `/api/commitments/${lateSnoozed}/snooze`, { body: { preset: "tomorrow" } });
    await call(app, "POST", `/api/commitments/${lateKept}/keep`);
    await call(app, "POST", `/api/commitments/${lateDismissed}/dismiss`, { body: { reason: "no-longer-needed" } });

    const list = async (q: string) => {
      const r = await call(app, "GET", `/api/commitments${q}`);
      expect(r.status, q).toBe(200);
      return r.json.items as Array<{ id: string; overdue: boolean }>;
    };
    const ids = async (q: string) => (await list(q)).map((c) => c.id);
    expect(await ids("?overdue=true")).toEqual([lateSnoozed, late]);
    expect(await ids("?overdue=false")).toEqual([dueFriday, dueToday, lateDismissed, lateKept]);
    expect(await ids("?overdue=false&status=open,snoozed")).toEqual([dueFriday, dueToday]);
    expect(await ids("?overdue=true&status=kept")).toEqual([]);
    expect(await ids("?overdue=false&status=kept")).toEqual([lateKept]);
    expect(await ids("")).toHaveLength(6);
    // The filter and each item's own `overdue` agree, and the two together are the whole list.
    for (const c of await list("?overdue=true")) expect(c.overdue).toBe(true);
    for (const c of await list("?overdue=false")) expect(c.overdue).toBe(false);
    expect((await ids("?overdue=false&limit=2")).length).toBe(2);
    const cursor = (await call(app, "GET", "/api/commitments?overdue=false&limit=2")).json.nextCursor;
    expect(await ids(`?overdue=false&limit=2&cursor=${cursor}`)).toEqual([lateDismissed, lateKept]);
    expect((await call(app, "GET", "/api/commitments?overdue=no")).status).toBe(400);
  });

  it("checks an import's name, file count and X-File-Name before reading it, and says what to send", async () => {
    const app = makeApp("local");
    const mbox = "From x Mon Nov 16 10:00:00 2026\nFrom: sam@contoso.example\nTo: bo@example.com\nSubject: Hi\nDate: Mon, 16 Nov 2026 10:00:00 +0000\nMessage-ID: <i1@example.com>\n\nI'll call you tomorrow.\n";
    const upload = (path: string, headers: Record<string, string> = {}) => app.request(`http://127.0.0.1:8787${path}`, { method: "POST", headers: { host: "127.0.0.1:8787", ...headers }, body: mbox });
    const refused: Array<[string, Record<string, string>, RegExp]> = [
      ["/api/import?files=two", {}, /query is not valid: files: give the number of files in the upload, as a whole number/],
      ["/api/import?files=1.5", {}, /files: give the number of files in the upload, as a whole number/],
      ["/api/import?files=0", {}, /files: send at least one file/],
      ["/api/import?files=5000", {}, /files: send at most 1000 files at a time; import the rest in another upload/],
      ["/api/import?name=", {}, /name: give the file's name, like Sent\.mbox/],
      [`/api/import?name=${"a".repeat(301)}.mbox`, {}, /name: give a file name of at most 300 characters/],
      ["/api/import?name=Sent%0A.mbox", {}, /name: a file name cannot hold control characters/],
      ["/api/import", { "x-file-name": "Envoy\u00e9s.mbox" }, /headers are not valid: x-file-name: headers carry only plain ASCII; send a name with other characters as \?name= \(URL-encoded\) instead/],
      ["/api/import", { "x-file-name": `${"a".repeat(301)}.mbox` }, /x-file-name: give a file name of at most 300 characters/],
    ];
    for (const [path, headers, message] of refused) {
      const r = await upload(path, headers);
      expect(r.status, path).toBe(400);
      const json = (await r.json()) as any;
      expect(json.error.code, path).toBe("bad_request");
      expect(json.error.message, path).toMatch(message);
      expect(json.error.details.issues, path).toHaveLength(1);
    }
    expect((await call(app, "GET", "/api/commitments")).json.items).toHaveLength(0);
    // Names that are fine import as before: from ?name= (any characters), or from the header.
    for (const [path, headers, name] of [
      ["/api/import?name=Envoy%C3%A9s.mbox", {}, "Envoyés.mbox"],
      ["/api/import", { "x-file-name": "Sent.mbox" }, "Sent.mbox"],
      ["/api/import?name=Inbox.mbox", { "x-file-name": "Sent.mbox" }, "Inbox.mbox"],
    ] as Array<[string, Record<string, string>, string]>) {
      const r = await upload(path, headers);
      expect(r.status, path).toBe(200);
      expect(JSON.parse((await r.text()).split("\n")[0]!), path).toEqual({ type: "start", file: name });
    }
  });

  it("refuses a body over 2 MB, whether it says its length or is sent in chunks, and records nothing", async () => {
    const app = makeApp("local");
    const big = JSON.stringify({ ...promiseMail(), text: "I'll get back to you by Friday. " + "x".repeat(2 * 1024 * 1024) });
    const declared = await app.request("http://127.0.0.1:8787/api/messages/sent", { method: "POST", headers: { host: "127.0.0.1:8787", "content-type": "application/json" }, body: big });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error).toMatchObject({ code: "payload_too_large", message: expect.stringMatching(/at most 2 MB/) });
    // No Content-Length: the bytes are counted as they arrive.
    const bytes = new TextEncoder().encode(big);
    const chunked = new ReadableStream<Uint8Array>({
      start(ctrl) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) ctrl.enqueue(bytes.subarray(i, i + 64 * 1024));
        ctrl.close();
      },
    });
    const streamed = await app.request("http://127.0.0.1:8787/api/messages/sent", { method: "POST", headers: { host: "127.0.0.1:8787", "content-type": "application/json" }, body: chunked, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).error.code).toBe("payload_too_large");
    expect((await call(app, "GET", "/api/commitments")).json.items).toHaveLength(0);
    // Just under the limit, chunked, is read as usual.
    const small = new TextEncoder().encode(JSON.stringify(promiseMail()));
    const ok = await app.request("http://127.0.0.1:8787/api/messages/sent", {
      method: "POST",
      headers: { host: "127.0.0.1:8787", "content-type": "application/json" },
      body: new ReadableStream<Uint8Array>({ start: (ctrl) => (ctrl.enqueue(small), ctrl.close()) }),
      duplex: "half",
    } as RequestInit);
    expect(ok.status).toBe(201);
  });

  it("acts on a promise: snooze, keep, reopen, dismiss, and refuses what makes no sense", async () => {
    const app = makeApp("local");
    const id = (await call(app, "POST", "/api/messages/sent", { body: promiseMail() })).json.created[0].id;
    const snoozed = await call(app, "POST", `/api/commitments/${id}/snooze`, { body: { preset: "tomorrow" } });
    expect(snoozed.json.status).toBe("snoozed");
    expect(new Date(snoozed.json.snoozedUntil).toISOString()).toBe("2026-11-19T09:00:00.000Z");
    expect((await call(app, "POST", `/api/commitments/${id}/keep`)).json.status).toBe("kept");
    const again = await call(app, "POST", `/api/commitments/${id}/keep`);
    expect(again.status).toBe(409);
    expect(again.json.error.message).toMatch(/already kept/);
    expect((await call(app, "POST", `/api/commitments/${id}/reopen`)).json.status).toBe("open");
    expect((await call(app, "POST", `/api/commitments/${id}/dismiss`, { body: { reason: "not-a-promise" } })).json.status).toBe("dismissed");
    const { history } = (await call(app, "GET", `/api/commitments/${id}`)).json;
    expect(history.map((h: any) => h.type)).toEqual(["created", "snoozed", "kept", "reopened", "dismissed"]);
    expect(history[2].detail).toEqual({ via: "manual", messageId: null });
    expect(history[4].detail).toEqual({ reason: "not-a-promise" });
  });

  it("renews with a 'no news yet' update: queued where Kept can send, composed where it can't", async () => {
    for (const mail of [true, false]) {
      const app = makeApp("local", mail);
      const id = (await call(app, "POST", "/api/messages/sent", { body: promiseMail({ messageId: `m-${mail}`, threadId: `t-${mail}` }) })).json.created[0].id;
      const r = await call(app, "POST", `/api/commitments/${id}/renew`, { body: { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-25" } });
      expect(r.status).toBe(200);
      expect(r.json.old.status).toBe("kept");
      expect(r.json.renewed.dueDate).toBe("2026-11-25");
      expect(r.json.reply.text).toContain("Wednesday 25 November");
      expect(r.json.reply.delivery).toBe(mail ? "queued" : "compose");
      if (!mail) expect(r.json.reply.mailto).toMatch(/^mailto:ana%40example\.com\?subject=Re%3A%20Senior%20Analyst%20role/);
    }
    expect(provider.replies).toHaveLength(1);
  });

  it("signs an update with the user's name, or one made from their address", async () => {
    const app = makeApp("local", false);
    await call(app, "PATCH", "/api/settings", { body: { addresses: ["sam.taylor@example.com"] } });
    const id = (await call(app, "POST", "/api/messages/sent", { body: promiseMail() })).json.created[0].id;
    const r = await call(app, "POST", `/api/commitments/${id}/renew`, { body: { templateId: "general-no-news", nextUpdateDate: "2026-11-25" } });
    expect(r.json.reply.text).toMatch(/Best,\nSam Taylor$/);
    await call(app, "PATCH", "/api/settings", { body: { displayName: "Samantha T." } });
    const id2 = (await call(app, "POST", "/api/messages/sent", { body: promiseMail({ messageId: "m9", threadId: "t9" }) })).json.created[0].id;
    const r2 = await call(app, "POST", `/api/commitments/${id2}/renew`, { body: { templateId: "general-no-news", nextUpdateDate: "2026-11-25" } });
    expect(r2.json.reply.text).toMatch(/Best,\nSamantha T\.$/);
  });

  it("moves planned follow-ups when the working hours change, and not for other settings", async () => {
    const app = makeApp("local");
    await call(app, "POST", "/api/messages/sent", { body: promiseMail() });
    const hours = await call(app, "PATCH", "/api/settings", { body: { dayStart: "10:00", dayEnd: "18:00" } });
    expect(hours.json.rescheduled).toEqual({ followUps: 1, checkIns: 0 });
    expect(provider.eventsFor((await call(app, "GET", "/api/me")).json.id).map((e) => new Date(e.start).toISOString())).toEqual(["2026-11-20T10:00:00.000Z"]);
    const other = await call(app, "PATCH", "/api/settings", { body: { checkInDays: 30, locale: "en-US" } });
    expect(other.json.rescheduled).toEqual({ followUps: 0, checkIns: 0 });
  });

  it("serves the summary, templates, check-ins and the OpenAPI document", async () => {
    const app = makeApp("local");
    await call(app, "POST", "/api/messages/sent", { body: promiseMail() });
    const summary = await call(app, "GET", "/api/summary");
    expect(summary.json.open).toBe(1);
    expect(summary.json.weekly).toHaveLength(12);
    const ci = await call(app, "POST", "/api/check-ins", { body: { counterpart: { name: "Ana", address: "ana@example.com" }, subject: "Catch up" } });
    expect(ci.status).toBe(201);
    expect(ci.json.dueDate).toBe("2027-02-16");
    expect((await call(app, "GET", "/api/check-ins")).json.items).toHaveLength(1);
    expect((await call(app, "DELETE", `/api/check-ins/${ci.json.id}`)).json.ok).toBe(true);
    const doc = await call(app, "GET", "/openapi.json");
    expect(doc.status).toBe(200);
    for (const path of ["/api/commitments", "/api/commitments/{id}/renew", "/api/panel", "/api/messages/sent", "/api/summary", "/api/templates/{id}"]) {
      expect(Object.keys(doc.json.paths)).toContain(path);
    }
    expect((await call(app, "GET", "/health")).json.ok).toBe(true);
  });

  it("side panel: makes the account on first sight, and reads overdue on the user's own day whatever zone it saw last", async () => {
    // Token mode: the panel is the first thing a new user asks for.
    const tokenApp = makeApp("token");
    const token = await msToken("first-sight");
    const first = await call(tokenApp, "GET", "/api/panel?counterpart=ana@example.com", { token });
    expect(first.status).toBe(200);
    expect([first.json.thisThread, first.json.otherThreads, first.json.checkIns]).toEqual([[], [], []]);
    expect(first.json.templates.length).toBeGreaterThanOrEqual(3);
    const me = await call(tokenApp, "GET", "/api/me", { token });
    expect(me.status).toBe(200);
    expect(me.json.email).toBe("first-sight@contoso.example");
    expect((await call(tokenApp, "GET", "/api/panel?counterpart=ana@example.com", { token })).status).toBe(200);
    expect((await call(tokenApp, "GET", "/api/me", { token })).json.id).toBe(me.json.id);

    // Due Thursday 19 November. At 11:30 UTC that day it is still Thursday in London
    // (not overdue) and already Friday on Kiritimati, UTC+14 (overdue).
    const app = makeApp("local");
    await call(app, "POST", "/api/messages/sent", { body: promiseMail({ sentAt: "2026-11-18T10:00:00Z", text: "Hi Ana, I'll get back to you by Thursday. Sam" }) });
    clock.set("2026-11-19T11:30:00Z");
    const overdue = async () => {
      const panel = await call(app, "GET", "/api/panel?counterpart=ana@example.com&threadId=thread-1");
      expect(panel.json.thisThread.map((c: any) => c.dueDate)).toEqual(["2026-11-19"]);
      return panel.json.thisThread[0].overdue;
    };
    expect(await overdue()).toBe(false);
    await call(app, "PATCH", "/api/settings", { body: { timeZone: "Pacific/Kiritimati" } });
    expect(await overdue()).toBe(true); // the panel last saw London
    await call(app, "PATCH", "/api/settings", { body: { timeZone: "Europe/London" } });
    expect(await overdue()).toBe(false); // the panel last saw Kiritimati
    // A fresh server knows no zone yet.
    await call(app, "PATCH", "/api/settings", { body: { timeZone: "Pacific/Kiritimati" } });
    expect(await (async () => (await call(makeApp("local"), "GET", "/api/panel?counterpart=ana@example.com&threadId=thread-1")).json.thisThread[0].overdue)()).toBe(true);
  });

  it("publishes follow-ups at a secret feed address that can be replaced", async () => {
    const app = makeApp("local");
    await call(app, "POST", "/api/messages/sent", { body: promiseMail() });
    const { url } = (await call(app, "GET", "/api/feed")).json;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:8787\/feed\/[A-Za-z0-9_-]{40,}\.ics$/);
    const feed = await call(app, "GET", new URL(url).pathname);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toMatch(/text\/calendar/);
    expect(feed.text).toContain("BEGIN:VEVENT");
    expect(feed.text).toContain("Get back to Ana Silva");
    // A kept promise's event stays in the feed as cancelled for a while, so subscribers drop it, then leaves.
    const id = (await call(app, "GET", "/api/commitments")).json.items[0].id;
    await call(app, "POST", `/api/commitments/${id}/keep`);
    const afterKeep = (await call(app, "GET", new URL(url).pathname)).text;
    expect(afterKeep).toContain("STATUS:CANCELLED");
    expect(afterKeep).toMatch(/SEQUENCE:1/);
    clock.advance(31 * 86_400_000);
    expect((await call(app, "GET", new URL(url).pathname)).text).not.toContain("BEGIN:VEVENT");
    const rotated = (await call(app, "POST", "/api/feed/rotate")).json.url;
    expect(rotated).not.toBe(url);
    expect((await call(app, "GET", new URL(url).pathname)).status).toBe(404);
    expect((await call(app, "GET", new URL(rotated).pathname)).status).toBe(200);
  });

  it("stores no message body anywhere after a full run", async () => {
    const app = makeApp("local");
    const marker = "ZEBRA-BODY-MARKER";
    await call(app, "POST", "/api/messages/sent", {
      body: promiseMail({ text: `Hi Ana,\n\nThe salary band is ${marker}. I'll get back to you by Friday.\n\nSam` }),
    });
    await call(app, "POST", "/api/messages/sent", {
      body: promiseMail({ messageId: "m2", text: `Hi Ana,\n\nThe code for the door was ${marker}. Unfortunately the client has decided not to progress your application.\n\nSam` }),
    });
    expect((await call(app, "GET", "/api/check-ins")).json.items).toHaveLength(1);
    // And through an import: sent and received mail, plain text and HTML, with the marker in every body.
    const mbox = [
      ["sam@contoso.example", "Bo <bo@example.com>", "i1", "Mon, 16 Nov 2026 10:00:00 +0000", "text/plain", `Hi Bo,\n\nYour reference number is ${marker}. I'll get back to you by Thursday.\n\nSam`],
      ["bo@example.com", "sam@contoso.example", "i2", "Tue, 17 Nov 2026 10:00:00 +0000", "text/plain", `Any news? My PIN is ${marker}.\n\n> Your reference number is ${marker}.`],
      ["sam@contoso.example", "Cy <cy@example.com>", "i3", "Tue, 17 Nov 2026 11:00:00 +0000", "text/html", `<p>Hi Cy,</p><p>The salary band is ${marker}. I'll send the contract over by Friday.</p>`],
    ]
      .map(([from, to, id, date, type, body]) => `From x Mon Nov 16 10:00:00 2026\nFrom: ${from}\nTo: ${to}\nSubject: Role\nDate: ${date}\nMessage-ID: <${id}@example.com>\n${id === "i2" ? "In-Reply-To: <i1@example.com>\n" : ""}Content-Type: ${type}; charset=utf-8\n\n${body}\n`)
      .join("\n");
    expect((await call(app, "PATCH", "/api/settings", { body: { addresses: ["sam@contoso.example"] } })).status).toBe(200);
    const imported = await app.request("http://127.0.0.1:8787/api/import?name=mail.mbox", { method: "POST", headers: { host: "127.0.0.1:8787" }, body: mbox });
    const done = JSON.parse((await imported.text()).trim().split("\n").pop()!);
    expect(done.report).toMatchObject({ messages: 3, sent: 2, created: 2, chased: 1 });
    const id = (await call(app, "GET", "/api/commitments?counterpart=ana@example.com")).json.items[0].id;
    expect((await call(app, "POST", `/api/commitments/${id}/renew`, { body: { nextUpdateDate: "2026-11-27" } })).status).toBe(200);
    clock.advance(10 * 86_400_000);
    const client = (opened.db as unknown as { $client: { execute(s: string): Promise<{ rows: unknown[] }> } }).$client;
    const { rows: tables } = await client.execute("select name from sqlite_master where type = 'table'");
    expect(tables.length).toBeGreaterThanOrEqual(9);
    for (const t of tables as Array<{ name: string }>) {
      const { rows } = await client.execute(`select * from "${t.name}"`);
      expect(JSON.stringify(rows), t.name).not.toContain(marker);
      expect(JSON.stringify(rows), t.name).not.toContain("salary band");
    }
  });
});

describe("every route is scoped to the caller's account", () => {
  it("another account gets 404, nothing, or only its own data on every /api route, and Alice's data is unchanged", async () => {
    const app = makeApp("token");
    const alice = await msToken("alice");
    const bob = await msToken("bob");
    const aliceId = (await call(app, "GET", "/api/me", { token: alice })).json.id;
    const bobId = (await call(app, "GET", "/api/me", { token: bob })).json.id;

    // Alice: a promise due Friday, one already overdue, a check-in, a template, a feed.
    const aliceMail = (over: Record<string, unknown> = {}) =>
      promiseMail({ subject: "Quokka role", text: "Hi Ana,\n\nI've passed your CV to the Quokka team and I'll get back to you by Friday with their feedback.\n\nBest,\nAlice", ...over });
    const made = await call(app, "POST", "/api/messages/sent", { token: alice, body: aliceMail() });
    expect(made.status).toBe(201);
    const cid = made.json.created[0].id;
    const late = await call(app, "POST", "/api/messages/sent", {
      token: alice,
      body: aliceMail({ threadId: "thread-old", messageId: "msg-old", sentAt: "2026-11-09T10:00:00Z", text: "Hi Ana, I'll send the Quokka contract over by Wednesday. Alice" }),
    });
    const lateId = late.json.created[0].id;
    const ci = (await call(app, "POST", "/api/check-ins", { token: alice, body: { counterpart: { name: null, address: "ana@example.com" }, subject: "Quokka catch-up" } })).json.id;
    await call(app, "PUT", "/api/templates/alices", { token: alice, body: { name: "Alice's", body: "Hi {{firstName}}" } });
    const alicesFeed = new URL((await call(app, "GET", "/api/feed", { token: alice })).json.url).pathname;
    // The filters do find Alice's promises for Alice, so an empty answer for Bob means something.
    expect((await call(app, "GET", "/api/commitments?overdue=true", { token: alice })).json.items.map((c: any) => c.id)).toEqual([lateId]);
    expect((await call(app, "GET", "/api/commitments?overdue=false", { token: alice })).json.items.map((c: any) => c.id)).toEqual([cid]);
    expect((await call(app, "GET", "/api/commitments?counterpart=ana@example.com", { token: alice })).json.items).toHaveLength(2);

    // The reminder sweep runs for every account at once, and an import runs it too; run
    // it now, so what is due of Alice's is done before Bob starts and he moves nothing.
    await new Ledger({ db: opened.db, clock: clock.fn, newId: randomUUID, calendar: provider, mail: provider, publicUrl: "http://127.0.0.1:8787" }).sweep();

    const alices = async () => ({
      me: (await call(app, "GET", "/api/me", { token: alice })).json,
      list: (await call(app, "GET", "/api/commitments?limit=200", { token: alice })).json,
      one: (await call(app, "GET", `/api/commitments/${cid}`, { token: alice })).json,
      late: (await call(app, "GET", `/api/commitments/${lateId}`, { token: alice })).json,
      checkIns: (await call(app, "GET", "/api/check-ins", { token: alice })).json,
      templates: (await call(app, "GET", "/api/templates", { token: alice })).json,
      feed: (await call(app, "GET", "/api/feed", { token: alice })).json,
      summary: (await call(app, "GET", "/api/summary", { token: alice })).json,
      calendar: (await call(app, "GET", alicesFeed)).text.replace(/^DTSTAMP:.*$/gm, ""),
      events: provider.eventsFor(aliceId),
    });
    const before = await alices();

    // Nothing of Alice's may reach Bob: her ids, her words, her template, her feed.
    const hers = [aliceId, cid, lateId, ci, "Quokka", "Alice", "alice@contoso", alicesFeed.slice("/feed/".length, -".ics".length)];
    const nothingOfHers = (r: { text: string }, where: string) => {
      for (const x of hers) expect(r.text, `${where} shows Bob "${x}"`).not.toContain(x);
    };
    const bobs = (items: any[], where: string) => {
      for (const c of items) expect(c.accountId, where).toBe(bobId);
    };
    const as = (method: string, path: string, body?: unknown) => call(app, method, path, { token: bob, body });
    const missing = async (method: string, path: string, body?: unknown) => {
      const r = await as(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.json.error.code).toBe("not_found");
      nothingOfHers(r, `${method} ${path}`);
    };
    // Bob's own promise to the same person, to act on in his own account.
    const bobsOwn = (await as("POST", "/api/messages/sent", promiseMail({ threadId: "bob-thread", messageId: "bob-1", subject: "Lunch", text: "Hi Ana, I'll send you the menu by Friday. Bob" })))
      .json.created[0].id;
    expect(bobsOwn).toBeTruthy();

    const mbox = (rows: Array<[string, string, string, string]>) =>
      rows
        .map(([from, to, id, extra]) => `From x Wed Nov 18 09:00:00 2026\nFrom: ${from}\nTo: ${to}\nSubject: Re: lunch\nDate: Wed, 18 Nov 2026 09:00:00 +0000\nMessage-ID: <${id}@example.com>\n${extra}Content-Type: text/plain; charset=utf-8\n\n${id === "b1" ? "Here it is, as promised." : "Thanks! Any news on the other thing?"}\n`)
        .join("\n");
    const importStream = async (path: string, body?: string) => {
      const res = await app.request(`http://127.0.0.1:8787${path}`, { method: "POST", headers: { host: "127.0.0.1:8787", authorization: `Bearer ${bob}` }, body });
      const text = await res.text();
      return { status: res.status, text, done: JSON.parse(text.trim().split("\n").pop()!) };
    };

    // One entry for every /api route the app serves, in the order they run.
    const table: Record<string, () => Promise<void>> = {
      "GET /api/panel": async () => {
        for (const path of ["/api/panel?counterpart=ana@example.com&threadId=thread-1", "/api/panel?counterpart=ana@example.com&threadId=thread-old"]) {
          const r = await as("GET", path);
          expect(r.status).toBe(200);
          nothingOfHers(r, path);
          bobs([...r.json.thisThread, ...r.json.otherThreads, ...r.json.recentlyClosed, ...r.json.checkIns], path);
        }
      },
      "GET /api/me": async () => {
        const r = await as("GET", "/api/me");
        expect(r.json).toMatchObject({ id: bobId, email: "bob@contoso.example" });
        nothingOfHers(r, "GET /api/me");
      },
      "PATCH /api/settings": async () => {
        const r = await as("PATCH", "/api/settings", { timeZone: "America/New_York", displayName: "Bob", addresses: ["bob@contoso.example"] });
        expect(r.status).toBe(200);
        nothingOfHers(r, "PATCH /api/settings");
      },
      "GET /api/commitments": async () => {
        const queries = ["", "?threadId=thread-1", "?threadId=thread-old", "?counterpart=ana@example.com", "?overdue=true", "?overdue=false", "?counterpart=ana@example.com&overdue=true", "?status=open,snoozed,kept,dismissed&limit=200"];
        for (const q of queries) {
          const r = await as("GET", `/api/commitments${q}`);
          expect(r.status, q).toBe(200);
          nothingOfHers(r, q);
          bobs(r.json.items, q);
        }
        expect((await as("GET", "/api/commitments?counterpart=ana@example.com")).json.items.map((c: any) => c.id)).toEqual([bobsOwn]);
        expect((await as("GET", "/api/commitments?overdue=true")).json.items).toEqual([]);
      },
      "GET /api/commitments/:id": () => missing("GET", `/api/commitments/${cid}`),
      "POST /api/commitments/:id/keep": () => missing("POST", `/api/commitments/${cid}/keep`),
      "POST /api/commitments/:id/reopen": () => missing("POST", `/api/commitments/${cid}/reopen`),
      "POST /api/commitments/:id/dismiss": () => missing("POST", `/api/commitments/${cid}/dismiss`, { reason: "not-a-promise" }),
      "POST /api/commitments/:id/snooze": () => missing("POST", `/api/commitments/${cid}/snooze`, { preset: "tomorrow" }),
      "POST /api/commitments/:id/renew": async () => {
        await missing("POST", `/api/commitments/${cid}/renew`, { nextUpdateDate: "2026-11-30" });
        // His own promise with her template: no such template for him, and his promise stays as it was.
        await missing("POST", `/api/commitments/${bobsOwn}/renew`, { templateId: "alices", nextUpdateDate: "2026-11-30" });
        expect((await as("GET", `/api/commitments/${bobsOwn}`)).json.status).toBe("open");
      },
      "POST /api/messages/sent": async () => {
        // A reply on her thread keeps nothing of hers.
        const reply = await as("POST", "/api/messages/sent", promiseMail({ messageId: "bob-reply", internetMessageId: "<bob-reply@contoso.example>", subject: "Re: lunch", text: "Here you go." }));
        expect(reply.status).toBe(200);
        expect(reply.json).toMatchObject({ duplicate: false, created: [], kept: [] });
        // Her very message ids, in his account, are his own new message, not a duplicate of hers.
        const same = await as("POST", "/api/messages/sent", promiseMail({ subject: "Lunch again", sentAt: "2026-11-18T10:05:00Z" }));
        expect(same.status).toBe(201);
        expect(same.json.duplicate).toBe(false);
        bobs(same.json.created, "sent with her ids");
        nothingOfHers(reply, "reply on her thread");
        nothingOfHers(same, "sent with her ids");
      },
      "POST /api/messages/received": async () => {
        for (const messageId of ["ana-1", "msg-1"]) {
          for (const threadId of ["thread-1", "thread-old"]) {
            const r = await as("POST", "/api/messages/received", { threadId, messageId: `${messageId}-${threadId}`, from: { name: "Ana", address: "ana@example.com" }, receivedAt: "2026-11-18T10:00:00Z" });
            expect(r.status).toBe(200);
            bobs(r.json.chased, `received on ${threadId}`);
            nothingOfHers(r, `received on ${threadId}`);
          }
        }
      },
      "POST /api/detect": async () => {
        const r = await as("POST", "/api/detect", { text: "Hi Ana, I'll call you tomorrow. Bob" });
        expect(r.status).toBe(200);
        expect(r.json.commitments).toHaveLength(1);
        nothingOfHers(r, "POST /api/detect");
      },
      "GET /api/check-ins": async () => {
        const r = await as("GET", "/api/check-ins");
        expect(r.status).toBe(200);
        nothingOfHers(r, "GET /api/check-ins");
        bobs(r.json.items, "GET /api/check-ins");
      },
      "POST /api/check-ins": () => missing("POST", "/api/check-ins", { counterpart: { name: null, address: "x@example.com" }, commitmentId: cid }),
      "DELETE /api/check-ins/:id": () => missing("DELETE", `/api/check-ins/${ci}`),
      "GET /api/templates": async () => {
        const r = await as("GET", "/api/templates");
        expect(r.status).toBe(200);
        nothingOfHers(r, "GET /api/templates");
      },
      "DELETE /api/templates/:id": () => missing("DELETE", "/api/templates/alices"),
      // Bob writing a template with her id makes his own copy; hers is untouched (below).
      "PUT /api/templates/:id": async () => {
        const r = await as("PUT", "/api/templates/alices", { name: "Bob's", body: "Yo {{firstName}}" });
        expect(r.json).toMatchObject({ id: "alices", accountId: bobId, name: "Bob's" });
      },
      "GET /api/feed": async () => {
        const r = await as("GET", "/api/feed");
        nothingOfHers(r, "GET /api/feed");
        const feed = await call(app, "GET", new URL(r.json.url).pathname);
        expect(feed.text).toContain("BEGIN:VCALENDAR");
        nothingOfHers(feed, "Bob's feed");
      },
      "POST /api/feed/rotate": async () => {
        const r = await as("POST", "/api/feed/rotate");
        expect(r.status).toBe(200);
        nothingOfHers(r, "POST /api/feed/rotate");
        expect((await call(app, "GET", alicesFeed)).status).toBe(200);
      },
      "GET /api/summary": async () => {
        const r = await as("GET", "/api/summary");
        const own = (await as("GET", "/api/commitments?status=open,snoozed&limit=200")).json.items.length;
        expect(r.json.open).toBe(own);
        expect(r.json.overdue).toBe(0);
      },
      "POST /api/import": async () => {
        // A reply to her message and a chase on it, in his mailbox: his import touches nothing of hers.
        const r = await importStream(
          "/api/import?name=bob.mbox",
          mbox([
            ["bob@contoso.example", "Ana <ana@example.com>", "b1", "In-Reply-To: <msg-1@contoso.example>\nReferences: <msg-1@contoso.example>\n"],
            ["Ana <ana@example.com>", "bob@contoso.example", "a1", "In-Reply-To: <msg-old@contoso.example>\nReferences: <msg-old@contoso.example>\n"],
          ]),
        );
        expect(r.status).toBe(200);
        expect(r.done.report).toMatchObject({ messages: 2, sent: 1, received: 1, imported: true });
        nothingOfHers(r, "POST /api/import");
      },
      "POST /api/import/sample": async () => {
        const r = await importStream("/api/import/sample");
        expect(r.status).toBe(200);
        expect(r.done.report.imported).toBe(true);
        nothingOfHers(r, "POST /api/import/sample");
      },
    };

    const served = [...new Set(app.routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/api/")).map((r) => `${r.method} ${r.path}`))];
    expect(served.filter((route) => !(route in table)), "/api routes with no entry in this test's table: add one").toEqual([]);
    expect(Object.keys(table).filter((route) => !served.includes(route)), "entries for routes the app no longer serves").toEqual([]);
    for (const [route, attempt] of Object.entries(table)) {
      await attempt();
      expect(await alices(), `Alice's data after Bob's ${route}`).toEqual(before);
    }

    // The pages and the feed: Alice sees her promise's page; Bob's dashboard and feed hold none of it.
    const page = await call(app, "GET", `/c/${cid}`, { token: bob });
    expect(page.status).toBe(404);
    nothingOfHers(page, "/c/:id");
    expect((await call(app, "GET", `/c/${cid}`, { token: alice })).text).toContain("Quokka role");
    const bobsPage = await call(app, "GET", "/", { token: bob });
    expect(bobsPage.status).toBe(200);
    nothingOfHers(bobsPage, "Bob's dashboard");
    expect((await call(app, "GET", alicesFeed)).text).toContain("Quokka role");
    // Her promises are still open, and Bob's list holds only his own.
    expect(before.one.status).toBe("open");
    expect((await as("GET", "/api/commitments?limit=200")).json.items.length).toBeGreaterThan(1);
  });
});
