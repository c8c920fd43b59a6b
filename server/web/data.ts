// What the pages show, read straight from the store with the same rules the API uses.
import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { firstName, type Commitment, type WorkSettings } from "../../core/model";
import type { Template } from "../../core/templates";
import { addWorkingDays } from "../../core/policy";
import { addDays, daysBetween, localDateOf, type LocalDate } from "../../core/time";
import { schema, type Db } from "../db";
import { feedUrl } from "../feed";
import { getCommitment, history, senderName, settingsOf, templatesFor, toCommitment, type AccountRow, type CheckInRow } from "../store";
import { summarise, type Summary } from "../summary";

/** Past due by more than this many days, a promise is "forgotten" and shown apart. */
export const FORGOTTEN_AFTER_DAYS = 14;
/** At most this many promises in each list on the page. */
export const LIST_LIMIT = 500;

/** Open and snoozed promises due on or after `cutoff` (waiting) or before it (forgotten), oldest first, and how many there are. */
async function activePart(db: Db, accountId: string, part: "waiting" | "forgotten", cutoff: LocalDate) {
  const c = schema.commitments;
  const where = and(eq(c.accountId, accountId), inArray(c.status, ["open", "snoozed"]), part === "waiting" ? gte(c.dueDate, cutoff) : lt(c.dueDate, cutoff));
  const rows = await db.select().from(c).where(where).orderBy(asc(c.sentAt), asc(c.id)).limit(LIST_LIMIT);
  const total = rows.length < LIST_LIMIT ? rows.length : Number((await db.select({ n: sql<number>`count(*)` }).from(c).where(where))[0]!.n);
  return { items: rows.map(toCommitment), total };
}

export interface CommitmentView extends Commitment {
  overdue: boolean;
  daysLate: number;
  chased: boolean;
}

/** The values the reply templates fill in, worked out as the ledger does when it renders them. */
export interface TemplateValuesView {
  firstName: string;
  subject: string;
  myName: string;
}

export interface Context {
  account: AccountRow;
  settings: WorkSettings;
  today: LocalDate;
  /** The default "next update" date: three working days from today. */
  nextUpdateDate: LocalDate;
  templates: Array<Template & { builtIn: boolean }>;
  composeOnly: boolean;
}

export interface Dashboard extends Context {
  waiting: CommitmentView[];
  waitingTotal: number;
  forgotten: CommitmentView[];
  forgottenTotal: number;
  /** How many people those promises are to. */
  peopleWaiting: number;
  total: number;
  summary: Summary;
  checkIns: CheckInRow[];
  feedUrl: string;
}

export function viewOf(c: Commitment, today: LocalDate): CommitmentView {
  const active = c.status === "open" || c.status === "snoozed";
  return { ...c, overdue: active && c.dueDate < today, daysLate: Math.max(0, daysBetween(c.dueDate, today)), chased: c.chaseCount > 0 };
}

export function valuesFor(c: Commitment, account: AccountRow): TemplateValuesView {
  const to = c.counterparts[0] ?? { name: null, address: "" };
  return {
    firstName: firstName(to),
    subject: c.subject.replace(/^\s*((re|fw|fwd)\s*:\s*)+/i, "") || "this",
    myName: senderName(account),
  };
}


export async function context(deps: { db: Db; clock: () => number; mail: unknown }, account: AccountRow): Promise<Context> {
  const settings = settingsOf(account);
  const today = localDateOf(deps.clock(), settings.timeZone);
  return {
    account,
    settings,
    today,
    nextUpdateDate: addWorkingDays(today, 3, settings),
    templates: await templatesFor(deps.db, account.id),
    composeOnly: !deps.mail,
  };
}


export async function dashboard(deps: { db: Db; clock: () => number; mail: unknown; publicUrl: string }, account: AccountRow): Promise<Dashboard> {
  const ctx = await context(deps, account);
  // Waiting and forgotten are read apart, each oldest first, so a long backlog
  // can't push either list off the page; the counts are of everything.
  const cutoff = addDays(ctx.today, -FORGOTTEN_AFTER_DAYS); // due before it: forgotten
  const [waiting, forgotten] = await Promise.all([activePart(deps.db, account.id, "waiting", cutoff), activePart(deps.db, account.id, "forgotten", cutoff)]);
  const c = schema.commitments;
  const [{ people }] = await deps.db
    .select({ people: sql<number>`count(distinct ${c.counterpartAddress})` })
    .from(c)
    .where(and(eq(c.accountId, account.id), inArray(c.status, ["open", "snoozed"])));
  const [{ total }] = await deps.db.select({ total: sql<number>`count(*)` }).from(schema.commitments).where(eq(schema.commitments.accountId, account.id));
  const checkIns = await deps.db
    .select()
    .from(schema.checkIns)
    .where(and(eq(schema.checkIns.accountId, account.id), eq(schema.checkIns.status, "scheduled")))
    .orderBy(asc(schema.checkIns.dueAt))
    .limit(20);
  return {
    ...ctx,
    waiting: waiting.items.map((c) => viewOf(c, ctx.today)),
    waitingTotal: waiting.total,
    forgotten: forgotten.items.map((c) => viewOf(c, ctx.today)),
    forgottenTotal: forgotten.total,
    peopleWaiting: Number(people),
    total: Number(total),
    summary: await summarise(deps.db, account, deps.clock()),
    checkIns,
    feedUrl: await feedUrl(deps.db, account, deps.publicUrl),
  };
}

export interface CommitmentPage extends Context {
  item: CommitmentView;
  history: Awaited<ReturnType<typeof history>>;
  events: Array<{ id: string; startsAt: number; state: string; title: string }>;
  renewedTo: Commitment | null;
}

export async function commitmentPage(deps: { db: Db; clock: () => number; mail: unknown }, account: AccountRow, id: string): Promise<CommitmentPage | null> {
  const found = await getCommitment(deps.db, account.id, id);
  if (!found) return null;
  const ctx = await context(deps, account);
  const events = await deps.db
    .select({ id: schema.reminders.id, startsAt: schema.reminders.startsAt, state: schema.reminders.state, title: schema.reminders.title })
    .from(schema.reminders)
    .where(eq(schema.reminders.commitmentId, found.id))
    .orderBy(asc(schema.reminders.startsAt));
  return {
    ...ctx,
    item: viewOf(found, ctx.today),
    history: await history(deps.db, found.id),
    events,
    renewedTo: found.renewedToId ? ((await getCommitment(deps.db, account.id, found.renewedToId)) ?? null) : null,
  };
}
