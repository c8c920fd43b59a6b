// createApp(deps): the one Hono app both entries serve. It reads no environment
// and opens nothing; the entries hand in the database, clock, providers and auth.
import { Hono, type MiddlewareHandler, type TypedResponse } from "hono";
import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import { describeRoute, openAPIRouteHandler, resolver, uniqueSymbol, validator, type DescribeRouteOptions } from "hono-openapi";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { ERROR_CODES, KeptError, type ErrorCode } from "../core/errors";
import { detect } from "../core/detect/index";
import { validateTemplateBody } from "../core/templates";
import { snoozeUntil } from "../core/policy";
import { isLocalDate, localDateOf } from "../core/time";
import { normaliseAddress, type WorkSettings } from "../core/model";
import { accountFor, type Identity } from "./accounts";
import type { Authenticator } from "./auth";
import { schema, type Db } from "./db";
import { Ledger, type DetectionSummary, type LedgerDeps } from "./ledger";
import type { PanelCache } from "./panel-cache";
import { getCommitment, history, listCommitments, panelFor, settingsOf, templatesFor, view, type AccountRow, type PanelView } from "./store";
import { summarise } from "./summary";
import { feedUrl, mountFeed, newFeedToken } from "./feed";
import { zCommitmentDetail, zCommitmentList, zMe, zPanel, zSummary } from "./api-shapes";

export interface AppDeps extends Omit<LedgerDeps, "db"> {
  db: Db;
  auth: Authenticator;
  /** Extra routes mounted by the entry (the dashboard and feed, for example). */
  mount?: (app: Hono<KeptEnv>) => void;
  version?: string;
  /** Settings for the local account when it is first made (the machine's zone and locale). */
  localDefaults?: Partial<WorkSettings>;
  /** Side panels kept in memory while the database is unchanged (the embedded database only). */
  panels?: PanelCache;
}

export type KeptEnv = { Variables: { account: AccountRow; identity: Identity } };

const MAX_BODY = 2 * 1024 * 1024;

/** What acting on a promise can answer besides success. */
const ACT_ERRORS = {
  400: true,
  404: true,
  409: "The promise is not in a state for this (already kept, say), or was replaced by an update",
  413: true,
} as const satisfies Partial<Record<Failure, string | true>>;

/** A response whose JSON was made elsewhere (the database), typed for hc<AppType>. */
type JSONResponse<T> = Response & TypedResponse<T, 200, "json">;

const zCounterpart = z.object({ name: z.string().max(200).nullable().default(null), address: z.string().email().max(320) });
const zId = z.object({ id: z.string().min(1).max(100) });

/** The one shape of every error the API answers with, whatever the route or status. */
export const zApiError = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).describe("What kind of error: one code per HTTP status"),
      message: z.string().describe("What went wrong and what to do about it, in words a user can read"),
      details: z.unknown().nullable().describe('More for programs, or null: a 400 from validation has { "issues": ["field: problem", …] }'),
    }),
  })
  .meta({ id: "Error", description: "An error: its code, a message that says what to do, and details or null" });

/** The failures a route can answer with, and what each means there. */
export type Failure = 400 | 401 | 403 | 404 | 409 | 413 | 500 | 501;
const FAILURE: Record<Failure, string> = {
  400: "The request is not valid (a field, a query parameter, or a body that is not JSON); the message names what to change",
  401: "No valid sign-in: the bearer token is missing, expired or not for Kept. Sign in again from the add-in",
  403: "Not allowed here: local mode answers only on localhost and only takes changes from Kept's own pages; or the organisation is not enabled",
  404: "No such item on your account",
  409: "The item is not in a state for this",
  413: "The request body is over 2 MB",
  500: "A problem on Kept's side; nothing was changed. Try again",
  501: "Not available on this server",
};

/**
 * describeRoute for an /api route: its success response and its error responses,
 * every error in the one shape (zApiError). 401, 403 and 500 can come from every
 * route; `errors` adds the rest, with a description of its own where it says more.
 */
