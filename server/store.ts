// Row ↔ domain mapping and the queries every part of the server shares.
// Every query that reads a user's data takes the account id: nothing here can
// reach another account's rows.
import { and, asc, desc, eq, getTableColumns, inArray, lt, sql, type Column, type SQL } from "drizzle-orm";
import type { Identity } from "./accounts";
import { DEFAULT_SETTINGS, normaliseAddress, type Commitment, type HistoryEntry, type WorkSettings } from "../core/model";
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
export async function templatesFor(db: Db, accountId: string): Promise<TemplateChoice[]> {
  return withDefaults(await preparedFor(db).ownTemplates.execute({ accountId }));
}

export type TemplateChoice = Template & { builtIn: boolean };

function withDefaults(own: Template[]): TemplateChoice[] {
  const ownIds = new Set(own.map((t) => t.id));
  return [
    ...DEFAULT_TEMPLATES.filter((t) => !ownIds.has(t.id)).map((t) => ({ ...t, builtIn: true })),
    ...own.map((t) => ({ id: t.id, name: t.name, tone: t.tone, body: t.body, builtIn: false })),
  ];
}

/** A commitment as the API shows it: with whether it is overdue today (the user's local date) and chased. */
export function view(c: Commitment, today: string) {
  return { ...c, overdue: (c.status === "open" || c.status === "snoozed") && c.dueDate < today, chased: c.chaseCount > 0 };
}
export type CommitmentView = ReturnType<typeof view>;

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

/** How many of the latest promises to one person the side panel looks at. */
export const COMMITMENTS_PER_PERSON = 100;

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

// ── The side panel in one statement ──
// What the user owes one person, their check-ins and the user's own templates,
// read in a single statement whose result is the JSON the API sends: one round
// trip to a libSQL server (Turso from Workers) instead of four, and no row
// objects built and serialised again on the way out. The JSON objects are made
// from the drizzle schema, so they have the same keys as toCommitment and
// CheckInRow; the panel behaviour suite checks them against view() for every
// column.

export interface PanelView {
  counterpart: string;
  thisThread: CommitmentView[];
  otherThreads: CommitmentView[];
  recentlyClosed: CommitmentView[];
  checkIns: CheckInRow[];
  templates: TemplateChoice[];
}

/** A json_object(...) of every column but `skip`, keyed as drizzle maps them. */
function jsonObjectOf(columns: Record<string, Column>, alias: string, skip: string[] = []): string {
  const parts: string[] = [];
  for (const [key, col] of Object.entries(columns)) {
    if (skip.includes(key)) continue;
    const ref = `${alias}."${col.name}"`;
    const value =
      col.columnType === "SQLiteBoolean"
        ? `json(CASE WHEN ${ref} IS NULL THEN 'null' WHEN ${ref} THEN 'true' ELSE 'false' END)`
        : col.columnType === "SQLiteTextJson"
          ? `json(${ref})`
          : ref;
    parts.push(`'${key}', ${value}`);
  }
  return parts.join(", ");
}

const ACTIVE = "('open', 'snoozed')";
const CLOSED = "('kept', 'dismissed')";
// The fields of view(): overdue while active and due before today; chased once the other side asked.
const commitmentJson = `json_object(${jsonObjectOf(getTableColumns(schema.commitments), "m", ["counterpartAddress", "counterpartName"])},
  'overdue', json(CASE WHEN m.status IN ${ACTIVE} AND m.due_date < p.today THEN 'true' ELSE 'false' END),
  'chased', json(CASE WHEN m.chase_count > 0 THEN 'true' ELSE 'false' END))`;
const NEWEST = "m.sent_at DESC, m.id DESC";

// Each list is joined from an ordered, LIMITed subquery: the LIMIT keeps SQLite
// from flattening it or dropping its ORDER BY, so the array comes out in that
// order (sqld's parser predates json_group_array(... ORDER BY ...)). The objects
// are joined as text: json_group_array would parse each one again.
const list = (json: string, from: string, order: string, limit: number) =>
  `(SELECT '[' || coalesce(group_concat(j, ','), '') || ']' FROM (SELECT ${json} AS j FROM ${from} ORDER BY ${order} LIMIT ${limit}))`;

const PANEL_SQL = `WITH p AS (SELECT ? AS account_id, ? AS counterpart, ? AS thread_id, ? AS today),
mine AS (
  SELECT c.* FROM commitments c, p
  WHERE c.account_id = p.account_id AND c.counterpart_address = p.counterpart
  ORDER BY c.sent_at DESC, c.id DESC LIMIT ${COMMITMENTS_PER_PERSON}
)
SELECT
  ${list(commitmentJson, `mine m, p WHERE m.status IN ${ACTIVE} AND m.thread_id = p.thread_id`, NEWEST, COMMITMENTS_PER_PERSON)} AS this_thread,
  ${list(commitmentJson, `mine m, p WHERE m.status IN ${ACTIVE} AND (p.thread_id IS NULL OR m.thread_id <> p.thread_id)`, NEWEST, COMMITMENTS_PER_PERSON)} AS other_threads,
  ${list(commitmentJson, `mine m, p WHERE m.status IN ${CLOSED}`, NEWEST, 5)} AS recently_closed,
  ${list(`json_object(${jsonObjectOf(getTableColumns(schema.checkIns), "k")})`, `check_ins k, p WHERE k.account_id = p.account_id AND k.counterpart_address = p.counterpart AND k.status = 'scheduled'`, "k.due_at, k.id", 1000)} AS check_ins,
  ${list(`json_object('id', t.id, 'name', t.name, 'tone', t.tone, 'body', t.body)`, "templates t, p WHERE t.account_id = p.account_id", "t.name, t.id", 1000)} AS templates
FROM p`;

const DEFAULT_CHOICES_JSON = JSON.stringify(withDefaults([]));

/**
 * The side panel for one person as a JSON string: open and snoozed promises on
 * this thread and on others (newest first, among the last 100 to this person),
 * the last five closed, scheduled check-ins, and the templates to update with.
 */
export async function panelJson(db: Db, accountId: string, counterpart: string, threadId: string | null, today: string): Promise<string> {
  const { rows } = await db.$client.execute({ sql: PANEL_SQL, args: [accountId, normaliseAddress(counterpart), threadId, today] });
  const r = rows[0]!;
  const own = r[4] as string;
  const templates = own === "[]" ? DEFAULT_CHOICES_JSON : JSON.stringify(withDefaults(JSON.parse(own) as Template[]));
  return `{"counterpart":${JSON.stringify(normaliseAddress(counterpart))},"thisThread":${r[0]},"otherThreads":${r[1]},"recentlyClosed":${r[2]},"checkIns":${r[3]},"templates":${templates}}`;
}
