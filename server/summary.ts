// The figures on the dashboard: open, overdue, kept on time, median time to get
// back, promises made vs kept per week, and how long people waited.
import { and, eq, gte, isNotNull, sql } from "drizzle-orm";
import { addDays, daysBetween, localDateOf, weekdayOf } from "../core/time";
import { schema, type Db } from "./db";
import { settingsOf, type AccountRow } from "./store";

export interface Summary {
  open: number;
  overdue: number;
  chased: number;
  kept: number;
  keptOnTime: number;
  keptOnTimeRate: number | null;
  medianHoursToGetBack: number | null;
  weekly: Array<{ weekStart: string; made: number; kept: number }>;
  waited: Array<{ label: string; count: number }>;
  /**
   * Calendar events and updates Kept has not got through to the provider yet:
   * `delayed` are being retried (an outage, a 429), `failed` were refused in the
   * last 30 days (their promises' histories say which), with the latest reason.
   */
  delivery: { delayed: number; failed: number; lastError: string | null };
}

const BUCKETS: Array<{ label: string; max: number }> = [
  { label: "same day", max: 0 },
  { label: "1–2 days", max: 2 },
  { label: "3–7 days", max: 7 },
  { label: "1–2 weeks", max: 14 },
  { label: "2–4 weeks", max: 28 },
  { label: "over 4 weeks", max: Infinity },
];

export async function summarise(db: Db, account: AccountRow, now: number, weeks = 12): Promise<Summary> {
  const s = settingsOf(account);
  const c = schema.commitments;
  const today = localDateOf(now, s.timeZone);
  const [counts] = await db
    .select({
      open: sql<number>`sum(case when ${c.status} in ('open','snoozed') then 1 else 0 end)`,
      overdue: sql<number>`sum(case when ${c.status} in ('open','snoozed') and ${c.dueDate} < ${today} then 1 else 0 end)`,
      chased: sql<number>`sum(case when ${c.status} in ('open','snoozed') and ${c.chaseCount} > 0 then 1 else 0 end)`,
    })
    .from(c)
    .where(eq(c.accountId, account.id));

  // Kept promises, with when they were made and kept: the rest is arithmetic in the user's zone.
  const kept = await db
    .select({ sentAt: c.sentAt, keptAt: c.keptAt, dueDate: c.dueDate })
    .from(c)
    .where(and(eq(c.accountId, account.id), eq(c.status, "kept"), isNotNull(c.keptAt)));
  let onTime = 0;
  const hours: number[] = [];
  const waitedDays: number[] = [];
  for (const k of kept) {
    const keptDate = localDateOf(k.keptAt!, s.timeZone);
    if (keptDate <= k.dueDate) onTime++;
    hours.push((k.keptAt! - k.sentAt) / 3_600_000);
    waitedDays.push(daysBetween(localDateOf(k.sentAt, s.timeZone), keptDate));
  }
  hours.sort((a, b) => a - b);
  const median = hours.length === 0 ? null : hours.length % 2 ? hours[(hours.length - 1) / 2]! : (hours[hours.length / 2 - 1]! + hours[hours.length / 2]!) / 2;

  const thisMonday = addDays(today, 1 - weekdayOf(today));
  const firstMonday = addDays(thisMonday, -7 * (weeks - 1));
  const weekly = Array.from({ length: weeks }, (_, i) => ({ weekStart: addDays(firstMonday, 7 * i), made: 0, kept: 0 }));
  const since = now - (weeks + 1) * 7 * 86_400_000;
  const recent = await db
    .select({ sentAt: c.sentAt, keptAt: c.keptAt, status: c.status })
    .from(c)
    // Made: every promise but those the user said were none, and updates that never went out.
    .where(and(eq(c.accountId, account.id), gte(c.sentAt, since), sql`not (${c.status} = 'dismissed' and coalesce(${c.dismissedReason}, '') in ('not-a-promise', 'update-not-sent'))`));
  const weekIndex = (ms: number) => Math.floor(daysBetween(firstMonday, localDateOf(ms, s.timeZone)) / 7);
  for (const r of recent) {
    const i = weekIndex(r.sentAt);
    if (i >= 0 && i < weeks) weekly[i]!.made++;
  }
  for (const k of kept) {
    const i = weekIndex(k.keptAt!);
    if (i >= 0 && i < weeks) weekly[i]!.kept++;
  }
  const waited = BUCKETS.map((b) => ({ label: b.label, count: 0 }));
  for (const d of waitedDays) waited[BUCKETS.findIndex((b) => d <= b.max)]!.count++;

  const o = schema.outbox;
  const troubled = await db
    .select({ state: o.state, lastError: o.lastError })
    .from(o)
    .where(
      and(
        eq(o.accountId, account.id),
        sql`((${o.state} = 'pending' and ${o.lastError} is not null) or (${o.state} in ('refused', 'failed') and ${o.updatedAt} >= ${now - 30 * 86_400_000}))`,
      ),
    )
    .orderBy(sql`${o.updatedAt} desc`);
  const delivery = {
    delayed: troubled.filter((t) => t.state === "pending").length,
    failed: troubled.filter((t) => t.state !== "pending").length,
    lastError: troubled[0]?.lastError ?? null,
  };

  return {
    delivery,
    open: Number(counts?.open ?? 0),
    overdue: Number(counts?.overdue ?? 0),
    chased: Number(counts?.chased ?? 0),
    kept: kept.length,
    keptOnTime: onTime,
    keptOnTimeRate: kept.length ? onTime / kept.length : null,
    medianHoursToGetBack: median,
    weekly,
    waited,
  };
}