export function apiRoute(
  summary: string,
  opts: {
    description?: string;
    ok: string | { status: 200 | 201; description: string; media?: string; schema?: z.ZodType; also?: { status: 200 | 201; description: string } };
    errors?: Partial<Record<Failure, string | true | undefined>>;
    /** For a body no validator describes (an upload). */
    requestBody?: DescribeRouteOptions["requestBody"];
  },
) {
  const ok = typeof opts.ok === "string" ? { status: 200 as const, description: opts.ok } : opts.ok;
  const responses: NonNullable<DescribeRouteOptions["responses"]> = {
    [ok.status]: { description: ok.description, content: { [ok.media ?? "application/json"]: "schema" in ok && ok.schema ? { schema: resolver(ok.schema) } : {} } },
  };
  if (ok.also) responses[ok.also.status] = { description: ok.also.description, content: { "application/json": {} } };
  const failures: Partial<Record<Failure, string | true | undefined>> = { 401: true, 403: true, ...opts.errors, 500: opts.errors?.[500] ?? true };
  for (const [status, text] of Object.entries(failures)) {
    if (text === undefined) continue;
    const description = text === true ? FAILURE[Number(status) as Failure] : text;
    responses[status] = { description, content: { "application/json": { schema: resolver(zApiError) } } };
  }
  return describeRoute({ summary, ...(opts.description ? { description: opts.description } : {}), ...(opts.requestBody ? { requestBody: opts.requestBody } : {}), responses });
}

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;

/** zod validation of one part of the request, answering 400 in the one error shape with the fields named. */
export function check<T extends z.ZodType, Target extends "json" | "query" | "param" | "header">(target: Target, schema: T) {
  const part = target === "json" ? "body is" : target === "header" ? "headers are" : `${target} is`;
  const validate = validator(target, schema, (result) => {
    if (!result.success) {
      const issues = (result.error as ReadonlyArray<{ path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>; message: string }>).map((i) => {
        const path = (i.path ?? []).map((p) => (typeof p === "object" ? String(p.key) : String(p))).join(".");
        return path ? `${path}: ${i.message}` : i.message;
      });
      throw new KeptError("bad_request", `The request's ${part} not valid: ${issues.join("; ")}.`, { issues });
    }
  });
  if (target !== "json") return validate;
  // The validator turns a body that does not parse into "Malformed JSON in request
  // body"; read it first (the request keeps what it read) to say why, and what to send.
  const readJson: typeof validate = async (c, next) => {
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim();
    if (JSON_MEDIA.test(type)) {
      try {
        await c.req.json();
      } catch (e) {
        const why = e instanceof Error && e.message ? e.message.replace(/\.$/, "") : "it does not parse";
        throw new KeptError("bad_request", `The request body is not valid JSON: ${why}. Send a JSON object, with Content-Type: application/json.`);
      }
    } else if (Number(c.req.header("content-length") ?? 0) > 0 || c.req.header("transfer-encoding")) {
      // A body of another type would be read as no fields at all: say so instead.
      throw new KeptError("bad_request", `The request body must be JSON, with Content-Type: application/json; it came as ${type ? `"${type}"` : "no Content-Type"}.`);
    }
    return validate(c, next);
  };
  // Keeps what hono-openapi reads from the validator, so the body is still documented.
  return Object.assign(readJson, { [uniqueSymbol]: (validate as unknown as Record<typeof uniqueSymbol, unknown>)[uniqueSymbol] });
}

