// Row ↔ domain mapping and the queries every part of the server shares.
// Every query that reads a user's data takes the account id: nothing here can
// reach another account's rows.
import { and, asc, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Identity } from "./accounts";
import { DEFAULT_SETTINGS, type Commitment, type HistoryEntry, type WorkSettings } from "../core/model";
import { DEFAULT_TEMPLATES, type Template } from "../core/templates";
import type { AccountRef } from "../core/ports";
import { schema, type Db, type Tx } from "./db";

type Conn = Db | Tx;

export type AccountRow = typeof schema.accounts.$inferSelect;
export type CommitmentRow = typeof schema.commitments.$inferSelect;
export type ReminderRow = typeof schema.reminders.$inferSelect;
export type CheckInRow = typeof schema.checkIns.$inferSelect;
export type OutboxRow = typeof schema.outbox.$inferSelect;

export function settingsOf(a: AccountRow): WorkSettings {
  const extra = (a.settings ?? {}) as Partial<WorkSettings>;
  return {
    ...DEFAULT_SETTINGS,
    ...extra,
    timeZone: a.timeZone,
    locale: a.locale,
    workDays: a.workDays,
    dayStart: a.dayStart,
    dayEnd: a.dayEnd,
    displayName: a.displayName,
  };
}

export function accountRef(a: AccountRow): AccountRef {
  return { id: a.id, provider: a.provider, email: a.email };
}

