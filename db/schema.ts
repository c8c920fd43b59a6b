// The single source of truth for Kept's tables. Migrations in db/migrations are
// generated from this file by drizzle-kit (`npm run db:generate`), never by hand;
// only triggers, which a schema can't say, are in custom migrations (0003).
// No message body is ever stored: a commitment keeps the promise sentence only.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    provider: text("provider", { enum: ["microsoft", "google", "local"] }).notNull(),
    tenantId: text("tenant_id").notNull(), // Entra tenant, Google "google", or "local"
    subject: text("subject").notNull(), // the token's stable user id
    email: text("email"),
    displayName: text("display_name"),
    timeZone: text("time_zone").notNull().default("UTC"),
    locale: text("locale").notNull().default("en-GB"),
    workDays: text("work_days", { mode: "json" }).$type<number[]>().notNull(),
    dayStart: text("day_start").notNull().default("09:00"),
    dayEnd: text("day_end").notNull().default("17:30"),
    /** The rest of WorkSettings and preferences, as JSON. */
    settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** Extra addresses that are the user's own (aliases), lower-cased. */
    addresses: text("addresses", { mode: "json" }).$type<string[]>().notNull(),
    /** Secret for the ICS feed URL; rotating it revokes the old URL. */
    feedToken: text("feed_token"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("accounts_identity").on(t.provider, t.tenantId, t.subject), uniqueIndex("accounts_feed").on(t.feedToken)],
);

