// Row ↔ domain mapping and the queries every part of the server shares.
// Every query that reads a user's data takes the account id: nothing here can
// reach another account's rows.
import { and, asc, desc, eq, getTableColumns, gte, inArray, lt, notInArray, or, sql, type Column, type SQL } from "drizzle-orm";
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
  /** Overdue as view() says (still to keep, due before `today`), or not. */
  overdue?: { today: string; is: boolean };
  limit: number;
  before?: { sentAt: number; id: string }; // keyset cursor
}

/** Promises made to this person: first, or among others (commitment_others). */
export function toPerson(address: string): SQL {
  const o = schema.commitmentOthers;
  const c = schema.commitments;
  const who = normaliseAddress(address);
  return sql`(${c.counterpartAddress} = ${who} or exists (select 1 from ${o} where ${o.commitmentId} = ${c.id} and ${o.address} = ${who}))`;
}

export async function listCommitments(conn: Conn, accountId: string, f: CommitmentFilter): Promise<Commitment[]> {
  const c = schema.commitments;
  const where: SQL[] = [eq(c.accountId, accountId)];
  if (f.threadId) where.push(eq(c.threadId, f.threadId));
  if (f.counterpart) where.push(toPerson(f.counterpart));
  if (f.status?.length) where.push(inArray(c.status, f.status));
  if (f.overdue?.is === true) where.push(inArray(c.status, ["open", "snoozed"]), lt(c.dueDate, f.overdue.today));
  if (f.overdue?.is === false) where.push(or(notInArray(c.status, ["open", "snoozed"]), gte(c.dueDate, f.overdue.today))!);
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
// read in a single statement whose rows are the JSON objects the API sends: one
// round trip to a libSQL server (Turso from Workers) instead of four, and no row
// objects built and serialised again on the way out. The objects are made from
// the drizzle schema, so they have the same keys as toCommitment and CheckInRow;
// the panel behaviour suite checks them against view() for every column.

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
// The fields of view(): overdue while active and due before today; chased once the other side asked.
const commitmentJson = `json_object(${jsonObjectOf(getTableColumns(schema.commitments), "m", ["counterpartAddress", "counterpartName"])},
  'overdue', json(CASE WHEN m.status IN ${ACTIVE} AND m.due_date < ?6 THEN 'true' ELSE 'false' END),
  'chased', json(CASE WHEN m.chase_count > 0 THEN 'true' ELSE 'false' END))`;

// Rows of (part, json): first the account (part 5: its id and time zone), then
// the last 100 promises to this person (the first they were made to, by the index
// commitments_counterpart, or one of the others, by commitment_others' key: two
// ordered reads of at most 100, merged), newest first (part 0 active on this
// thread, 1 active elsewhere, 2 closed), their scheduled check-ins (3) and the
// user's templates (4). Parameters: ?1 ?2 ?3 the identity (provider, tenant,
// subject), ?4 the person, ?5 the thread, ?6 today. The account is found in the
// same statement, so the side panel is one round trip to the database. Each part
// is an ordered, LIMITed subquery (the LIMIT keeps SQLite from flattening it and
// dropping its ORDER BY), and SQLite runs the parts of a UNION ALL one after
// another, so the rows come out in that order; the indexes give each part in order,
// and only the promises' two reads (at most 200 rows) are merged by a sort.
const ACCOUNT_ID = "(SELECT id FROM accounts WHERE provider = ?1 AND tenant_id = ?2 AND subject = ?3)";
const PART = `CASE WHEN m.status IN ${ACTIVE} THEN (CASE WHEN m.thread_id = ?5 THEN 0 ELSE 1 END) ELSE 2 END`;
export const PANEL_SQL = `SELECT 5 AS part, json_object('id', a.id, 'timeZone', a.time_zone) AS j FROM accounts a WHERE a.provider = ?1 AND a.tenant_id = ?2 AND a.subject = ?3
UNION ALL
SELECT part, j FROM (
  SELECT * FROM (
    SELECT m.sent_at AS s, m.id AS i, ${PART} AS part, ${commitmentJson} AS j
    FROM commitments m WHERE m.account_id = ${ACCOUNT_ID} AND m.counterpart_address = ?4
    ORDER BY m.sent_at DESC, m.id DESC LIMIT ${COMMITMENTS_PER_PERSON})
  UNION ALL
  SELECT * FROM (
    SELECT m.sent_at, m.id, ${PART}, ${commitmentJson}
    FROM commitment_others o JOIN commitments m ON m.id = o.commitment_id
    WHERE o.account_id = ${ACCOUNT_ID} AND o.address = ?4
    ORDER BY o.sent_at DESC, o.commitment_id DESC LIMIT ${COMMITMENTS_PER_PERSON})
  ORDER BY s DESC, i DESC LIMIT ${COMMITMENTS_PER_PERSON})
UNION ALL
SELECT * FROM (SELECT 3, json_object(${jsonObjectOf(getTableColumns(schema.checkIns), "k")}) FROM check_ins k
  WHERE k.account_id = ${ACCOUNT_ID} AND k.counterpart_address = ?4 AND k.status = 'scheduled' ORDER BY k.due_at, k.id LIMIT 1000)
UNION ALL
SELECT * FROM (SELECT 4, json_object('id', t.id, 'name', t.name, 'tone', t.tone, 'body', t.body) FROM templates t WHERE t.account_id = ${ACCOUNT_ID} ORDER BY t.name, t.id LIMIT 1000)`;

export interface Panel {
  /** The account the identity signs in to, or null if it has none yet. */
  account: { id: string; timeZone: string } | null;
  /** The response's JSON (a PanelView). */
  json: string;
}

/**
 * The side panel for one person, as the account signed in with `identity` sees
 * it on `today`: open and snoozed promises on this thread and on others (newest
 * first, among the last 100 to this person), the last five closed, scheduled
 * check-ins, and the templates to update with. One statement; the account found
 * comes back with it, so the caller can tell whether `today` was right for its
 * time zone.
 */
export async function panelFor(db: Db, identity: Pick<Identity, "provider" | "tenantId" | "subject">, counterpart: string, threadId: string | null, today: string): Promise<Panel> {
  const who = normaliseAddress(counterpart);
  const { rows } = await db.$client.execute({ sql: PANEL_SQL, args: [identity.provider, identity.tenantId, identity.subject, who, threadId, today] });
  let account: Panel["account"] = null;
  const parts: string[][] = [[], [], [], [], []];
  for (const r of rows) {
    const n = r[0] as number;
    if (n === 5) account = JSON.parse(r[1] as string) as Panel["account"];
    else if (n !== 2 || parts[2]!.length < 5) parts[n]!.push(r[1] as string);
  }
  const templates = parts[4]!.length ? JSON.stringify(withDefaults(JSON.parse(`[${parts[4]!.join(",")}]`) as Template[])) : DEFAULT_CHOICES_JSON;
  return {
    account,
    json: `{"counterpart":${JSON.stringify(who)},"thisThread":[${parts[0]!.join(",")}],"otherThreads":[${parts[1]!.join(",")}],"recentlyClosed":[${parts[2]!.join(",")}],"checkIns":[${parts[3]!.join(",")}],"templates":${templates}}`,
  };
}

const DEFAULT_CHOICES_JSON = JSON.stringify(withDefaults([]));