export function toCommitment(r: CommitmentRow): Commitment {
  return {
    id: r.id,
    accountId: r.accountId,
    provider: r.provider,
    threadId: r.threadId,
    messageId: r.messageId,
    internetMessageId: r.internetMessageId,
    counterparts: r.counterparts,
    subject: r.subject,
    sentence: r.sentence,
    trigger: r.trigger,
    kind: r.kind,
    sentAt: r.sentAt,
    dueDate: r.dueDate,
    dueStated: r.dueStated,
    status: r.status,
    snoozedUntil: r.snoozedUntil,
    chasedAt: r.chasedAt,
    chaseCount: r.chaseCount,
    keptAt: r.keptAt,
    keptMessageId: r.keptMessageId,
    dismissedReason: r.dismissedReason,
    renewedFromId: r.renewedFromId,
    renewedToId: r.renewedToId,
    nextReminderAt: r.nextReminderAt,
    reminderCount: r.reminderCount,
    source: r.source,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function toRow(c: Commitment): CommitmentRow {
  const primary = c.counterparts[0] ?? { name: null, address: "" };
  return { ...c, counterpartAddress: primary.address, counterpartName: primary.name };
}

export async function getAccount(conn: Conn, accountId: string): Promise<AccountRow | undefined> {
  const [row] = await conn.select().from(schema.accounts).where(eq(schema.accounts.id, accountId)).limit(1);
  return row;
}

export async function getCommitment(conn: Conn, accountId: string, id: string): Promise<Commitment | undefined> {
  const [row] = await conn
    .select()
    .from(schema.commitments)
    .where(and(eq(schema.commitments.accountId, accountId), eq(schema.commitments.id, id)))
    .limit(1);
  return row ? toCommitment(row) : undefined;
}

export async function history(conn: Conn, commitmentId: string): Promise<HistoryEntry[]> {
  const rows = await conn
    .select()
    .from(schema.commitmentHistory)
    .where(eq(schema.commitmentHistory.commitmentId, commitmentId))
    .orderBy(asc(schema.commitmentHistory.at), asc(schema.commitmentHistory.id));
  return rows.map((r) => ({ at: r.at, type: r.type as HistoryEntry["type"], detail: r.detail }));
}

export interface CommitmentFilter {
  threadId?: string;
  counterpart?: string;
  status?: Array<Commitment["status"]>;
  overdueOn?: string; // local date: due before it
  limit: number;
  before?: { sentAt: number; id: string }; // keyset cursor
}

export async function listCommitments(conn: Conn, accountId: string, f: CommitmentFilter): Promise<Commitment[]> {
  const c = schema.commitments;
  const where: SQL[] = [eq(c.accountId, accountId)];
  if (f.threadId) where.push(eq(c.threadId, f.threadId));
  if (f.counterpart) where.push(eq(c.counterpartAddress, f.counterpart.toLowerCase()));
  if (f.status?.length) where.push(inArray(c.status, f.status));
  if (f.overdueOn) where.push(lt(c.dueDate, f.overdueOn));
  if (f.before) where.push(sql`(${c.sentAt}, ${c.id}) < (${f.before.sentAt}, ${f.before.id})`);
  const rows = await conn
    .select()
    .from(c)
    .where(and(...where))
    .orderBy(desc(c.sentAt), desc(c.id))
    .limit(f.limit);
  return rows.map(toCommitment);
}

/** The templates a user can pick: Kept's defaults (unless they edited their own copy) and theirs. */
export async function templatesFor(db: Db, accountId: string): Promise<Array<Template & { builtIn: boolean }>> {
  const own = await preparedFor(db).ownTemplates.execute({ accountId });
  const ownIds = new Set(own.map((t) => t.id));
  return [
    ...DEFAULT_TEMPLATES.filter((t) => !ownIds.has(t.id)).map((t) => ({ ...t, builtIn: true })),
    ...own.map((t) => ({ id: t.id, name: t.name, tone: t.tone, body: t.body, builtIn: false })),
  ];
}

// ── The side panel's hot path: prepared once per database, so a request pays
// for running its queries and not for building their SQL again.

function buildPrepared(db: Db) {
  const c = schema.commitments;
  const ph = sql.placeholder;
  return {
    accountByIdentity: db
      .select()
      .from(schema.accounts)
      .where(and(eq(schema.accounts.provider, ph("provider")), eq(schema.accounts.tenantId, ph("tenantId")), eq(schema.accounts.subject, ph("subject"))))
      .limit(1)
      .prepare(),
    byCounterpart: db
      .select()
      .from(c)
      .where(and(eq(c.accountId, ph("accountId")), eq(c.counterpartAddress, ph("counterpart"))))
      .orderBy(desc(c.sentAt), desc(c.id))
      .limit(ph("limit"))
      .prepare(),
    checkInsFor: db
      .select()
      .from(schema.checkIns)
      .where(and(eq(schema.checkIns.accountId, ph("accountId")), eq(schema.checkIns.counterpartAddress, ph("counterpart")), eq(schema.checkIns.status, "scheduled")))
      .orderBy(asc(schema.checkIns.dueAt))
      .prepare(),
    ownTemplates: db.select().from(schema.templates).where(eq(schema.templates.accountId, ph("accountId"))).orderBy(asc(schema.templates.name)).prepare(),
  };
}

/** `build(conn)` once per connection or transaction, remembered while it lives. */
export function perConnection<C extends object, T>(build: (conn: C) => T): (conn: C) => T {
  const made = new WeakMap<C, T>();
  return (conn) => {
    let value = made.get(conn);
    if (value === undefined) {
      value = build(conn);
      made.set(conn, value);
    }
    return value;
  };
}

const preparedFor = perConnection(buildPrepared);

export async function findAccount(db: Db, identity: Pick<Identity, "provider" | "tenantId" | "subject">): Promise<AccountRow | undefined> {
  const [row] = await preparedFor(db).accountByIdentity.execute(identity);
  return row;
}

/** Everything promised to one person, newest first. */
export async function commitmentsFor(db: Db, accountId: string, counterpart: string, limit = 100): Promise<Commitment[]> {
  return (await preparedFor(db).byCounterpart.execute({ accountId, counterpart: counterpart.toLowerCase(), limit })).map(toCommitment);
}

export async function checkInsFor(db: Db, accountId: string, counterpart: string): Promise<CheckInRow[]> {
  return preparedFor(db).checkInsFor.execute({ accountId, counterpart: counterpart.toLowerCase() });
}

/** How the user signs an update: their name, or one made from their address ("sam.taylor@…" → "Sam Taylor"). */
export function senderName(a: Pick<AccountRow, "displayName" | "email" | "addresses">): string {
  if (a.displayName?.trim()) return a.displayName.trim();
  const address = a.email ?? a.addresses[0];
  if (!address) return "";
  return address
    .split("@")[0]!
    .split(/[._+-]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}