export const commitments = sqliteTable(
  "commitments",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    provider: text("provider", { enum: ["microsoft", "google", "local"] }).notNull(),
    threadId: text("thread_id").notNull(),
    messageId: text("message_id").notNull(),
    internetMessageId: text("internet_message_id"),
    counterpartAddress: text("counterpart_address").notNull(), // primary, lower-cased, for the side panel
    counterpartName: text("counterpart_name"),
    counterparts: text("counterparts", { mode: "json" }).$type<Array<{ name: string | null; address: string }>>().notNull(),
    subject: text("subject").notNull(),
    sentence: text("sentence").notNull(), // capped at 500 characters
    trigger: text("trigger"),
    kind: text("kind", { enum: ["explicit", "conditional", "implicit"] }).notNull(),
    sentAt: integer("sent_at").notNull(),
    dueDate: text("due_date").notNull(),
    dueStated: integer("due_stated", { mode: "boolean" }).notNull(),
    status: text("status", { enum: ["open", "snoozed", "kept", "dismissed"] }).notNull(),
    snoozedUntil: integer("snoozed_until"),
    chasedAt: integer("chased_at"),
    chaseCount: integer("chase_count").notNull().default(0),
    keptAt: integer("kept_at"),
    keptMessageId: text("kept_message_id"),
    dismissedReason: text("dismissed_reason"),
    renewedFromId: text("renewed_from_id"),
    renewedToId: text("renewed_to_id"),
    nextReminderAt: integer("next_reminder_at"),
    reminderCount: integer("reminder_count").notNull().default(0),
    source: text("source", { enum: ["send-time", "sync", "import", "update", "manual"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("commitments_message").on(t.accountId, t.messageId),
    index("commitments_thread").on(t.accountId, t.threadId),
    // The side panel: what is owed to one person, newest first, read in index order.
    index("commitments_counterpart").on(t.accountId, t.counterpartAddress, t.sentAt, t.id),
    index("commitments_status").on(t.accountId, t.status, t.dueDate),
    // The sweep: only active commitments carry a next reminder.
    index("commitments_next_reminder").on(t.nextReminderAt).where(sql`next_reminder_at is not null`),
  ],
);

/**
 * The people a promise was made to besides the first (commitments.counterpart_address),
 * one row each, newest first per person: the side panel and the list's counterpart
 * filter find a promise to Ana and Bo from Bo's side too. Most promises have one
 * person, so this stays small. Kept in step with commitments by triggers
 * (migration 0003), so every way a promise is written (one at a time, an import's
 * batches, a libSQL server) fills it.
 */
export const commitmentOthers = sqliteTable(
  "commitment_others",
  {
    accountId: text("account_id").notNull(),
    address: text("address").notNull(), // lower-cased, as in commitments.counterparts
    sentAt: integer("sent_at").notNull(),
    commitmentId: text("commitment_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.address, t.sentAt, t.commitmentId] }), index("commitment_others_commitment").on(t.commitmentId)],
);

export const commitmentHistory = sqliteTable(
  "commitment_history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    commitmentId: text("commitment_id").notNull().references(() => commitments.id, { onDelete: "cascade" }),
    at: integer("at").notNull(),
    type: text("type").notNull(),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index("history_commitment").on(t.commitmentId, t.at)],
);

export const checkIns = sqliteTable(
  "check_ins",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    counterpartAddress: text("counterpart_address").notNull(),
    counterpartName: text("counterpart_name"),
    subject: text("subject").notNull(),
    note: text("note"),
    commitmentId: text("commitment_id"),
    threadId: text("thread_id"),
    dueAt: integer("due_at").notNull(),
    dueDate: text("due_date").notNull(),
    status: text("status", { enum: ["scheduled", "done", "cancelled"] }).notNull(),
    reason: text("reason", { enum: ["bad-news", "manual"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("check_ins_account").on(t.accountId, t.status, t.dueAt), index("check_ins_counterpart").on(t.accountId, t.counterpartAddress, t.status, t.dueAt, t.id)],
);

/** One row per calendar event Kept made (or is making), with the provider's id once known. */
export const reminders = sqliteTable(
  "reminders",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    commitmentId: text("commitment_id"),
    checkInId: text("check_in_id"),
    kind: text("kind", { enum: ["follow-up", "check-in"] }).notNull(),
    seq: integer("seq").notNull(),
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at").notNull(),
    title: text("title").notNull(),
    eventId: text("event_id"),
    state: text("state", { enum: ["pending", "created", "cancelled", "deleted"] }).notNull(),
    /** Bumped on every change, for the ICS feed's SEQUENCE. */
    version: integer("version").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("reminders_commitment").on(t.commitmentId, t.state),
    index("reminders_check_in").on(t.checkInId),
    index("reminders_account").on(t.accountId, t.updatedAt),
  ],
);

/** Provider operations, written in the same transaction as the state change they follow from. */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    key: text("key").notNull(), // deterministic idempotency key
    op: text("op", { enum: ["create_event", "delete_event", "send_reply", "place_events", "reschedule"] }).notNull(),
    reminderId: text("reminder_id"),
    commitmentId: text("commitment_id"),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    // refused: the provider said no for good and the ledger is still to be told (then failed).
    state: text("state", { enum: ["pending", "done", "refused", "failed", "skipped"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    result: text("result", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("outbox_key").on(t.key), index("outbox_due").on(t.state, t.nextAttemptAt)],
);

/** Messages already processed, so duplicate notifications and re-imports change nothing. */
export const processedMessages = sqliteTable(
  "processed_messages",
  {
    accountId: text("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull(),
    direction: text("direction", { enum: ["sent", "received"] }).notNull(),
    at: integer("at").notNull(),
  },
  (t) => [uniqueIndex("processed_key").on(t.accountId, t.messageId)],
);

export const syncState = sqliteTable(
  "sync_state",
  {
    accountId: text("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    resource: text("resource").notNull(), // "sent-mail", "inbox", "calendar"
    cursor: text("cursor"),
    subscriptionId: text("subscription_id"),
    subscriptionExpiresAt: integer("subscription_expires_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("sync_state_key").on(t.accountId, t.resource)],
);

/** A user's own templates; the defaults live in core/templates.ts. */
export const templates = sqliteTable(
  "templates",
  {
    id: text("id").notNull(),
    accountId: text("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tone: text("tone", { enum: ["recruiter", "general", "backlog"] }).notNull(),
    body: text("body").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.id] })],
);
