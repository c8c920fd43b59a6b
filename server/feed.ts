// The ICS feed: each account's follow-ups and check-ins at a secret, revocable
// URL. Cancelled events stay in the feed for a month so subscribed calendars
// remove them; SEQUENCE comes from the reminder's version.
import { and, desc, eq, gt, inArray, or, sql } from "drizzle-orm";
import type { Hono } from "hono";
import type { PlannedEvent } from "../core/ports";
import { schema, type Db } from "./db";
import type { AccountRow } from "./store";
import { CANCELLED_RETENTION_MS, renderFeed, type FeedEvent } from "./ics";

const RECENT_MS = 30 * 86_400_000;

export async function feedEvents(db: Db, accountId: string, now: number): Promise<FeedEvent[]> {
  const r = schema.reminders;
  const rows = await db
    .select({ reminder: r, payload: schema.outbox.payload })
    .from(r)
    .leftJoin(schema.outbox, eq(schema.outbox.key, sql`'event:' || ${r.id}`))
    .where(
      and(
        eq(r.accountId, accountId),
        // The future and the last month: older follow-ups are history, and a long
        // backlog must not push new events out of the feed.
        gt(r.startsAt, now - RECENT_MS),
        or(inArray(r.state, ["pending", "created"]), and(inArray(r.state, ["cancelled", "deleted"]), gt(r.updatedAt, now - CANCELLED_RETENTION_MS))),
      ),
    )
    .orderBy(desc(r.startsAt))
    .limit(5000);
  return rows.reverse().map(({ reminder, payload }) => {
    const spec = (payload?.event ?? null) as PlannedEvent | null;
    return {
      uid: `${reminder.id}@kept`,
      sequence: reminder.version,
      start: reminder.startsAt,
      end: reminder.endsAt,
      timeZone: spec?.timeZone ?? "UTC",
      title: reminder.title,
      description: spec?.description ?? "",
      url: spec?.url ?? null,
      alarmMinutes: spec?.alarmMinutes ?? 0,
      status: reminder.state === "cancelled" || reminder.state === "deleted" ? "cancelled" : "confirmed",
      createdAt: reminder.createdAt,
      updatedAt: reminder.updatedAt,
    };
  });
}

export function mountFeed(app: Hono<any>, deps: { db: Db; clock: () => number }) {
  app.get("/feed/:file", async (c) => {
    const token = c.req.param("file").replace(/\.ics$/, "");
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return c.text("No calendar feed at this address. Copy the link again from Kept's dashboard.", 404);
    const [account] = await deps.db.select().from(schema.accounts).where(eq(schema.accounts.feedToken, token)).limit(1);
    if (!account) return c.text("This calendar link was turned off or replaced. Copy the new link from Kept's dashboard.", 404);
    const events = await feedEvents(deps.db, account.id, deps.clock());
    const body = renderFeed({ calendarName: `Kept follow-ups${account.email ? ` (${account.email})` : ""}`, events });
    return c.body(body, 200, {
      "content-type": "text/calendar; charset=utf-8",
      "cache-control": "private, max-age=300",
      "content-disposition": 'inline; filename="kept.ics"',
    });
  });
}

/** A new unguessable feed token: 32 bytes, URL-safe. */
export function newFeedToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The account's feed address, its secret made on first use. */
export async function feedUrl(db: Db, account: AccountRow, publicUrl: string): Promise<string> {
  let token = account.feedToken;
  if (!token) {
    await db
      .update(schema.accounts)
      .set({ feedToken: newFeedToken() })
      .where(and(eq(schema.accounts.id, account.id), sql`${schema.accounts.feedToken} is null`));
    token = (await db.select({ t: schema.accounts.feedToken }).from(schema.accounts).where(eq(schema.accounts.id, account.id)))[0]!.t!;
  }
  return `${publicUrl}/feed/${token}.ics`;
}