export function createApp(deps: AppDeps) {
  const ledger = new Ledger(deps);
  const db = deps.db;
  const app = new Hono<KeptEnv>();
  // The time zone of each account the side panel has read, by identity.
  const zones = new Map<string, string>();
  const readPanel = deps.panels?.panelFor ?? panelFor;

  app.onError((err, c) => {
    if (err instanceof KeptError) return c.json({ error: { code: err.code, message: err.message, details: err.details ?? null } }, err.status as 400);
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = status === 413 ? "payload_too_large" : status === 401 ? "unauthorized" : "bad_request";
      const message = status === 413 ? "The request is too large; send at most 2 MB." : err.message || "The request could not be read.";
      return c.json({ error: { code, message, details: null } }, status);
    }
    console.error("unhandled error", err);
    return c.json({ error: { code: "internal", message: "Something went wrong on Kept's side; nothing was changed. Try again.", details: null } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: "not_found", message: `No route ${c.req.method} ${new URL(c.req.url).pathname}. See /openapi.json for the API.`, details: null } }, 404));

  app.get("/health", async (c) => {
    await db.run(sql`select 1`);
    const [{ pending }] = await db.select({ pending: sql<number>`count(*)` }).from(schema.outbox).where(eq(schema.outbox.state, "pending"));
    return c.json({ ok: true, version: deps.version ?? "dev", outboxPending: Number(pending) });
  });

  const zStatus = z.enum(["open", "snoozed", "kept", "dismissed"]);
  const zMessageBody = z.object({
    threadId: z.string().min(1).max(500),
    messageId: z.string().min(1).max(500),
    internetMessageId: z.string().max(998).nullable().default(null),
    subject: z.string().max(998).default(""),
    to: z.array(zCounterpart).max(500).default([]),
    cc: z.array(zCounterpart).max(500).default([]),
    sentAt: z.iso.datetime({ offset: true }),
    text: z.string().max(MAX_BODY).optional(),
    html: z.string().max(MAX_BODY).optional(),
  });
  const api = new Hono<KeptEnv>()

  // ── The side panel: everything owed to one person ──
  // Ahead of requireAccount: its one statement finds the account as well, so a
  // panel is one round trip to the database (to Turso, from Workers).
  .get(
    "/panel",
    requireIdentity(deps),
    apiRoute("What the user owes this person: on this thread and others, plus check-ins", {
      ok: { status: 200, schema: zPanel, description: "The side panel: promises to this person on this thread (thisThread) and others (otherThreads), recently closed ones, check-ins with them, and the update templates" },
      errors: { 400: true },
    }),
    check("query", z.object({ counterpart: z.string().max(320), threadId: z.string().max(500).optional() })),
    async (c) => {
      const identity = c.get("identity");
      const q = c.req.valid("query");
      const now = deps.clock();
      const key = `${identity.provider} ${identity.tenantId} ${identity.subject}`;
      // "Overdue" depends on the day in the user's zone: take the zone seen last
      // time, and read again in the one the account has if that makes another day.
      let zone = zones.get(key) ?? deps.localDefaults?.timeZone ?? "UTC";
      for (let attempt = 0; ; attempt++) {
        const today = localDateOf(now, zone);
        const panel = await readPanel(db, identity, q.counterpart, q.threadId ?? null, today);
        if (!panel.account) {
          // First sight, as on every other route: make the account, then read.
          zone = (await accountFor(db, identity, deps.newId, identity.provider === "local" ? deps.localDefaults : {})).timeZone;
          if (attempt < 2) continue;
        } else {
          zone = panel.account.timeZone;
          if (zones.size >= 10_000 && !zones.has(key)) zones.delete(zones.keys().next().value!);
          zones.set(key, zone);
          if (attempt < 2 && localDateOf(now, zone) !== today) continue;
        }
        // The statement returns the response's JSON; typed as the JSON it is for the typed client.
        return c.body(panel.json, 200, { "content-type": "application/json" }) as unknown as JSONResponse<PanelView>;
      }
    },
  )

    .use("*", requireAccount(deps))

  // ── Account ──
  .get("/me", apiRoute("The signed-in account and its settings", { ok: { status: 200, schema: zMe, description: "The account: id, provider, email, the addresses that are the user's, and settings" } }), (c) => {
    const a = c.get("account");
    return c.json({ id: a.id, provider: a.provider, email: a.email, addresses: a.addresses, settings: settingsOf(a) });
  })

  .patch(
    "/settings",
    apiRoute("Change working hours, time zone, locale and reminder settings; a new zone, working days or hours moves the follow-ups already planned", {
      ok: "The settings now, the user's addresses, and how many planned follow-ups and check-ins moved (rescheduled)",
      errors: { 400: true, 413: true },
    }),
    check(
      "json",
      z
        .object({
          timeZone: z.string().max(64),
          locale: z.string().max(35),
          workDays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
          dayStart: z.string().max(5),
          dayEnd: z.string().max(5),
          defaultDelayWorkingDays: z.number().int().min(1).max(20),
          escalationWorkingDays: z.array(z.number().int().min(1).max(20)).min(1).max(10),
          eventMinutes: z.number().int().min(5).max(120),
          checkInDays: z.number().int().min(1).max(730),
          displayName: z.string().max(200).nullable(),
          addresses: z.array(z.string().email()).max(50),
        })
        .partial()
        .strict(),
    ),
    async (c) => {
      // A new zone, working days or hours moves the follow-ups and check-ins already planned.
      const { account: a, rescheduled } = await ledger.updateSettings(c.get("account").id, c.req.valid("json"));
      return c.json({ settings: settingsOf(a), addresses: a.addresses, rescheduled: rescheduled ?? { followUps: 0, checkIns: 0 } });
    },
  )

  // ── Commitments ──
  .get(
    "/commitments",
    apiRoute("List promises: by thread, counterpart, status, or overdue", {
      description:
        "Newest first, a page at a time (pass nextCursor back as cursor). Filters combine. `status` takes a comma-separated list of open, snoozed, kept, dismissed. " +
        "`overdue` filters on each item's own `overdue` field. `overdue=true`: the promises still to keep (open or snoozed) whose due date is before today in the user's time zone. " +
        "`overdue=false`: every other promise, that is open or snoozed and due today or later, or kept, or dismissed; " +
        "add `status=open,snoozed` for the ones still to keep that are not late yet. Without `overdue`, late or not makes no difference.",
      ok: { status: 200, schema: zCommitmentList, description: "A page of promises, newest first (items, each with overdue and chased), and nextCursor: the cursor for the next page, or null" },
      errors: { 400: true },
    }),
    check(
      "query",
      z.object({
        threadId: z.string().max(500).optional(),
        counterpart: z.string().max(320).optional(),
        status: z
          .string()
          .optional()
          .transform((v) => (v ? v.split(",") : undefined))
          .pipe(z.array(zStatus).optional()),
        overdue: z.enum(["true", "false"]).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        cursor: z.string().max(200).optional(),
      }),
    ),
    async (c) => {
      const q = c.req.valid("query");
      const account = c.get("account");
      const s = settingsOf(account);
      const today = localDateOf(deps.clock(), s.timeZone);
      let before: { sentAt: number; id: string } | undefined;
      if (q.cursor) {
        const [at, id] = q.cursor.split("~");
        if (!at || !id || !/^\d+$/.test(at)) throw new KeptError("bad_request", "The cursor is not one Kept gave out; start again without it.");
        before = { sentAt: Number(at), id };
      }
      const rows = await listCommitments(db, account.id, {
        threadId: q.threadId,
        counterpart: q.counterpart,
        status: q.status,
        overdue: q.overdue ? { today, is: q.overdue === "true" } : undefined,
        before,
        limit: q.limit + 1,
      });
      const items = rows;
      const page = items.slice(0, q.limit);
      const last = page[page.length - 1];
      return c.json({
        items: page.map((x) => view(x, today)),
        nextCursor: items.length > q.limit && last ? `${last.sentAt}~${last.id}` : null,
      });
    },
  )

  .get("/commitments/:id", apiRoute("One promise with its history and calendar events", { ok: { status: 200, schema: zCommitmentDetail, description: "The promise, its history and its calendar events" }, errors: { 400: true, 404: true } }), check("param", zId), async (c) => {
    const account = c.get("account");
    const item = await getCommitment(db, account.id, c.req.valid("param").id);
    if (!item) throw new KeptError("not_found", "No such promise on your account. It may have been removed; reload the list.");
    const events = await db
      .select({ id: schema.reminders.id, startsAt: schema.reminders.startsAt, state: schema.reminders.state, title: schema.reminders.title })
      .from(schema.reminders)
      .where(eq(schema.reminders.commitmentId, item.id))
      .orderBy(asc(schema.reminders.startsAt));
    const today = localDateOf(deps.clock(), settingsOf(account).timeZone);
    return c.json({ ...view(item, today), history: await history(db, item.id), events });
  })

  .post("/commitments/:id/keep", apiRoute("Mark a promise kept", { ok: "The promise, now kept", errors: ACT_ERRORS }), check("param", zId), async (c) => {
    return c.json(await ledger.act(c.get("account").id, c.req.valid("param").id, { type: "keep" }));
  })
  .post("/commitments/:id/reopen", apiRoute("Reopen a kept or dismissed promise", { ok: "The promise, open again", errors: ACT_ERRORS }), check("param", zId), async (c) => {
    return c.json(await ledger.act(c.get("account").id, c.req.valid("param").id, { type: "reopen" }));
  })
  .post(
    "/commitments/:id/dismiss",
    apiRoute("Not a promise, or no longer needed", { ok: "The promise, now dismissed", errors: ACT_ERRORS }),
    check("param", zId),
    check("json", z.object({ reason: z.enum(["not-a-promise", "no-longer-needed"]).default("not-a-promise") })),
    async (c) => c.json(await ledger.act(c.get("account").id, c.req.valid("param").id, { type: "dismiss", reason: c.req.valid("json").reason })),
  )
  .post(
    "/commitments/:id/snooze",
    apiRoute("Snooze until a time or a preset", { ok: "The promise, snoozed until the time given", errors: ACT_ERRORS }),
    check("param", zId),
    check(
      "json",
      z.union([
        z.object({ until: z.iso.datetime({ offset: true }) }),
        z.object({ preset: z.enum(["later-today", "tomorrow", "in-3-days", "next-week"]) }),
      ]),
    ),
    async (c) => {
      const body = c.req.valid("json");
      const s = settingsOf(c.get("account"));
      const until = "until" in body ? Date.parse(body.until) : snoozeUntil(deps.clock(), body.preset, s);
      return c.json(await ledger.act(c.get("account").id, c.req.valid("param").id, { type: "snooze", until }));
    },
  )
  .post(
    "/commitments/:id/renew",
    apiRoute("Send a 'no news yet' update from a template: keeps this promise and opens a new one", {
      ok: "The old promise (kept), the renewed one, and the reply: queued to send, or to compose where Kept cannot send (with a mailto link)",
      errors: { ...ACT_ERRORS, 404: "No such promise, or no template with that id, on your account" },
    }),
    check("param", zId),
    check(
      "json",
      z.object({
        templateId: z.string().min(1).max(100).default("general-no-news"),
        nextUpdateDate: z.string().refine(isLocalDate, "must be a date as YYYY-MM-DD"),
        body: z.string().max(10_000).optional(),
      }),
    ),
    async (c) => {
      const input = c.req.valid("json");
      if (input.body !== undefined) validateTemplateBody(input.body);
      return c.json(await ledger.renewWithUpdate(c.get("account").id, c.req.valid("param").id, input));
    },
  )

  // ── Messages in (send-time check, and any client that sees sent mail) ──
  .post(
    "/messages/sent",
    apiRoute("A message the user sent: keeps what it answers, records the promises in it. The body is read, never stored.", {
      ok: { status: 201, description: "Promises were found: the ones created, and those the message kept", also: { status: 200, description: "No new promise: what the message kept, or duplicate: true for a message already seen" } },
      errors: { 400: true, 413: true },
    }),
    check("json", zMessageBody),
    async (c) => {
      const m = c.req.valid("json");
      if (m.text === undefined && m.html === undefined) throw new KeptError("bad_request", "Send the message body as text or html so Kept can look for promises in it.");
      const account = c.get("account");
      const s = settingsOf(account);
      const sentAt = Date.parse(m.sentAt);
      const found = detect({ text: m.text, html: m.html, sentAt, timeZone: s.timeZone, locale: s.locale, subject: m.subject });
      const summary: DetectionSummary = {
        commitments: found.commitments.map((x) => ({ sentence: x.sentence, trigger: x.trigger, kind: x.kind, dueDate: x.dueDate })),
        badNews: found.badNews ? { sentence: found.badNews.sentence } : null,
        autoReply: found.autoReply,
      };
      const r = await ledger.recordSent(account.id, { ...m, sentAt }, summary, "send-time");
      return c.json(r, r.created.length > 0 ? 201 : 200);
    },
  )
  .post(
    "/messages/received",
    apiRoute("A message from someone else on a thread: chases what the user owes them", { ok: "The promises this message chased, or duplicate: true for a message already seen", errors: { 400: true, 413: true } }),
    check(
      "json",
      z.object({
        threadId: z.string().min(1).max(500),
        messageId: z.string().min(1).max(500),
        from: zCounterpart,
        subject: z.string().max(998).default(""),
        receivedAt: z.iso.datetime({ offset: true }),
      }),
    ),
    async (c) => {
      const m = c.req.valid("json");
      return c.json(await ledger.recordReceived(c.get("account").id, { ...m, receivedAt: Date.parse(m.receivedAt) }));
    },
  )
  .post(
    "/detect",
    apiRoute("Preview what Kept finds in a draft; nothing is stored", { ok: "The promises found, bad news, and whether it reads as an automatic reply", errors: { 400: true, 413: true } }),
    check("json", z.object({ text: z.string().max(MAX_BODY).optional(), html: z.string().max(MAX_BODY).optional(), sentAt: z.iso.datetime({ offset: true }).optional() })),
    async (c) => {
      const m = c.req.valid("json");
      const s = settingsOf(c.get("account"));
      const found = detect({ text: m.text, html: m.html, sentAt: m.sentAt ? Date.parse(m.sentAt) : deps.clock(), timeZone: s.timeZone, locale: s.locale });
      return c.json({ commitments: found.commitments, badNews: found.badNews, autoReply: found.autoReply });
    },
  )

  // ── Check-ins ──
  .get("/check-ins", apiRoute("Scheduled check-ins", { ok: "The check-ins still to come (items), soonest first" }), async (c) => {
    const rows = await db
      .select()
      .from(schema.checkIns)
      .where(and(eq(schema.checkIns.accountId, c.get("account").id), eq(schema.checkIns.status, "scheduled")))
      .orderBy(asc(schema.checkIns.dueAt))
      .limit(500);
    return c.json({ items: rows });
  })
  .post(
    "/check-ins",
    apiRoute("Schedule a check-in with a contact N days out (default 90)", {
      ok: { status: 201, description: "The check-in scheduled" },
      errors: { 400: true, 404: "No promise with that commitmentId on your account", 413: true },
    }),
    check(
      "json",
      z.object({
        counterpart: zCounterpart,
        subject: z.string().max(300).default("Checking in"),
        days: z.number().int().min(1).max(730).optional(),
        note: z.string().max(500).optional(),
        commitmentId: z.string().max(100).optional(),
      }),
    ),
    async (c) => {
      const id = await ledger.scheduleCheckIn(c.get("account").id, c.req.valid("json"));
      const [row] = await db.select().from(schema.checkIns).where(eq(schema.checkIns.id, id));
      return c.json(row, 201);
    },
  )
  .delete("/check-ins/:id", apiRoute("Cancel a check-in", { ok: "{ ok: true }: cancelled", errors: { 400: true, 404: true, 409: "The check-in is already done or cancelled", 413: true } }), check("param", zId), async (c) => {
    await ledger.cancelCheckIn(c.get("account").id, c.req.valid("param").id);
    return c.json({ ok: true });
  })

  // ── Templates ──
  .get("/templates", apiRoute("Update templates: the defaults and the user's own", { ok: "The templates (items): Kept's defaults the user has not edited (builtIn: true) and the user's own" }), async (c) => c.json({ items: await templatesFor(db, c.get("account").id) }))
  .put(
    "/templates/:id",
    apiRoute("Create or edit a template; a default's id edits the user's copy of it", { ok: "The template as saved", errors: { 400: "Not valid, or the body names a placeholder Kept does not know", 413: true } }),
    check("param", zId),
    check("json", z.object({ name: z.string().min(1).max(100), tone: z.enum(["recruiter", "general", "backlog"]).default("general"), body: z.string().max(10_000) })),
    async (c) => {
      const { id } = c.req.valid("param");
      const t = c.req.valid("json");
      validateTemplateBody(t.body);
      const accountId = c.get("account").id;
      await db
        .insert(schema.templates)
        .values({ name: t.name, tone: t.tone, body: t.body, id, accountId, updatedAt: deps.clock() })
        .onConflictDoUpdate({ target: [schema.templates.accountId, schema.templates.id], set: { name: t.name, tone: t.tone, body: t.body, updatedAt: deps.clock() } });
      const [row] = await db.select().from(schema.templates).where(and(eq(schema.templates.id, id), eq(schema.templates.accountId, accountId)));
      return c.json(row);
    },
  )
  .delete("/templates/:id", apiRoute("Delete the user's template (a default goes back to Kept's text)", { ok: "{ ok: true }: deleted", errors: { 400: true, 404: "You have no template with that id", 413: true } }), check("param", zId), async (c) => {
    const gone = await db
      .delete(schema.templates)
      .where(and(eq(schema.templates.id, c.req.valid("param").id), eq(schema.templates.accountId, c.get("account").id)))
      .returning({ id: schema.templates.id });
    if (gone.length === 0) throw new KeptError("not_found", "You have no template with that id.");
    return c.json({ ok: true });
  })

  // ── The calendar feed ──
  .get("/feed", apiRoute("The secret address of your follow-up calendar feed (made on first use)", { ok: "The feed's address (url)" }), async (c) =>
    c.json({ url: await feedUrl(db, c.get("account"), deps.publicUrl) }),
  )
  .post("/feed/rotate", apiRoute("Turn off the old feed address and make a new one", { ok: "The new feed address (url); the old one answers 404 from now on", errors: { 413: true } }), async (c) => {
    const token = newFeedToken();
    await db.update(schema.accounts).set({ feedToken: token }).where(eq(schema.accounts.id, c.get("account").id));
    return c.json({ url: `${deps.publicUrl}/feed/${token}.ics` });
  })

  // ── Figures ──
  .get("/summary", apiRoute("Open, overdue, kept on time, median time to get back, weekly made vs kept, waiting times", { ok: { status: 200, schema: zSummary, description: "The figures, counted in the user's time zone" } }), async (c) => {
    const account = c.get("account");
    return c.json(await summarise(db, account, deps.clock()));
  });

  mountFeed(app, deps);
  deps.mount?.(app);
  const routed = app.route("/api", api);

  routed.get(
    "/openapi.json",
    openAPIRouteHandler(app, {
      documentation: {
        info: { title: "Kept API", version: deps.version ?? "dev", description: "The promises in your sent mail, kept on your calendar." },
        components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
        security: [{ bearer: [] }],
      },
      // Every /api route documents its own 400; this is for any that someday does not.
      defaultValidationErrorResponse: { description: FAILURE[400], content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
    }),
  );

  return routed;
}

