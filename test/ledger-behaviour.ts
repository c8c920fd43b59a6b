// The ledger's behaviour suite: the loop end to end over the in-memory
// providers, run by each database runner (a libSQL file, a libSQL server).
import { afterEach, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { makeWorld as makeBaseWorld, type World } from "./support";
import { Ledger, PLACE_GRACE_MS, SimulatedCrash, type DetectionSummary } from "../server/ledger";
import { schema } from "../server/db";
import { enqueue } from "../server/outbox";
import { openDatabase } from "../server/db-node";
import { getAccount, getCommitment, history, listCommitments, PANEL_SQL, panelFor, settingsOf, templatesFor, view } from "../server/store";

const ana = { name: "Ana Silva", address: "Ana@Example.com" };
const promise = (sentence: string, dueDate: string | null): DetectionSummary => ({
  commitments: [{ sentence, trigger: "I'll get back to you", kind: "explicit", dueDate }],
  badNews: null,
});
const nothing: DetectionSummary = { commitments: [], badNews: null };

export function ledgerBehaviour(databaseUrl: () => string | undefined) {
let world: World;
afterEach(() => world?.close());
const makeWorld: typeof makeBaseWorld = (opts = {}) => makeBaseWorld({ url: databaseUrl(), ...opts });

const iso = (ms: number) => new Date(ms).toISOString();

describe("promise → event → chase → reply", () => {
  it("runs the whole loop and leaves no future event behind", async () => {
    world = await makeWorld({ start: "2026-11-18T10:00:00Z" });
    const { ledger, provider, clock, accountId } = world;

    const sent = await ledger.recordSent(
      accountId,
      { threadId: "t1", messageId: "m1", internetMessageId: "<m1@example.com>", subject: "Data Engineer role", to: [ana], cc: [], sentAt: clock.now },
      promise("I'll get back to you by Friday.", "2026-11-20"),
      "sync",
    );
    expect(sent.created).toHaveLength(1);
    const c = sent.created[0]!;
    expect(c.counterparts[0]!.address).toBe("ana@example.com");

    // The follow-up sits at the start of the London working day on the due date.
    let events = provider.eventsFor(accountId);
    expect(events).toHaveLength(1);
    expect(iso(events[0]!.start)).toBe("2026-11-20T09:00:00.000Z");
    expect(events[0]!.title).toBe("Get back to Ana Silva: Data Engineer role");
    expect(events[0]!.description).toContain("“I'll get back to you by Friday.”");
    expect(events[0]!.description).toContain("http://127.0.0.1:8787/c/");
    // The provider gets the HTML description; the outbox keeps only the text it is made from.
    expect(events[0]!.descriptionHtml).toBe(events[0]!.description.split("\n").map((l) => l.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")).join("<br>"));
    const [kept] = await world.opened.db.select().from(schema.outbox).where(eq(schema.outbox.accountId, accountId));
    expect(Object.keys(kept!.payload.event as object)).not.toContain("descriptionHtml");

    // Ana chases on Thursday morning: the reminder comes forward to that morning.
    clock.set("2026-11-19T11:02:00Z");
    const chased = await ledger.recordReceived(accountId, { threadId: "t1", messageId: "r1", from: ana, subject: "Re: Data Engineer role", receivedAt: clock.now });
    expect(chased.chased).toHaveLength(1);
    expect(chased.chased[0]!.chaseCount).toBe(1);
    events = provider.eventsFor(accountId);
    expect(events.map((e) => iso(e.start))).toEqual(["2026-11-19T11:30:00.000Z"]);
    expect(events[0]!.title).toMatch(/^Chased: /);

    // The same notification twice changes nothing.
    expect((await ledger.recordReceived(accountId, { threadId: "t1", messageId: "r1", from: ana, subject: "x", receivedAt: clock.now })).duplicate).toBe(true);

    // The chased reminder comes round: the sweep puts the next one a working day later.
    clock.set("2026-11-19T11:31:00Z");
    const swept = await ledger.sweep();
    expect(swept.reminded).toBe(1);
    events = provider.eventsFor(accountId);
    expect(events.map((e) => iso(e.start))).toEqual(["2026-11-19T11:30:00.000Z", "2026-11-20T09:00:00.000Z"]);

    // Sam replies on the thread: kept, and the future event goes.
    clock.set("2026-11-19T14:00:00Z");
    const reply = await ledger.recordSent(
      accountId,
      { threadId: "t1", messageId: "m2", internetMessageId: null, subject: "Re: Data Engineer role", to: [ana], cc: [], sentAt: clock.now },
      nothing,
      "sync",
    );
    expect(reply.kept.map((k) => k.id)).toEqual([c.id]);
    events = provider.eventsFor(accountId);
    expect(events.map((e) => iso(e.start))).toEqual(["2026-11-19T11:30:00.000Z"]); // past events stay as a record
    const [row] = await world.opened.db.select().from(schema.commitments).where(eq(schema.commitments.id, c.id));
    expect(row!.status).toBe("kept");
    expect(row!.nextReminderAt).toBeNull();

    // Nothing is due any more.
    clock.set("2026-12-30T12:00:00Z");
    expect((await ledger.sweep()).reminded).toBe(0);
  });

  it("a reply from the other person never keeps it, and a reply to someone else doesn't either", async () => {
    world = await makeWorld();
    const { ledger, accountId, clock } = world;
    await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "S", to: [ana], cc: [], sentAt: clock.now }, promise("I'll let you know.", null), "sync");
    clock.advance(3_600_000);
    await ledger.recordSent(accountId, { threadId: "t1", messageId: "m2", internetMessageId: null, subject: "S", to: [{ name: null, address: "hiring@example.org" }], cc: [], sentAt: clock.now }, nothing, "sync");
    await ledger.recordReceived(accountId, { threadId: "t1", messageId: "r1", from: ana, subject: "S", receivedAt: clock.now });
    const rows = await world.opened.db.select().from(schema.commitments).where(eq(schema.commitments.accountId, accountId));
    expect(rows.map((r) => r.status)).toEqual(["open"]);
    expect(rows[0]!.chaseCount).toBe(1);
  });

  it("bad news schedules a 90-day check-in event", async () => {
    world = await makeWorld();
    const { ledger, accountId, clock, provider } = world;
    const r = await ledger.recordSent(
      accountId,
      { threadId: "t9", messageId: "m9", internetMessageId: null, subject: "Your application", to: [ana], cc: [], sentAt: clock.now },
      { commitments: [], badNews: { sentence: "Unfortunately the client has decided not to progress." } },
      "sync",
    );
    expect(r.checkInId).not.toBeNull();
    const events = provider.eventsFor(accountId);
    expect(events).toHaveLength(1);
    expect(events[0]!.title).toBe("Check in with Ana Silva");
    expect(iso(events[0]!.start)).toBe("2027-02-16T09:00:00.000Z");
  });

  it("no news yet: sends the update, keeps the old promise and opens a linked one", async () => {
    world = await makeWorld();
    const { ledger, accountId, clock, provider } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Re: Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    clock.set("2026-11-20T08:00:00Z");
    const out = await ledger.renewWithUpdate(accountId, created[0]!.id, { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-27" });
    expect(out.old.status).toBe("kept");
    expect(out.old.renewedToId).toBe(out.renewed.id);
    expect(out.renewed.renewedFromId).toBe(created[0]!.id);
    expect(out.renewed.dueDate).toBe("2026-11-27");
    expect(provider.replies).toHaveLength(1);
    expect(provider.replies[0]!.subject).toBe("Re: Role");
    expect(provider.replies[0]!.bodyText).toContain("Hi Ana,");
    expect(provider.replies[0]!.bodyText).toContain("Friday 27 November");
    // Old event gone, new one on the new date.
    expect(provider.eventsFor(accountId).map((e) => iso(e.start))).toEqual(["2026-11-27T09:00:00.000Z"]);
    // When sync later sees that very reply, it doesn't keep the new promise.
    const sentId = provider.replies[0]!.messageId;
    const again = await ledger.recordSent(accountId, { threadId: "t1", messageId: sentId, internetMessageId: null, subject: "Re: Role", to: [ana], cc: [], sentAt: clock.now + 1000 }, promise("I'll be back in touch by Friday 27 November.", "2026-11-27"), "sync");
    expect(again.duplicate).toBe(true);
  });
});

describe("an update Kept composed for the user to send", () => {
  it("is adopted by the renewed promise when it is seen as sent, not taken as keeping it", async () => {
    world = await makeWorld({ mail: false });
    const { ledger, accountId, clock } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    clock.set("2026-11-20T08:00:00Z");
    const out = await ledger.renewWithUpdate(accountId, created[0]!.id, { templateId: "general-no-news", nextUpdateDate: "2026-11-27" });
    expect(out.reply.delivery).toBe("compose");
    // The user sends it from their mail app a minute later; sync sees it.
    clock.advance(60_000);
    const seen = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m-update", internetMessageId: null, subject: "Re: Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll update you by Friday 27 November.", "2026-11-27"), "sync");
    expect(seen.kept).toEqual([]);
    expect(seen.created).toEqual([]);
    const rows = await world.opened.db.select().from(schema.commitments).where(eq(schema.commitments.accountId, accountId));
    const renewed = rows.find((r) => r.id === out.renewed.id)!;
    expect(renewed.status).toBe("open");
    expect(renewed.messageId).toBe("m-update");
    // A later reply on the thread keeps it as usual.
    clock.advance(86_400_000);
    const reply = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m3", internetMessageId: null, subject: "Re: Role", to: [ana], cc: [], sentAt: clock.now }, nothing, "sync");
    expect(reply.kept.map((k) => k.id)).toEqual([out.renewed.id]);
  });

  it("is adopted when it names no date the detector reads (another language, the user's own template), but not after a week", async () => {
    world = await makeWorld({ mail: false, settings: { locale: "fr-FR" } });
    const { ledger, accountId, clock } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Poste", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    clock.set("2026-11-20T08:00:00Z");
    const out = await ledger.renewWithUpdate(accountId, created[0]!.id, { templateId: "general-no-news", nextUpdateDate: "2026-11-27" });
    // "Je reviens vers vous d'ici vendredi 27 novembre": no date the detector reads.
    clock.advance(60_000);
    const seen = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m-fr", internetMessageId: null, subject: "Re: Poste", to: [ana], cc: [], sentAt: clock.now }, nothing, "sync");
    expect([seen.kept, seen.created]).toEqual([[], []]);
    const renewed = (await world.opened.db.select().from(schema.commitments).where(eq(schema.commitments.id, out.renewed.id)))[0]!;
    expect([renewed.status, renewed.messageId]).toEqual(["open", "m-fr"]);

    // Another renewal, and a reply eight days later: an ordinary reply, which keeps it.
    const again = await ledger.renewWithUpdate(accountId, out.renewed.id, { templateId: "general-no-news", nextUpdateDate: "2026-12-04" });
    clock.advance(8 * 86_400_000);
    const late = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m-late", internetMessageId: null, subject: "Re: Poste", to: [ana], cc: [], sentAt: clock.now }, nothing, "sync");
    expect(late.kept.map((k) => k.id)).toEqual([again.renewed.id]);
  });

  it("is not confused with a different reply the user sends instead: that one keeps it and its own promise is recorded", async () => {
    world = await makeWorld({ mail: false });
    const { ledger, accountId, clock } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    clock.set("2026-11-20T08:00:00Z");
    const out = await ledger.renewWithUpdate(accountId, created[0]!.id, { templateId: "general-no-news", nextUpdateDate: "2026-11-27" });
    // The composed update is never sent; the user writes with real news and a new promise.
    clock.advance(3_600_000);
    const real = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m-news", internetMessageId: null, subject: "Re: Role", to: [ana], cc: [], sentAt: clock.now }, promise("They'd like to meet you; I'll send the contract on Wednesday.", "2026-11-25"), "sync");
    expect(real.kept.map((k) => k.id)).toEqual([out.renewed.id]);
    expect(real.created.map((c) => [c.sentence, c.dueDate, c.messageId])).toEqual([["They'd like to meet you; I'll send the contract on Wednesday.", "2026-11-25", "m-news"]]);
    // The same from the import path (recordMany), for another thread.
    const second = await ledger.recordSent(accountId, { threadId: "t2", messageId: "m2", internetMessageId: null, subject: "Other role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Monday.", "2026-11-23"), "sync");
    const out2 = await ledger.renewWithUpdate(accountId, second.created[0]!.id, { templateId: "general-no-news", nextUpdateDate: "2026-11-30" });
    clock.advance(3_600_000);
    const [viaImport] = await ledger.recordMany(accountId, [
      { kind: "sent", msg: { threadId: "t2", messageId: "m-news-2", internetMessageId: null, subject: "Re: Other role", to: [ana], cc: [], sentAt: clock.now }, detection: promise("I'll call you tomorrow.", "2026-11-21") },
    ], "import");
    expect(viaImport).toMatchObject({ kept: [{ id: out2.renewed.id }], created: [{ dueDate: "2026-11-21", messageId: "m-news-2" }] });
  });
});

describe("the side panel, read in one statement", () => {
  it("shows exactly what view() shows of every commitment to the person, their check-ins and the templates", async () => {
    world = await makeWorld({ start: "2026-11-02T10:00:00Z" });
    const { ledger, accountId, identity, clock, opened } = world;
    const db = opened.db;
    const send = async (thread: string, n: number, dueDate: string | null, to = ana) =>
      (await ledger.recordSent(accountId, { threadId: thread, messageId: `m${n}`, internetMessageId: `<m${n}@example.com>`, subject: `Subject "${n}" — ünïcode`, to: [to], cc: [], sentAt: clock.now + n * 60_000 }, promise(`I'll get back to you "soon" \\ ${n}.`, dueDate), "sync")).created[0]!;
    // Open on this thread (one overdue), open elsewhere, snoozed, chased, kept and dismissed ones, and someone else's.
    // (A later message on a thread keeps what came before on it, so t1 holds one.)
    const overdue = await send("t1", 1, "2026-11-03");
    const later = await send("t4", 2, "2026-11-30");
    const elsewhere = await send("t2", 3, null);
    const snoozed = await send("t3", 4, "2026-11-04");
    await ledger.act(accountId, snoozed.id, { type: "snooze", until: Date.parse("2026-11-20T09:00:00Z") });
    for (let n = 5; n < 12; n++) {
      const c = await send(`t${n}`, n, "2026-11-05");
      await ledger.act(accountId, c.id, n % 2 ? { type: "keep" } : { type: "dismiss", reason: "not-a-promise" });
    }
    await send("t1", 12, "2026-11-06", { name: "Bo", address: "bo@example.com" });
    await ledger.recordReceived(accountId, { threadId: "t2", messageId: "r1", from: ana, subject: "any news?", receivedAt: clock.now + 3_600_000 });
    await ledger.scheduleCheckIn(accountId, { counterpart: ana, subject: "Catch up", days: 30 });
    await ledger.scheduleCheckIn(accountId, { counterpart: ana, subject: "Catch up again", days: 10, note: "after the offer" });
    await ledger.scheduleCheckIn(accountId, { counterpart: { name: "Bo", address: "bo@example.com" }, subject: "Bo", days: 10 });
    await db.insert(schema.templates).values({ accountId, id: "mine", name: "A short one", tone: "general", body: "Hi {firstName}", updatedAt: clock.now });

    const today = "2026-11-04";
    const all = await listCommitments(db, accountId, { counterpart: "ana@example.com", limit: 100 });
    const active = all.filter((x) => x.status === "open" || x.status === "snoozed");
    const checkIns = await db
      .select()
      .from(schema.checkIns)
      .where(and(eq(schema.checkIns.accountId, accountId), eq(schema.checkIns.counterpartAddress, "ana@example.com"), eq(schema.checkIns.status, "scheduled")))
      .orderBy(schema.checkIns.dueAt);
    const expected = {
      counterpart: "ana@example.com",
      thisThread: active.filter((x) => x.threadId === "t1").map((x) => view(x, today)),
      otherThreads: active.filter((x) => x.threadId !== "t1").map((x) => view(x, today)),
      recentlyClosed: all.filter((x) => x.status === "kept" || x.status === "dismissed").slice(0, 5).map((x) => view(x, today)),
      checkIns,
      templates: await templatesFor(db, accountId),
    };
    const read = await panelFor(db, identity, " Ana@Example.com", "t1", today);
    expect(read.account).toEqual({ id: accountId, timeZone: "Europe/London" });
    const panel = JSON.parse(read.json);
    expect(panel).toEqual(JSON.parse(JSON.stringify(expected)));
    // The cases the test is built to cover are really there.
    expect(panel.thisThread.map((x: { id: string; overdue: boolean }) => [x.id, x.overdue])).toEqual([[overdue.id, true]]);
    expect(panel.otherThreads.map((x: { id: string; overdue: boolean }) => [x.id, x.overdue])).toEqual([[snoozed.id, false], [elsewhere.id, false], [later.id, false]]);
    expect(panel.otherThreads[1].chased).toBe(true);
    expect(panel.recentlyClosed).toHaveLength(5);
    expect(panel.checkIns.map((k: { subject: string }) => k.subject)).toEqual(["Catch up again", "Catch up"]);
    expect(panel.templates.at(-1)).toMatchObject({ id: "mine", builtIn: false });

    // No thread: everything active is on other threads. Nobody: all empty, the defaults offered.
    const noThread = JSON.parse((await panelFor(db, identity, "ana@example.com", null, today)).json);
    expect(noThread.thisThread).toEqual([]);
    expect(noThread.otherThreads).toHaveLength(4);
    const stranger = await panelFor(db, { ...identity, subject: "no-such-user" }, "ana@example.com", "t1", today);
    expect(stranger.account).toBeNull();
    const nobody = JSON.parse(stranger.json);
    expect([nobody.thisThread, nobody.otherThreads, nobody.recentlyClosed, nobody.checkIns]).toEqual([[], [], [], []]);
    expect(nobody.templates.every((t: { builtIn: boolean }) => t.builtIn)).toBe(true);
  });
});

describe("the words Kept writes", () => {
  it("an update names the subject without AW:/SV:, and a date next year with its year", async () => {
    world = await makeWorld({ start: "2026-12-21T10:00:00Z" });
    const { ledger, accountId, clock, provider } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "AW: Data role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Wednesday.", "2026-12-23"), "sync");
    await ledger.renewWithUpdate(accountId, created[0]!.id, { templateId: "general-no-news", nextUpdateDate: "2027-01-04", body: "About {{subject}}: more by {{nextUpdateDate}}." });
    expect(provider.replies[0]!.bodyText).toBe("About Data role: more by Monday, 4 January 2027.");
    expect(provider.replies[0]!.subject).toBe("Re: Data role");
  });

  it("a follow-up event links to the thread in Gmail or Outlook on the web, not for imported mail", async () => {
    world = await makeWorld();
    const { ledger, accountId, clock, provider, opened } = world;
    // The world's account is local: make it a Google one, then a Microsoft one.
    const send = async (provider: "google" | "microsoft", thread: string, message: string, source: "sync" | "import") => {
      await opened.db.update(schema.accounts).set({ provider }).where(eq(schema.accounts.id, accountId));
      return (await ledger.recordSent(accountId, { threadId: thread, messageId: message, internetMessageId: null, subject: `S ${thread}`, to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), source)).created[0]!;
    };
    const g = await send("google", "18c2f0a9b3d4e5f6", "18c2f0a9b3d4e5f6", "sync");
    const m = await send("microsoft", "AAQkAGI2=", "AAMkAGI2TG93AAA=", "sync");
    const i = await send("google", "t-import", "<x@example.com>", "import");
    await ledger.placeEvents(accountId);
    const descriptionOf = (id: string) => provider.eventsFor(accountId).find((e) => e.key.startsWith(`kept:${id}.`))!.description;
    expect(descriptionOf(g.id)).toContain("Open the thread: https://mail.google.com/mail/#all/18c2f0a9b3d4e5f6\n");
    expect(descriptionOf(m.id)).toContain("Open the thread: https://outlook.office365.com/owa/?ItemID=AAMkAGI2TG93AAA%3D&exvsurl=1&viewmodel=ReadMessageItem\n");
    expect(descriptionOf(i.id)).not.toContain("Open the thread");
  });

  it("more bad news to someone with a check-in already scheduled doesn't add another, one at a time or in an import", async () => {
    world = await makeWorld();
    const { ledger, accountId, clock, opened } = world;
    const bad: DetectionSummary = { commitments: [], badNews: { sentence: "We won't be taking your application further." } };
    const first = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role A", to: [ana], cc: [], sentAt: clock.now }, bad, "sync");
    clock.advance(60_000);
    const second = await ledger.recordSent(accountId, { threadId: "t2", messageId: "m2", internetMessageId: null, subject: "Role B", to: [ana], cc: [], sentAt: clock.now }, bad, "sync");
    expect(second.checkInId).toBe(first.checkInId);
    const many = await ledger.recordMany(accountId, [
      { kind: "sent", msg: { threadId: "t3", messageId: "m3", internetMessageId: null, subject: "Role C", to: [ana], cc: [], sentAt: clock.now + 1 }, detection: bad },
      { kind: "sent", msg: { threadId: "t4", messageId: "m4", internetMessageId: null, subject: "Role D", to: [{ name: "Bo", address: "bo@example.com" }], cc: [], sentAt: clock.now + 2 }, detection: bad },
      { kind: "sent", msg: { threadId: "t5", messageId: "m5", internetMessageId: null, subject: "Role E", to: [{ name: "Bo", address: "bo@example.com" }], cc: [], sentAt: clock.now + 3 }, detection: bad },
    ], "import");
    const ids = many.map((r) => ("checkInId" in r ? r.checkInId : null));
    expect(ids[0]).toBe(first.checkInId);
    expect(ids[1]).toBeTruthy();
    expect(ids[2]).toBe(ids[1]);
    const rows = await opened.db.select().from(schema.checkIns).where(eq(schema.checkIns.accountId, accountId));
    expect(rows.map((r) => r.counterpartAddress).sort()).toEqual(["ana@example.com", "bo@example.com"]);
  });
});

describe("a promise made to several people", () => {
  it("is in each one's side panel and list, and kept by a message to the first of them", async () => {
    world = await makeWorld({ start: "2026-11-02T10:00:00Z" });
    const { ledger, accountId, identity, clock, opened } = world;
    const db = opened.db;
    const bo = { name: "Bo Chen", address: "BO@example.com" };
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Panel", to: [ana, bo], cc: [], sentAt: clock.now }, promise("We'll get back to you both by Friday.", "2026-11-06"), "sync");
    const id = created[0]!.id;
    for (const who of ["ana@example.com", "bo@example.com"]) {
      const panel = JSON.parse((await panelFor(db, identity, who, "t1", "2026-11-02")).json);
      expect(panel.thisThread.map((x: { id: string }) => x.id), who).toEqual([id]);
      expect((await listCommitments(db, accountId, { counterpart: who, limit: 10 })).map((x) => x.id), who).toEqual([id]);
    }
    expect(JSON.parse((await panelFor(db, identity, "cy@example.com", "t1", "2026-11-02")).json).thisThread).toEqual([]);
    // Bo alone, before and after: his panel merges the two kinds newest first.
    const alone = async (n: number, at: number) =>
      (await ledger.recordSent(accountId, { threadId: `b${n}`, messageId: `b${n}`, internetMessageId: null, subject: `B${n}`, to: [bo], cc: [], sentAt: at }, promise("I'll send it over.", "2026-11-09"), "sync")).created[0]!.id;
    const before = await alone(1, clock.now - 3_600_000);
    const after = await alone(2, clock.now + 3_600_000);
    const boPanel = JSON.parse((await panelFor(db, identity, "bo@example.com", "t1", "2026-11-02")).json);
    expect([...boPanel.thisThread, ...boPanel.otherThreads].map((x: { id: string }) => x.id)).toEqual([id, after, before]);
    expect(boPanel.otherThreads.map((x: { id: string }) => x.id)).toEqual([after, before]);
    expect((await listCommitments(db, accountId, { counterpart: "bo@example.com", limit: 10 })).map((x) => x.id)).toEqual([after, id, before]);
    // The side panel reads both in index order, at most 100 each, however many promises there are.
    const plan = (await db.all<{ detail: string }>(sql.raw(`EXPLAIN QUERY PLAN ${PANEL_SQL}`))).map((r) => r.detail).join("\n");
    expect(plan).toMatch(/SEARCH m USING (COVERING )?INDEX commitments_counterpart \(account_id=\? AND counterpart_address=\?\)/);
    expect(plan).toMatch(/SEARCH o USING COVERING INDEX \S*commitment_others\S* \(account_id=\? AND address=\?\)/);
    expect(plan).not.toMatch(/SCAN (m|o|commitments)\b/);
    // Only the first person is in the commitment's own index; one row for Bo, none for a promise to one person.
    expect((await db.select().from(schema.commitmentOthers)).map((r) => [r.address, r.commitmentId])).toEqual([["bo@example.com", id]]);
    // Bo chases, which counts; a message to Bo alone doesn't keep it (Ana may still wait), one to Ana does.
    clock.advance(86_400_000);
    expect((await ledger.recordReceived(accountId, { threadId: "t1", messageId: "r1", from: bo, subject: "Re: Panel", receivedAt: clock.now })).chased).toHaveLength(1);
    clock.advance(3_600_000);
    expect((await ledger.recordSent(accountId, { threadId: "t1", messageId: "m2", internetMessageId: null, subject: "Re: Panel", to: [bo], cc: [], sentAt: clock.now }, nothing, "sync")).kept).toEqual([]);
    clock.advance(3_600_000);
    const reply = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m3", internetMessageId: null, subject: "Re: Panel", to: [ana], cc: [bo], sentAt: clock.now }, nothing, "sync");
    expect(reply.kept.map((k) => k.id)).toEqual([id]);
    // Deleting the account takes its people rows with it.
    await db.delete(schema.accounts).where(eq(schema.accounts.id, accountId));
    expect(await db.select().from(schema.commitmentOthers).where(eq(schema.commitmentOthers.commitmentId, id))).toEqual([]);
  });
});

describe("a change of zone, working days or hours", () => {
  it("moves the follow-ups and check-ins already planned, replacing their events", async () => {
    world = await makeWorld({ start: "2026-11-18T10:00:00Z" });
    const { ledger, accountId, clock, provider, opened } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    await ledger.recordSent(accountId, { threadId: "t9", messageId: "m9", internetMessageId: null, subject: "Your application", to: [ana], cc: [], sentAt: clock.now }, { commitments: [], badNews: { sentence: "Unfortunately they went with someone else." } }, "sync");
    expect(provider.eventsFor(accountId).map((e) => iso(e.start)).sort()).toEqual(["2026-11-20T09:00:00.000Z", "2027-02-16T09:00:00.000Z"]);

    const before = settingsOf((await getAccount(opened.db, accountId))!);
    clock.advance(1000);
    const changedAt = clock.now;
    const changed = await ledger.updateSettings(accountId, { timeZone: "America/New_York", workDays: [1, 2, 3, 4], dayStart: "08:00" });
    expect(changed.rescheduled).toEqual({ followUps: 1, checkIns: 1 });
    // Other settings move nothing.
    expect((await ledger.updateSettings(accountId, { checkInDays: 30 })).rescheduled).toBeNull();
    // Friday is no longer worked: Monday 08:00 in New York. The check-in keeps its Tuesday, at 08:00 there.
    const events = provider.eventsFor(accountId);
    expect(events.map((e) => [iso(e.start), e.timeZone]).sort()).toEqual([
      ["2026-11-23T13:00:00.000Z", "America/New_York"],
      ["2027-02-16T13:00:00.000Z", "America/New_York"],
    ]);
    expect(events.find((e) => e.kind === "check-in")!.title).toBe("Check in with Ana Silva");
    const c = (await getCommitment(opened.db, accountId, created[0]!.id))!;
    expect(iso(c.nextReminderAt!)).toBe("2026-11-23T13:00:00.000Z");
    expect((await history(opened.db, c.id)).map((h) => h.type)).toContain("rescheduled");
    // The same note run again (a retry) moves nothing twice; nor does it move what was
    // planned after the change, under the new settings already.
    clock.advance(1000);
    const later = await ledger.recordSent(accountId, { threadId: "t2", messageId: "m2", internetMessageId: null, subject: "Other role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Monday.", "2026-11-23"), "sync");
    expect(iso(later.created[0]!.nextReminderAt!)).toBe("2026-11-23T13:00:00.000Z");
    expect(await ledger.reschedule(accountId, before, changedAt)).toEqual({ followUps: 0, checkIns: 0 });
    expect(iso((await getCommitment(opened.db, accountId, later.created[0]!.id))!.nextReminderAt!)).toBe("2026-11-23T13:00:00.000Z");
    clock.set("2026-11-23T13:01:00Z");
    await ledger.sweep();
    expect(provider.eventsFor(accountId).map((e) => iso(e.start)).sort()).toContain("2026-11-24T13:00:00.000Z");
  });
});

describe("two changes of zone in a row, the first one's move not yet done", () => {
  it("moves in the order of the changes: the second waits, and nothing is read in the wrong zone", async () => {
    world = await makeWorld({ start: "2026-11-18T10:00:00Z", settings: { timeZone: "Pacific/Auckland" } });
    const { ledger, accountId, clock, provider, opened } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    // Friday 09:00 in Auckland is Thursday 20:00 UTC, and Thursday in Los Angeles.
    expect(iso(created[0]!.nextReminderAt!)).toBe("2026-11-19T20:00:00.000Z");

    // The first change (to Los Angeles) saved, its move noted but not yet made: what
    // updateSettings writes in its transaction, with the attempt after it failed.
    const before = settingsOf((await getAccount(opened.db, accountId))!);
    clock.advance(1000);
    const firstAt = clock.now;
    await opened.db.transaction(async (tx) => {
      await tx.update(schema.accounts).set({ timeZone: "America/Los_Angeles" }).where(eq(schema.accounts.id, accountId));
      await enqueue(tx, accountId, { key: `reschedule:${accountId}:${firstAt}`, op: "reschedule", reminderId: null, commitmentId: null, payload: { before, changedAt: firstAt } }, { outboxKeys: [] }, firstAt);
    });

    // The second change, to London, waits for the first.
    clock.advance(1000);
    await ledger.updateSettings(accountId, { timeZone: "Europe/London" });
    expect(iso((await getCommitment(opened.db, accountId, created[0]!.id))!.nextReminderAt!)).toBe("2026-11-19T20:00:00.000Z");
    clock.advance(5000);
    await ledger.sweep();
    clock.advance(5000);
    await ledger.sweep();
    // Friday stays Friday: 09:00 in London, as one move from Auckland would put it (read
    // in Los Angeles, it would have become Thursday).
    expect(iso((await getCommitment(opened.db, accountId, created[0]!.id))!.nextReminderAt!)).toBe("2026-11-20T09:00:00.000Z");
    expect(provider.eventsFor(accountId).map((e) => [iso(e.start), e.timeZone])).toEqual([["2026-11-20T09:00:00.000Z", "Europe/London"]]);
    const notes = await opened.db.select().from(schema.outbox).where(and(eq(schema.outbox.accountId, accountId), eq(schema.outbox.op, "reschedule")));
    expect(notes.map((n) => n.state)).toEqual(["done", "done"]);
  });
});

describe("an import that stops before placing its follow-ups", () => {
  it("has them placed by the sweep once the import has had time to finish, and only once", async () => {
    world = await makeWorld({ start: "2026-11-16T10:00:00Z" });
    const { ledger, accountId, clock, provider } = world;
    const sent = (n: number, due: string) => ({
      kind: "sent" as const,
      msg: { threadId: `t${n}`, messageId: `m${n}`, internetMessageId: null, subject: `Role ${n}`, to: [ana], cc: [], sentAt: clock.now - 3_600_000 + n },
      detection: promise(`I'll get back to you by ${due}.`, due),
    });
    await ledger.recordMany(accountId, [sent(1, "2026-11-19"), sent(2, "2026-11-20")], "import");
    // Killed here: placeEvents never ran. A sweep during the grace period leaves it to the import.
    await ledger.sweep();
    expect(provider.eventsFor(accountId)).toHaveLength(0);
    clock.advance(PLACE_GRACE_MS + 1000);
    await ledger.sweep();
    expect(provider.eventsFor(accountId).map((e) => iso(e.start)).sort()).toEqual(["2026-11-19T09:00:00.000Z", "2026-11-20T09:00:00.000Z"]);
    await ledger.sweep();
    expect(await ledger.placeEvents(accountId)).toBe(0);
    expect(provider.eventsFor(accountId)).toHaveLength(2);

    // An import that finishes places them itself, and the note it left does nothing more.
    await ledger.recordMany(accountId, [sent(3, "2026-11-24")], "import");
    expect(await ledger.placeEvents(accountId)).toBe(1);
    await ledger.sweep();
    clock.advance(PLACE_GRACE_MS + 1000);
    await ledger.sweep();
    expect(provider.eventsFor(accountId)).toHaveLength(3);

    // An import of nothing but a chase, stopped: the chased follow-up still comes.
    await ledger.recordMany(accountId, [{ kind: "received", msg: { threadId: "t2", messageId: "r2", from: ana, subject: "Any news?", receivedAt: clock.now } }], "import");
    clock.advance(PLACE_GRACE_MS + 1000);
    await ledger.sweep();
    const events = provider.eventsFor(accountId);
    expect(events).toHaveLength(3);
    expect(events.some((e) => e.title.startsWith("Chased: "))).toBe(true);
  });
});

describe("a sweep for one account", () => {
  it("reminds, closes check-ins and drains the outbox of that account only", async () => {
    world = await makeWorld({ start: "2026-11-02T08:00:00Z" });
    const { ledger, accountId, clock, provider, opened } = world;
    const { accountFor } = await import("../server/accounts");
    const other = (await accountFor(opened.db, { provider: "local", tenantId: "local", subject: "someone-else", email: "kim@example.com", displayName: "Kim" }, () => "acct-other", { timeZone: "Europe/London" })).id;
    for (const who of [accountId, other]) {
      await ledger.recordSent(who, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "S", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Wednesday.", "2026-11-04"), "sync");
      await ledger.scheduleCheckIn(who, { counterpart: ana, subject: "Hello", days: 1 });
    }
    clock.set("2026-11-04T12:00:00Z"); // both follow-ups and both check-ins are due
    const r = await ledger.sweep({ accountId });
    expect(r.reminded).toBe(1);
    expect(r.checkInsDone).toBe(1);
    const mine = await listCommitments(opened.db, accountId, { limit: 10 });
    const theirs = await listCommitments(opened.db, other, { limit: 10 });
    expect(mine[0]!.reminderCount).toBe(1);
    expect(theirs[0]!.reminderCount).toBe(0);
    expect(provider.eventsFor(accountId).filter((e) => e.start > clock.now)).toHaveLength(1);
    // The cron's sweep then does the rest.
    expect((await ledger.sweep()).reminded).toBe(1);
  });
});

describe("a flaky provider and a crash mid-sweep", () => {
  it("every event exists exactly once", async () => {
    world = await makeWorld({ start: "2026-11-02T08:00:00Z", faults: { failRate: 0.3, lostResponseShare: 0.5, seed: 7 } });
    const { ledger, accountId, clock, provider } = world;
    const people = Array.from({ length: 40 }, (_, i) => ({ name: `Person ${i}`, address: `p${i}@example.com` }));
    for (const [i, p] of people.entries()) {
      clock.advance(60_000);
      await ledger.recordSent(accountId, { threadId: `t${i}`, messageId: `m${i}`, internetMessageId: null, subject: `S${i}`, to: [p], cc: [], sentAt: clock.now }, promise("I'll get back to you.", i % 3 === 0 ? "2026-11-04" : null), "sync");
    }
    // A third of them chase, a third are kept, over a few days of sweeps.
    let totalCrashes = 0;
    for (let day = 0; day < 12; day++) {
      clock.advance(86_400_000 / 3);
      for (const [i, p] of people.entries()) {
        if (i % 3 === 1 && day === 2) await ledger.recordReceived(accountId, { threadId: `t${i}`, messageId: `r${i}`, from: p, subject: "any news?", receivedAt: clock.now });
        if (i % 3 === 2 && day === 4) await ledger.recordSent(accountId, { threadId: `t${i}`, messageId: `k${i}`, internetMessageId: null, subject: "Re", to: [p], cc: [], sentAt: clock.now }, nothing, "sync");
      }
      let crashes = 0;
      let calls = 0;
      // A process that dies after the provider acted but before it wrote that down.
      const crashing = new Ledger({
        ...ledger.deps,
        afterProviderCall: () => {
          if (crashes < 2 && ++calls % 5 === 0) {
            crashes++;
            totalCrashes++;
            throw new SimulatedCrash("killed");
          }
        },
      });
      await crashing.sweep().catch((e) => {
        if (!(e instanceof SimulatedCrash)) throw e;
      });
      // A fresh process on the same database file, after the lease ran out.
      clock.advance(3 * 60_000);
      const reopened = await openDatabase(world.url, { migrate: false });
      const restarted = new Ledger({ ...ledger.deps, db: reopened.db });
      await restarted.sweep();
      reopened.close();
    }
    // Let every retry run with a healthy provider.
    provider.setFaults({});
    for (let i = 0; i < 20; i++) {
      clock.advance(6 * 3_600_000);
      await ledger.sweep();
    }
    const db = world.opened.db;
    const reminders = await db.select().from(schema.reminders).where(eq(schema.reminders.accountId, accountId));
    const outbox = await db.select().from(schema.outbox).where(eq(schema.outbox.accountId, accountId));
    expect(outbox.filter((o) => o.state === "pending" || o.state === "failed")).toEqual([]);
    // Exactly one provider event per reminder that should exist, none for the others.
    const live = reminders.filter((r) => r.state === "created");
    const events = provider.eventsFor(accountId);
    expect(events.length).toBe(live.length);
    expect(new Set(events.map((e) => e.key)).size).toBe(events.length);
    expect(new Set(live.map((r) => r.eventId))).toEqual(new Set(events.map((e) => e.eventId)));
    // Kept promises have no future events; open ones have exactly one.
    const commitments = await db.select().from(schema.commitments).where(eq(schema.commitments.accountId, accountId));
    for (const c of commitments) {
      const future = events.filter((e) => e.key.startsWith(`kept:${c.id}.`) && e.start > clock.now);
      expect(future.length, `${c.status} ${c.id}`).toBe(c.status === "open" ? 1 : 0);
    }
    expect(provider.failures).toBeGreaterThan(10);
    expect(totalCrashes).toBeGreaterThanOrEqual(5);
  });
});

/** A promise to Ana (A), renewed with an update (B), then B renewed again (C), while mail is down: neither update sent. */
async function renewedTwiceWhileDown(w: World) {
  const { ledger, accountId, clock } = w;
  const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
  const a = created[0]!;
  const b = (await ledger.renewWithUpdate(accountId, a.id, { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-23" })).renewed;
  clock.advance(60_000);
  const c = (await ledger.renewWithUpdate(accountId, b.id, { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-25" })).renewed;
  return { a, b, c };
}

describe("a provider that is down for long, throttles, or refuses", () => {
  const eight = Array.from({ length: 8 }, (_, i) => ({ name: `Person ${i}`, address: `p${i}@example.com` }));

  it("an outage longer than a day loses nothing: every event is placed once it ends, none given up", async () => {
    world = await makeWorld({ start: "2026-11-02T08:00:00Z", faults: { failRate: 1, lostResponseShare: 0.3, seed: 3 } });
    const { ledger, accountId, clock, provider } = world;
    for (const [i, p] of eight.entries()) {
      await ledger.recordSent(accountId, { threadId: `t${i}`, messageId: `m${i}`, internetMessageId: null, subject: `S${i}`, to: [p], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-06"), "sync");
    }
    // Thirty hours of sweeps every ten minutes, every call failing.
    for (let t = 0; t < 30 * 6; t++) {
      clock.advance(10 * 60_000);
      await ledger.sweep();
    }
    const db = world.opened.db;
    let outbox = await db.select().from(schema.outbox).where(eq(schema.outbox.accountId, accountId));
    expect(outbox.filter((o) => o.state === "failed")).toEqual([]);
    expect(outbox.filter((o) => o.state === "pending").length).toBe(8);
    const account = (await getAccount(db, accountId))!;
    const { summarise } = await import("../server/summary");
    expect((await summarise(db, account, clock.now)).delivery).toMatchObject({ delayed: 8, failed: 0, lastError: expect.stringMatching(/unavailable|timeout/) });
    // The outage ends: the next sweeps after the backoff place every event, once.
    provider.setFaults({});
    for (let t = 0; t < 8; t++) {
      clock.advance(3_600_000);
      await ledger.sweep();
    }
    outbox = await db.select().from(schema.outbox).where(eq(schema.outbox.accountId, accountId));
    expect(outbox.filter((o) => o.state !== "done")).toEqual([]);
    expect(provider.eventsFor(accountId).length).toBe(8);
    expect(new Set(provider.eventsFor(accountId).map((e) => e.key)).size).toBe(8);
    expect((await summarise(db, account, clock.now)).delivery).toEqual({ delayed: 0, failed: 0, lastError: null });
  });

  it("a 429 holds back the account's other calls until Retry-After, without using their attempts", async () => {
    world = await makeWorld({ start: "2026-11-02T08:00:00Z", faults: { rateLimit: { calls: 3, windowMs: 60_000 } } });
    const { ledger, accountId, clock, provider } = world;
    const people = Array.from({ length: 12 }, (_, i) => ({ name: `Person ${i}`, address: `q${i}@example.com` }));
    // Twelve promises in a minute, each event attempted as it is recorded.
    for (const [i, p] of people.entries()) {
      await ledger.recordSent(accountId, { threadId: `t${i}`, messageId: `m${i}`, internetMessageId: null, subject: `S${i}`, to: [p], cc: [], sentAt: clock.now }, promise("I'll get back to you.", "2026-11-06"), "sync");
    }
    await ledger.sweep();
    expect(provider.calls).toBe(4);
    // Three went through, the fourth was told to wait, and nothing else was tried in that minute.
    expect(provider.eventsFor(accountId).length).toBe(3);
    expect(provider.failures).toBe(1);
    const callsThen = provider.calls;
    clock.advance(30_000);
    await ledger.sweep();
    expect(provider.calls).toBe(callsThen);
    // The dashboard counts every one held back, not just the one that got the 429.
    const { summarise } = await import("../server/summary");
    expect((await summarise(world.opened.db, (await getAccount(world.opened.db, accountId))!, clock.now)).delivery.delayed).toBe(9);
    // Each window lets three more through, until all twelve are placed.
    for (let m = 0; m < 10 && provider.eventsFor(accountId).length < 12; m++) {
      clock.advance(61_000);
      await ledger.sweep();
    }
    expect(provider.eventsFor(accountId).length).toBe(12);
    const outbox = await world.opened.db.select().from(schema.outbox).where(eq(schema.outbox.accountId, accountId));
    expect(outbox.every((o) => o.state === "done")).toBe(true);
    // Waiting for the provider's word used no attempts: each event was made on its first or second try.
    expect(Math.max(...outbox.map((o) => o.attempts))).toBeLessThanOrEqual(2);
    // At most one 429 per window: the account was not hammered.
    expect(provider.failures).toBeLessThanOrEqual(4);
  });

  it("an update the provider refuses: its promise ends, the one it was to keep is owed again, and no reply text is kept", async () => {
    world = await makeWorld({ faults: { refuse: { sendReply: "Sending as this mailbox is not allowed" } } });
    const { ledger, accountId, clock, provider } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    clock.set("2026-11-20T08:00:00Z");
    const out = await ledger.renewWithUpdate(accountId, created[0]!.id, { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-27", body: "Hi {{firstName}}, SECRET-MARKER-42 still waiting." });
    expect(out.reply.delivery).toBe("queued");
    expect(provider.replies).toHaveLength(0);
    const db = world.opened.db;
    const old = (await getCommitment(db, accountId, created[0]!.id))!;
    const renewed = (await getCommitment(db, accountId, out.renewed.id))!;
    expect(old.status).toBe("open");
    expect(old.renewedToId).toBeNull();
    expect(renewed.status).toBe("dismissed");
    expect(renewed.dismissedReason).toBe("update-not-sent");
    expect((await history(db, renewed.id)).map((h) => h.type)).toEqual(["created", "not_sent"]);
    const oldHistory = await history(db, old.id);
    expect(oldHistory.at(-1)).toMatchObject({ type: "reopened", detail: { because: "update-not-sent", error: "Sending as this mailbox is not allowed" } });
    // The old promise is back on the calendar, soon; the new one's event is gone.
    const events = provider.eventsFor(accountId);
    expect(events.map((e) => e.key.split(".")[0])).toEqual([`kept:${old.id}`]);
    expect(events[0]!.start).toBeGreaterThan(clock.now);
    expect(events[0]!.start - clock.now).toBeLessThan(2 * 86_400_000);
    // The reply's text was a message body: nothing of it stays in the database.
    const outbox = await db.select().from(schema.outbox).where(eq(schema.outbox.accountId, accountId));
    expect(JSON.stringify(outbox)).not.toContain("SECRET-MARKER-42");
    expect(outbox.find((o) => o.op === "send_reply")!.state).toBe("failed");
    const { summarise } = await import("../server/summary");
    expect((await summarise(db, (await getAccount(db, accountId))!, clock.now)).delivery).toEqual({ delayed: 0, failed: 1, lastError: "Sending as this mailbox is not allowed" });
  });

  it("a refused update the user has moved past (renewed again) leaves the ledger as it is, and the next update still goes", async () => {
    world = await makeWorld({ faults: { failRate: 1, lostResponseShare: 0, seed: 9 } });
    const { ledger, accountId, clock, provider, opened } = world;
    const { a, b, c } = await renewedTwiceWhileDown(world);
    // The outage ends, but the provider refuses B's reply for good.
    provider.setFaults({ refuseKeys: { [`reply:${b.id}`]: "Message rejected" } });
    for (let i = 0; i < 6 && provider.replies.length < 1; i++) {
      clock.advance(5 * 60_000);
      await ledger.sweep();
    }
    const db = opened.db;
    const [a2, b2, c2] = await Promise.all([a, b, c].map(async (x) => (await getCommitment(db, accountId, x.id))!));
    expect([a2.status, b2.status, c2.status]).toEqual(["kept", "kept", "open"]);
    expect(a2.renewedToId).toBe(b.id);
    expect((await history(db, b.id)).at(-1)).toMatchObject({ type: "not_sent", detail: { error: "Message rejected" } });
    // C went out, answering the message before B's (B was never sent): one reply, one future event.
    expect(provider.replies.map((r) => [r.key, r.inReplyToMessageId])).toEqual([[`reply:${c.id}`, "m1"]]);
    expect(provider.eventsFor(accountId).filter((e) => e.start > clock.now).map((e) => e.key.split(".")[0])).toEqual([`kept:${c.id}`]);
  });

  it("two updates in a row both refused, in either order: both end and the first promise is owed again", async () => {
    for (const order of ["b-first", "c-first"] as const) {
      world?.close();
      world = await makeWorld({ faults: { failRate: 1, lostResponseShare: 0, seed: 17 } });
      const { ledger, accountId, clock, provider, opened } = world;
      const { a, b, c } = await renewedTwiceWhileDown(world);
      const refuse = (id: string) => provider.setFaults({ refuseKeys: { [`reply:${id}`]: "Message rejected" }, failRate: 1, lostResponseShare: 0 });
      if (order === "b-first") {
        provider.setFaults({ refuseKeys: { [`reply:${b.id}`]: "Message rejected", [`reply:${c.id}`]: "Message rejected" } });
      } else {
        // C is refused as the user's send-time check sees it (B's still down), then B.
        await opened.db.update(schema.outbox).set({ state: "refused", lastError: "Message rejected" }).where(eq(schema.outbox.key, `reply:${c.id}`));
        refuse(b.id);
      }
      for (let i = 0; i < 6; i++) {
        clock.advance(5 * 60_000);
        await ledger.sweep();
      }
      const db = opened.db;
      const [a2, b2, c2] = await Promise.all([a, b, c].map(async (x) => (await getCommitment(db, accountId, x.id))!));
      expect([a2.status, b2.status, c2.status], order).toEqual(["open", "dismissed", "dismissed"]);
      expect(provider.replies, order).toEqual([]);
      provider.setFaults({});
      clock.advance(3_600_000);
      await ledger.sweep();
      // Only A, owed again, has a follow-up to come.
      expect(provider.eventsFor(accountId).filter((e) => e.start > clock.now).map((e) => e.key.split(".")[0]), order).toEqual([`kept:${a.id}`]);
    }
  });

  it("a refusal the ledger wasn't told of (a crash on the way) is told by the next sweep, once", async () => {
    world = await makeWorld({ faults: { failRate: 1, lostResponseShare: 0, seed: 11 } });
    const { ledger, accountId, clock, opened } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    const b = (await ledger.renewWithUpdate(accountId, created[0]!.id, { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-27" })).renewed;
    // As a process that died after writing "refused" and before telling the ledger leaves it.
    const db = opened.db;
    await db.update(schema.outbox).set({ state: "refused", lastError: "Mailbox disabled" }).where(eq(schema.outbox.key, `reply:${b.id}`));
    world.provider.setFaults({});
    await ledger.sweep();
    await ledger.sweep();
    expect((await getCommitment(db, accountId, b.id))!.status).toBe("dismissed");
    expect((await getCommitment(db, accountId, created[0]!.id))!.status).toBe("open");
    expect((await history(db, created[0]!.id)).filter((h) => h.type === "reopened")).toHaveLength(1);
    expect((await db.select().from(schema.outbox).where(eq(schema.outbox.key, `reply:${b.id}`)))[0]!.state).toBe("failed");
  });

  it("a provider that says 429 without Retry-After is asked less and less often, not every sweep", async () => {
    world = await makeWorld({ faults: { throttleWithoutRetryAfter: true } });
    const { ledger, accountId, clock, provider } = world;
    await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    // (This account's sweep: on a shared libSQL server other tests' accounts are in the same database.)
    for (let m = 0; m < 24 * 6; m++) {
      clock.advance(10 * 60_000);
      await ledger.sweep({ accountId });
    }
    // A day of sweeps every ten minutes: the waits double (1 s, 2 s, 4 s … up to 6 h), so about
    // twenty calls, not one a sweep (145).
    expect(provider.calls).toBeLessThan(30);
    const [op] = await world.opened.db.select().from(schema.outbox).where(eq(schema.outbox.accountId, accountId));
    expect(op!.state).toBe("pending");
    expect(op!.nextAttemptAt - clock.now).toBeGreaterThan(3_600_000);
    // Once it answers again, the event goes on at the next try.
    provider.setFaults({});
    clock.advance(6 * 3_600_000);
    await ledger.sweep();
    expect(provider.eventsFor(accountId)).toHaveLength(1);
  });

  it("an update held up until after the date it names is not sent late: refused, and the promise it was to keep is owed again", async () => {
    world = await makeWorld({ faults: { failRate: 1, lostResponseShare: 0, seed: 13 } });
    const { ledger, accountId, clock, provider, opened } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    const b = (await ledger.renewWithUpdate(accountId, created[0]!.id, { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-19" })).renewed;
    clock.set("2026-11-20T09:00:00Z"); // a day past the 19th, still down
    await ledger.sweep();
    provider.setFaults({});
    clock.advance(6 * 3_600_000);
    await ledger.sweep();
    expect(provider.replies).toEqual([]);
    expect((await getCommitment(opened.db, accountId, b.id))!.status).toBe("dismissed");
    expect((await getCommitment(opened.db, accountId, created[0]!.id))!.status).toBe("open");
    expect((await history(opened.db, b.id)).at(-1)!.detail.error).toBe("Not sent: it was held up until after Thursday 19 November, the date it promised news by. Send them a new update");
  });

  it("an update the user answered themselves before it could be sent is not sent as well", async () => {
    world = await makeWorld({ faults: { failRate: 1, lostResponseShare: 0, seed: 15 } });
    const { ledger, accountId, clock, provider, opened } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    const b = (await ledger.renewWithUpdate(accountId, created[0]!.id, { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-27" })).renewed;
    // Kept can't send it yet; the user writes to Ana themselves, naming the same date.
    clock.advance(10 * 60_000);
    await ledger.recordSent(accountId, { threadId: "t1", messageId: "u1", internetMessageId: null, subject: "Re: Role", to: [ana], cc: [], sentAt: clock.now }, promise("No news yet, I'll update you by Friday 27 November.", "2026-11-27"), "sync");
    expect((await getCommitment(opened.db, accountId, b.id))!.messageId).toBe("u1");
    provider.setFaults({});
    clock.advance(3_600_000);
    await ledger.sweep();
    expect(provider.replies).toEqual([]);
    const [op] = await opened.db.select().from(schema.outbox).where(eq(schema.outbox.key, `reply:${b.id}`));
    expect(op!.state).toBe("skipped");
    expect((await getCommitment(opened.db, accountId, b.id))!.status).toBe("open");
    expect((await history(opened.db, b.id)).at(-1)).toMatchObject({ type: "not_sent", detail: { skipped: true, messageId: "u1" } });
  });

  it("a sent update's text is not kept either", async () => {
    world = await makeWorld();
    const { ledger, accountId, clock, provider } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    await ledger.renewWithUpdate(accountId, created[0]!.id, { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-27", body: "Hi {{firstName}}, SECRET-MARKER-43." });
    expect(provider.replies[0]!.bodyText).toContain("SECRET-MARKER-43");
    const outbox = await world.opened.db.select().from(schema.outbox).where(eq(schema.outbox.accountId, accountId));
    expect(outbox.find((o) => o.op === "send_reply")!.state).toBe("done");
    expect(JSON.stringify(outbox)).not.toContain("SECRET-MARKER-43");
  });

  it("an update renewed from one not yet sent waits for it, then answers the message it became", async () => {
    world = await makeWorld({ faults: { failRate: 1, lostResponseShare: 0, seed: 5 } });
    const { ledger, accountId, clock, provider } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    const first = await ledger.renewWithUpdate(accountId, created[0]!.id, { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-23" });
    clock.advance(60_000);
    const second = await ledger.renewWithUpdate(accountId, first.renewed.id, { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-25" });
    expect(provider.replies).toHaveLength(0);
    provider.setFaults({});
    for (let i = 0; i < 6 && provider.replies.length < 2; i++) {
      clock.advance(5 * 60_000);
      await ledger.sweep();
    }
    expect(provider.replies).toHaveLength(2);
    const [a, b] = provider.replies;
    expect(a!.key).toBe(`reply:${first.renewed.id}`);
    expect(a!.inReplyToMessageId).toBe("m1");
    expect(b!.key).toBe(`reply:${second.renewed.id}`);
    // Not the placeholder the first update held while unsent: the message it became.
    expect(b!.inReplyToMessageId).toBe(a!.messageId);
  });

  it("an update renewed from one that was refused answers the message before it", async () => {
    world = await makeWorld({ mail: false });
    const { ledger, accountId, clock } = world;
    const { created } = await ledger.recordSent(accountId, { threadId: "t1", messageId: "m1", internetMessageId: null, subject: "Role", to: [ana], cc: [], sentAt: clock.now }, promise("I'll get back to you by Friday.", "2026-11-20"), "sync");
    // Composed for the user (no mail connection), never seen as sent; then mail is connected.
    const first = await ledger.renewWithUpdate(accountId, created[0]!.id, { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-23" });
    const provider = world.provider;
    const connected = new Ledger({ ...ledger.deps, mail: provider });
    clock.advance(60_000);
    await connected.renewWithUpdate(accountId, first.renewed.id, { templateId: "recruiter-no-news", nextUpdateDate: "2026-11-25" });
    expect(provider.replies).toHaveLength(1);
    expect(provider.replies[0]!.inReplyToMessageId).toBe("m1");
  });
});
}