export type AppType = ReturnType<typeof createApp>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isCrossSite(origin: string | undefined, fetchSite: string | undefined, host: string): boolean {
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return true;
  if (!origin) return false; // not a browser, or a same-origin request from an old one
  try {
    return new URL(origin).host !== host;
  } catch {
    return true; // "null" and other opaque origins
  }
}

/** Middleware: who is calling. Sets c.var.identity. */
export function requireIdentity(deps: Pick<AppDeps, "auth">): MiddlewareHandler<KeptEnv> {
  return async (c, next) => {
    c.set("identity", await deps.auth.identify(c.req.header("authorization"), new URL(c.req.url).host));
    await next();
  };
}

/** Middleware: who is calling, and their account (made on first sight). Sets c.var.account. */
export function requireAccount(deps: Pick<AppDeps, "db" | "auth" | "newId" | "localDefaults">): MiddlewareHandler<KeptEnv> {
  const tooLarge = () => {
    throw new KeptError("payload_too_large", "The request is too large; send at most 2 MB.");
  };
  // Checks Content-Length, and counts the bytes of a chunked body as they arrive.
  const limitBody = bodyLimit({ maxSize: MAX_BODY, onError: tooLarge });
  return async (c, next) => {
    const upload = c.req.path.startsWith("/api/import"); // streams to disk with its own limit
    if (!upload && Number(c.req.header("content-length") ?? 0) > MAX_BODY) tooLarge();
    // The request URL's host: on Node it comes from the Host header, on Workers from the real URL.
    const host = new URL(c.req.url).host;
    const identity = await deps.auth.identify(c.req.header("authorization"), host);
    // Local mode has no token to forge, so a page on another site must not be able to
    // make the browser change anything: browsers say where a request comes from.
    if (identity.provider === "local" && !SAFE_METHODS.has(c.req.method) && isCrossSite(c.req.header("origin"), c.req.header("sec-fetch-site"), host)) {
      throw new KeptError("forbidden", "Kept only accepts changes from its own pages. Open Kept at its own address and try again there.");
    }
    const account = await accountFor(deps.db, identity, deps.newId, identity.provider === "local" ? deps.localDefaults : {});
    c.set("identity", identity);
    c.set("account", account);
    // A GET or HEAD has no body to limit, and asking for one makes the Node adapter build a whole Request.
    if (upload || SAFE_METHODS.has(c.req.method)) await next();
    else await limitBody(c, next);
  };
}

