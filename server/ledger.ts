// The ledger's orchestration: messages in, commitments and their follow-up
// events out. Every state change and the provider operations it implies are
// written in one transaction (the outbox, server/outbox.ts), then attempted at
// once; the sweep retries what failed and puts the next follow-up on the calendar.
import { and, asc, eq, getTableColumns, inArray, isNotNull, lte, sql, type Column } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { KeptError } from "../core/errors";
import { isActive, keepsCommitment, chasesCommitment, transition, type LedgerAction } from "../core/ledger";
import {
  SENTENCE_CAP,
  firstName,
  normaliseAddress,
  threadLink,
  type Commitment,
  type CommitmentKind,
  type CommitmentSource,
  type Counterpart,
  type ReceivedMessage,
  type SentMessage,
  type WorkSettings,
} from "../core/model";
import { checkInAt, firstReminder, isOverdue, movedReminder, timingChanged } from "../core/policy";
import type { CalendarProvider, MailProvider, PlannedEvent } from "../core/ports";
import { DEFAULT_TEMPLATES, bareSubject, formatDate, renderHtml, renderText, replySubject } from "../core/templates";
import { daysBetween, localDateOf } from "../core/time";
import { updateSettings, type SettingsPatch } from "./accounts";
import { schema, type Db, type Tx } from "./db";
import { COMPOSED_PREFIX, enqueue, markFailed, Outbox, outboxRow, type DrainResult, type Pending, type OutboxInput } from "./outbox";
import {
  getAccount,
  perConnection,
  getCommitment,
  senderName,
  settingsOf,
  toCommitment,
  toRow,
  type AccountRow,
  type OutboxRow,
} from "./store";

const MINUTE = 60_000;
/** Open promises placeEvents reads at a time. */
const PLACE_PAGE = 2000;
const RESCHEDULE_PAGE = 200;
/** How long after an import's last batch the sweep places its follow-ups if the import itself didn't. */
export const PLACE_GRACE_MS = 15 * 60_000;
const placeKey = (accountId: string) => `place:${accountId}`;
/** How long after the user asked for a composed update a sent message can be it. */
const COMPOSED_WINDOW_MS = 7 * 86_400_000;

/**
 * The renewed promise a sent message is the composed "no news yet" update for:
 * one Kept composed for the user to send (it has no message of its own yet), on
 * this thread, to one of this message's recipients, sent within a week of it,
 * and promising nothing by another date. The update may be in any language or
 * from the user's own template, so a message with no dated promise counts; one
 * that promises something by another date is an ordinary reply: it keeps the
 * renewed promise like any other, and its own promise is recorded.
 */
function composedUpdateIn(
  onThread: Commitment[],
  msg: { sentAt: number },
  recipients: string[],
  detection: DetectionSummary,
): Commitment | undefined {
  const dated = detection.commitments.filter((f) => f.dueDate !== null);
  return onThread.find(
    (c) =>
      c.messageId.startsWith(COMPOSED_PREFIX) &&
      c.sentAt <= msg.sentAt &&
      msg.sentAt - c.sentAt <= COMPOSED_WINDOW_MS &&
      recipients.includes(c.counterparts[0]?.address ?? "") &&
      (dated.length === 0 || dated.some((f) => f.dueDate === c.dueDate)),
  );
}

/** The one promise a message records: its earliest dated one (the one that falls due first), else its first. */
function primaryPromise(detection: DetectionSummary): DetectionSummary["commitments"][number] | null {
  const dated = detection.commitments.filter((f) => f.dueDate !== null).sort((a, b) => a.dueDate!.localeCompare(b.dueDate!));
  return dated[0] ?? detection.commitments[0] ?? null;
}

/** The open promises on a thread that a sent message keeps (not those it is itself, seen again). */
function keptBy(onThread: Commitment[], msg: Pick<SentMessage, "threadId" | "messageId" | "internetMessageId" | "sentAt">, recipients: string[]): Commitment[] {
  return onThread.filter(
    (c) =>
      !(msg.internetMessageId && c.internetMessageId === msg.internetMessageId) &&
      keepsCommitment(c, { threadId: msg.threadId, messageId: msg.messageId, sentAt: msg.sentAt, recipients }),
  );
}

/** What the detector found in one message; only this crosses into the ledger, never the body. */
export interface DetectionSummary {
  commitments: Array<{ sentence: string; trigger: string | null; kind: CommitmentKind; dueDate: string | null }>;
  badNews: { sentence: string } | null;
  autoReply?: boolean;
}

export { SimulatedCrash, type DrainResult } from "./outbox";

export interface LedgerDeps {
  db: Db;
  clock: () => number;
  newId: () => string;
  calendar: CalendarProvider;
  /** Absent where Kept can't send mail for the user (the embedded default): updates are composed for the user to send. */
  mail: MailProvider | null;
  /** Where links in events point, e.g. http://127.0.0.1:8787 */
  publicUrl: string;
  /** Test seam for crash-recovery tests: runs after a provider call succeeded, before it is recorded. */
  afterProviderCall?: (op: OutboxRow) => void;
}

export interface RecordReceivedResult {
  duplicate: boolean;
  chased: Commitment[];
}

export interface RecordSentResult {
  duplicate: boolean;
  created: Commitment[];
  kept: Commitment[];
  checkInId: string | null;
}

interface NewCommitmentInput {
  msg: SentMessage;
  counterparts: Counterpart[];
  sentence: string;
  trigger: string | null;
  kind: CommitmentKind;
  statedDue: string | null;
  source: CommitmentSource;
  renewedFromId: string | null;
  now: number;
  id?: string;
}

interface CheckInInput {
  counterpart: Counterpart;
  subject: string;
  note: string | null;
  commitmentId: string | null;
  threadId: string | null;
  days: number;
  reason: "bad-news" | "manual";
  from: number;
  now: number;
}

/** The promise a sent message records, from the detector's primary one. */
function promiseInput(msg: SentMessage, counterparts: Counterpart[], primary: DetectionSummary["commitments"][number], source: CommitmentSource, now: number): NewCommitmentInput {
  return { msg, counterparts, sentence: primary.sentence, trigger: primary.trigger, kind: primary.kind, statedDue: primary.dueDate, source, renewedFromId: null, now };
}

/** The check-in that bad news in a sent message schedules. */
function badNewsCheckIn(msg: SentMessage, counterparts: Counterpart[], badNews: { sentence: string }, s: WorkSettings, commitmentId: string | null, now: number): CheckInInput {
  return {
    counterpart: counterparts[0]!,
    subject: msg.subject,
    note: badNews.sentence.slice(0, SENTENCE_CAP),
    commitmentId,
    threadId: msg.threadId,
    days: s.checkInDays,
    reason: "bad-news",
    from: msg.sentAt,
    now,
  };
}

/** Whether the update that opened this promise was refused, given up on, or never queued (composed for the user, who never sent it). */
async function replyNeverSent(tx: Tx, commitmentId: string): Promise<boolean> {
  const [op] = await tx.select({ state: schema.outbox.state }).from(schema.outbox).where(eq(schema.outbox.key, `reply:${commitmentId}`));
  return op ? op.state === "refused" || op.state === "failed" : false;
}

/** The check-in already scheduled with this person, if any. */
async function scheduledCheckInWith(tx: Tx, accountId: string, address: string): Promise<string | null> {
  const k = schema.checkIns;
  const [row] = await tx
    .select({ id: k.id })
    .from(k)
    .where(and(eq(k.accountId, accountId), eq(k.counterpartAddress, normaliseAddress(address)), eq(k.status, "scheduled")))
    .limit(1);
  return row?.id ?? null;
}

const createdDetail = (c: Commitment, input: NewCommitmentInput) => ({ dueDate: c.dueDate, dueStated: c.dueStated, source: input.source, renewedFromId: input.renewedFromId });

export type LedgerActionInput =
  | { type: "keep" }
  | { type: "dismiss"; reason: "not-a-promise" | "no-longer-needed" }
  | { type: "snooze"; until: number }
  | { type: "reopen" };

export class Ledger {
  private readonly outbox: Outbox;

  constructor(readonly deps: LedgerDeps) {
    // An import stopped before placing its follow-ups leaves a place_events note the outbox runs with this.
    this.outbox = new Outbox({
      ...deps,
      placeEvents: (accountId) => this.placeEvents(accountId),
      reschedule: (accountId, before, changedAt) => this.reschedule(accountId, before, changedAt),
      failed: (op, error) => this.operationFailed(op, error),
    });
  }

  /**
   * The provider refused an operation for good: said where the user looks. An
   * update that can't be sent ends the promise it opened, and the promise it was
   * to keep is owed again; an event that can't be placed is noted in the history.
   */
  private async operationFailed(op: OutboxRow, error: string): Promise<void> {
    const now = this.deps.clock();
    const pending: Pending = { outboxKeys: [] };
    await this.db.transaction(async (tx) => {
      if (!(await markFailed(tx, op.id))) return; // told already, by another sweep
      if (!op.commitmentId) return; // a check-in's event: counted in the summary's delivery figures
      const account = await getAccount(tx, op.accountId);
      const c = account && (await getCommitment(tx, op.accountId, op.commitmentId));
      if (!account || !c) return;
      if (op.op !== "send_reply") {
        await tx.insert(schema.commitmentHistory).values({ commitmentId: c.id, at: now, type: "not_placed", detail: { op: op.op, error } });
        return;
      }
      // The update never reached them. If its promise is still the live one, it ends and the
      // promise it was to keep is owed again; if the user has moved on (kept it, renewed it
      // again, or wrote to them themselves), only the history says so.
      const live = c.source === "update" && isActive(c) && c.messageId.startsWith(COMPOSED_PREFIX);
      if (!live) {
        await tx.insert(schema.commitmentHistory).values({ commitmentId: c.id, at: now, type: "not_sent", detail: { error, superseded: true } });
        return;
      }
      await this.apply(tx, account, c, { type: "update-not-sent", at: now, error }, pending);
      // Back along the chain: an earlier update that never went out either ends too, and the
      // first promise they did hear is owed again.
      let child = c;
      for (let hops = 0; hops < 100 && child.renewedFromId; hops++) {
        const parent = await getCommitment(tx, op.accountId, child.renewedFromId);
        if (!parent || parent.status !== "kept" || parent.renewedToId !== child.id) break;
        const unsent = parent.source === "update" && parent.messageId.startsWith(COMPOSED_PREFIX) && (await replyNeverSent(tx, parent.id));
        if (!unsent) {
          await this.apply(tx, account, parent, { type: "renewal-undone", at: now, error }, pending);
          break;
        }
        await this.apply(tx, account, parent, { type: "update-not-sent", at: now, error }, pending);
        child = parent;
      }
    });
    await this.outbox.drain(pending.outboxKeys);
  }

  private get db() {
    return this.deps.db;
  }

  // ── Messages in ────────────────────────────────────────────────────────────

  /**
   * A message the user sent: it keeps the open promises it answers, and may hold
   * new ones. Duplicate deliveries of one message change nothing.
   */
  async recordSent(
    accountId: string,
    msg: SentMessage,
    detection: DetectionSummary,
    source: CommitmentSource,
  ): Promise<RecordSentResult> {
    const now = this.deps.clock();
    const pending: Pending = { outboxKeys: [] };
    const result = await this.db.transaction(async (tx) => this.sentIn(tx, await mustAccount(tx, accountId), msg, detection, source, pending, now));
    await this.outbox.drain(pending.outboxKeys);
    return result;
  }

  private async sentIn(
    tx: Tx,
    account: AccountRow,
    msg: SentMessage,
    detection: DetectionSummary,
    source: CommitmentSource,
    pending: Pending,
    now: number,
  ): Promise<RecordSentResult> {
    const accountId = account.id;
    const s = settingsOf(account);
    // One message can arrive under two provider ids (the send-time check sees the
    // draft's, sync the sent item's); its RFC 5322 Message-ID is the same.
    const keys = [msg.messageId, ...(msg.internetMessageId ? [`rfc822:${msg.internetMessageId}`] : [])];
    const q = hot(tx);
    let fresh = 0;
    for (const messageId of keys) fresh += (await q.markProcessed.all({ accountId, messageId, direction: "sent", at: now })).length;
    if (fresh < keys.length) return { duplicate: true, created: [], kept: [], checkInId: null };

    const recipients = [...msg.to, ...msg.cc].map((p) => normaliseAddress(p.address));
    const kept: Commitment[] = [];
    const onThread = (await q.activeOnThread.all({ accountId, threadId: msg.threadId })).map(toCommitment);
    // A "no news yet" update Kept composed for the user to send: this is that message
    // arriving, so the renewed promise takes its id rather than being kept by it.
    const composed = composedUpdateIn(onThread, msg, recipients, detection);
    if (composed) {
      await tx
        .update(schema.commitments)
        .set({ messageId: msg.messageId, internetMessageId: msg.internetMessageId, updatedAt: now })
        .where(eq(schema.commitments.id, composed.id));
      return { duplicate: false, created: [], kept: [], checkInId: null };
    }
    for (const c of keptBy(onThread, msg, recipients)) {
      kept.push(await this.apply(tx, account, c, { type: "keep", at: msg.sentAt, messageId: msg.messageId, via: "reply" }, pending));
    }

    const own = new Set([normaliseAddress(account.email ?? ""), ...account.addresses.map(normaliseAddress)]);
    const counterparts = dedupe([...msg.to, ...msg.cc]).filter((p) => !own.has(p.address));
    const created: Commitment[] = [];
    let checkInId: string | null = null;
    if (!detection.autoReply && counterparts.length > 0) {
      const primary = primaryPromise(detection);
      if (primary) {
        created.push(await this.createCommitment(tx, account, s, promiseInput(msg, counterparts, primary, source, now), pending));
      }
      if (detection.badNews) {
        // One check-in with a person at a time: more bad news to them doesn't add another.
        checkInId =
          (await scheduledCheckInWith(tx, account.id, counterparts[0]!.address)) ??
          (await this.insertCheckIn(tx, account, s, badNewsCheckIn(msg, counterparts, detection.badNews, s, created[0]?.id ?? null, now), pending));
      }
    }
    return { duplicate: false, created, kept, checkInId };
  }

  /** A message from someone else: if they are waiting on an open promise in the thread, it is chased. */
  async recordReceived(accountId: string, msg: ReceivedMessage): Promise<RecordReceivedResult> {
    const now = this.deps.clock();
    const pending: Pending = { outboxKeys: [] };
    const result = await this.db.transaction(async (tx) => this.receivedIn(tx, await mustAccount(tx, accountId), msg, pending, now));
    await this.outbox.drain(pending.outboxKeys);
    return result;
  }

  private async receivedIn(tx: Tx, account: AccountRow, msg: ReceivedMessage, pending: Pending, now: number): Promise<RecordReceivedResult> {
    const accountId = account.id;
    const q = hot(tx);
    const inserted = await q.markProcessed.all({ accountId, messageId: msg.messageId, direction: "received", at: now });
    if (inserted.length === 0) return { duplicate: true, chased: [] };
    const from = normaliseAddress(msg.from.address);
    const rows = await q.activeOnThread.all({ accountId, threadId: msg.threadId });
    const chased: Commitment[] = [];
    for (const row of rows) {
      const c = toCommitment(row);
      if (!chasesCommitment(c, { threadId: msg.threadId, receivedAt: msg.receivedAt, from })) continue;
      chased.push(
        await this.apply(tx, account, c, { type: "chase", at: now, messageId: msg.messageId, receivedAt: Math.min(msg.receivedAt, now) }, pending, msg.receivedAt),
      );
    }
    return { duplicate: false, chased };
  }

  /**
   * Many messages in one transaction, in the order given (an import's replay),
   * with the same outcome as recordSent / recordReceived one message at a time.
   * Set-based: the batch's processed marks go in with one statement, the open
   * promises on its threads come out with one, the replay runs in memory, and
   * what it wrote goes back a statement per table. Events wait for placeEvents.
   */
  async recordMany(
    accountId: string,
    items: Array<{ kind: "sent"; msg: SentMessage; detection: DetectionSummary } | { kind: "received"; msg: ReceivedMessage }>,
    source: CommitmentSource,
  ): Promise<Array<RecordSentResult | RecordReceivedResult>> {
    if (items.length === 0) return [];
    const now = this.deps.clock();
    return this.db.transaction(async (tx) => {
      const account = await mustAccount(tx, accountId);
      const s = settingsOf(account);
      const own = new Set([normaliseAddress(account.email ?? ""), ...account.addresses.map(normaliseAddress)]);

      // Processed marks: a message is new when every key it has went in, and went in for it
      // (the first of two messages with one key in a batch takes it, as one at a time would).
      const keysOf = (item: (typeof items)[number]) =>
        item.kind === "sent" && item.msg.internetMessageId ? [item.msg.messageId, `rfc822:${item.msg.internetMessageId}`] : [item.msg.messageId];
      const marks: Array<[string, string]> = [];
      for (const item of items) for (const key of keysOf(item)) marks.push([key, item.kind]);
      const inserted = new Set(
        (
          await tx.all<{ message_id: string }>(sql`
            insert into processed_messages (account_id, message_id, direction, at)
            select ${accountId}, ${j(0)}, ${j(1)}, ${now} from json_each(${JSON.stringify(marks)}) where true
            on conflict do nothing returning message_id`)
        ).map((r) => r.message_id),
      );
      const taken = new Set<string>();
      const fresh = items.map((item) => {
        let n = 0;
        const keys = keysOf(item);
        for (const key of keys) if (inserted.has(key) && !taken.has(key) && taken.add(key)) n++;
        return n === keys.length;
      });

      // The open promises on the batch's threads, each thread's in the order its own query gives them.
      const threadIds = [...new Set(items.filter((_, i) => fresh[i]).map((item) => item.msg.threadId))];
      const active = new Map<string, Commitment[]>();
      if (threadIds.length > 0) {
        const rows = await tx.all<Record<string, unknown>>(sql`
          select * from commitments indexed by commitments_thread
          where account_id = ${accountId} and thread_id in (select value from json_each(${JSON.stringify(threadIds)})) and status in ('open', 'snoozed')
          order by rowid`);
        for (const row of rows) {
          const c = toCommitment(commitmentFromDriver(row));
          const list = active.get(c.threadId);
          if (list) list.push(c);
          else active.set(c.threadId, [c]);
        }
      }

      const created = new Map<string, Commitment>(); // made in this batch: inserted in their final state
      const changed = new Map<string, Commitment>(); // already in the ledger: their final state updated
      const history: Array<typeof schema.commitmentHistory.$inferInsert> = [];
      const cancel = new Set<string>();
      const checkIns: Array<ReturnType<Ledger["newCheckIn"]>> = [];
      const put = (before: Commitment, after: Commitment) => {
        const list = active.get(before.threadId)!;
        const at = list.indexOf(before);
        if (isActive(after)) list[at] = after;
        else list.splice(at, 1);
        (created.has(after.id) ? created : changed).set(after.id, after);
      };
      // Ledger.apply, in memory (events deferred).
      const apply = (c: Commitment, action: LedgerAction, historyAt?: number): Commitment => {
        const t = transition(c, action, s);
        put(c, t.commitment);
        history.push({ commitmentId: c.id, at: historyAt ?? t.history.at, type: t.history.type, detail: t.history.detail });
        // One made in this batch has no events yet.
        if (t.reminders.cancelFuture && !created.has(c.id)) cancel.add(c.id);
        return t.commitment;
      };

      const out: Array<RecordSentResult | RecordReceivedResult> = [];
      const checkInWith = new Map<string, string | null>(); // person → their scheduled check-in, as the batch goes
      for (let i = 0; i < items.length; i++) {
        const item = items[i]!;
        const onThread = [...(active.get(item.msg.threadId) ?? [])];
        if (item.kind === "received") {
          // Ledger.receivedIn
          if (!fresh[i]) {
            out.push({ duplicate: true, chased: [] });
            continue;
          }
          const msg = item.msg;
          const from = normaliseAddress(msg.from.address);
          const chased: Commitment[] = [];
          for (const c of onThread) {
            if (!chasesCommitment(c, { threadId: msg.threadId, receivedAt: msg.receivedAt, from })) continue;
            chased.push(apply(c, { type: "chase", at: now, messageId: msg.messageId, receivedAt: Math.min(msg.receivedAt, now) }, msg.receivedAt));
          }
          out.push({ duplicate: false, chased });
          continue;
        }
        // Ledger.sentIn
        if (!fresh[i]) {
          out.push({ duplicate: true, created: [], kept: [], checkInId: null });
          continue;
        }
        const { msg, detection } = item;
        const recipients = [...msg.to, ...msg.cc].map((p) => normaliseAddress(p.address));
        const composed = composedUpdateIn(onThread, msg, recipients, detection);
        if (composed) {
          put(composed, { ...composed, messageId: msg.messageId, internetMessageId: msg.internetMessageId, updatedAt: now });
          out.push({ duplicate: false, created: [], kept: [], checkInId: null });
          continue;
        }
        const kept: Commitment[] = [];
        for (const c of keptBy(onThread, msg, recipients)) kept.push(apply(c, { type: "keep", at: msg.sentAt, messageId: msg.messageId, via: "reply" }));
        const counterparts = dedupe([...msg.to, ...msg.cc]).filter((p) => !own.has(p.address));
        const made: Commitment[] = [];
        let checkInId: string | null = null;
        if (!detection.autoReply && counterparts.length > 0) {
          const primary = primaryPromise(detection);
          if (primary) {
            const input = promiseInput(msg, counterparts, primary, source, now);
            const { c } = this.newCommitment(account, s, input);
            created.set(c.id, c);
            const list = active.get(c.threadId);
            if (list) list.push(c);
            else active.set(c.threadId, [c]);
            history.push({ commitmentId: c.id, at: msg.sentAt, type: "created", detail: createdDetail(c, input) });
            made.push(c);
          }
          if (detection.badNews) {
            const who = counterparts[0]!.address;
            if (!checkInWith.has(who)) checkInWith.set(who, await scheduledCheckInWith(tx, account.id, who));
            checkInId = checkInWith.get(who) ?? null;
            if (!checkInId) {
              const checkIn = this.newCheckIn(account, s, badNewsCheckIn(msg, counterparts, detection.badNews, s, made[0]?.id ?? null, now));
              checkIns.push(checkIn);
              checkInId = checkIn.row.id;
              checkInWith.set(who, checkInId);
            }
          }
        }
        out.push({ duplicate: false, created: made, kept, checkInId });
      }

      // Write it all back: new promises before their history (a foreign key), then the rest.
      await insertJson(tx, schema.commitments, [...created.values()].map(toRow));
      if (changed.size > 0) {
        const rows = [...changed.values()].map((c) => [
          c.id, c.messageId, c.internetMessageId, c.status, c.snoozedUntil, c.chasedAt, c.chaseCount, c.keptAt,
          c.keptMessageId, c.dismissedReason, c.renewedToId, c.nextReminderAt, c.reminderCount, c.updatedAt,
        ]);
        const names = ["id", "message_id", "internet_message_id", "status", "snoozed_until", "chased_at", "chase_count", "kept_at", "kept_message_id", "dismissed_reason", "renewed_to_id", "next_reminder_at", "reminder_count", "updated_at"];
        await tx.run(sql`
          with ${jsonRows(rows)}, v as (select ${fields(names.length, names)} from rows)
          update commitments set
            message_id = v.message_id, internet_message_id = v.internet_message_id, status = v.status, snoozed_until = v.snoozed_until,
            chased_at = v.chased_at, chase_count = v.chase_count, kept_at = v.kept_at, kept_message_id = v.kept_message_id,
            dismissed_reason = v.dismissed_reason, renewed_to_id = v.renewed_to_id, next_reminder_at = v.next_reminder_at,
            reminder_count = v.reminder_count, updated_at = v.updated_at
          from v where commitments.id = v.id`);
      }
      await insertJson(tx, schema.commitmentHistory, history);
      const outbox: Array<typeof schema.outbox.$inferInsert> = [];
      if (cancel.size > 0) {
        // Ledger.cancelFutureReminders for every promise this batch ended or moved.
        const r = schema.reminders;
        const cancelled = await tx
          .update(r)
          .set({ state: "cancelled", version: sql`${r.version} + 1`, updatedAt: now })
          .where(and(sql`${r.commitmentId} in (select value from json_each(${JSON.stringify([...cancel])}))`, inArray(r.state, ["pending", "created"]), sql`${r.startsAt} > ${now}`))
          .returning({ id: r.id, commitmentId: r.commitmentId });
        for (const c of cancelled) {
          outbox.push(this.eventRow(accountId, { key: `delete:${c.id}`, op: "delete_event", reminderId: c.id, commitmentId: c.commitmentId, payload: {} }, now));
        }
        await this.deletedNow(tx, cancelled.map((c) => c.id), now);
      }
      if (created.size > 0 || cancel.size > 0) {
        // The follow-ups of these promises (new ones, and chased ones whose events went) are placed once, by placeEvents, when the
        // import is done. Should it never get there (the process killed), this durable
        // note has the sweep place them, after a grace period that outlasts an import.
        await tx.run(sql`
          insert into outbox (account_id, key, op, reminder_id, commitment_id, payload, state, attempts, next_attempt_at, created_at, updated_at)
          values (${accountId}, ${placeKey(accountId)}, 'place_events', null, null, '{}', 'pending', 0, ${now + PLACE_GRACE_MS}, ${now}, ${now})
          on conflict (key) do update set state = 'pending', attempts = 0, last_error = null, next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at`);
      }
      await insertJson(tx, schema.checkIns, checkIns.map((c) => c.row));
      await insertJson(tx, schema.reminders, checkIns.map((c) => c.reminder));
      for (const c of checkIns) {
        outbox.push(this.eventRow(accountId, { key: `event:${c.reminder.id}`, op: "create_event", reminderId: c.reminder.id, commitmentId: null, payload: { event: c.spec } }, now));
      }
      await insertJson(tx, schema.outbox, outbox, { ignoreConflicts: true });
      return out;
    });
  }

  /**
   * After recordMany: a follow-up event for every open promise whose next one is
   * still to come and has none. (Those already due are the sweep's.)
   */
  async placeEvents(accountId: string): Promise<number> {
    const now = this.deps.clock();
    const c = schema.commitments;
    const r = schema.reminders;
    let placed = 0;
    // A page at a time, in id order and a transaction each, so a large import's open
    // promises never sit in memory at once and other writers wait for a page at most.
    for (let after = ""; ; ) {
      const page = await this.db.transaction(async (tx) => {
        const account = await mustAccount(tx, accountId);
        const s = settingsOf(account);
        const rows = await tx
          .select()
          .from(c)
          .where(
            and(
              eq(c.accountId, accountId),
              inArray(c.status, ["open", "snoozed"]),
              sql`${c.nextReminderAt} > ${now}`,
              sql`${c.id} > ${after}`,
              sql`not exists (select 1 from reminders r where r.commitment_id = ${c.id} and r.state in ('pending', 'created') and r.starts_at > ${now})`,
            ),
          )
          .orderBy(asc(c.id))
          .limit(PLACE_PAGE);
        if (rows.length === 0) return rows;
        // Ledger.addReminder for each, in a few statements.
        const seqs = new Map<string, number>();
        const last = await tx
          .select({ id: r.commitmentId, seq: sql<number>`max(${r.seq})` })
          .from(r)
          .where(sql`${r.commitmentId} in (select value from json_each(${JSON.stringify(rows.map((row) => row.id))}))`)
          .groupBy(r.commitmentId);
        for (const l of last) seqs.set(l.id!, Number(l.seq));
        const made = rows.map((row) => this.reminderFor(toCommitment(row), s, row.nextReminderAt!, (seqs.get(row.id) ?? 0) + 1, now));
        await insertJson(tx, r, made.map((m) => m.row));
        await insertJson(
          tx,
          schema.outbox,
          made.map((m) => this.eventRow(accountId, { key: `event:${m.row.id}`, op: "create_event", reminderId: m.row.id, commitmentId: m.row.commitmentId!, payload: { event: m.spec } }, now)),
          { ignoreConflicts: true },
        );
        return rows;
      });
      placed += page.length;
      if (page.length < PLACE_PAGE) break;
      after = page[page.length - 1]!.id;
    }
    // The import's note is done, unless a batch set it again since this began.
    await this.db
      .update(schema.outbox)
      .set({ state: "done", result: { placed }, updatedAt: this.deps.clock() })
      .where(and(eq(schema.outbox.key, placeKey(accountId)), eq(schema.outbox.state, "pending"), lte(schema.outbox.updatedAt, now)));
    return placed;
  }

  /**
   * Saves the user's settings. A new zone, working days or hours also leaves a
   * note in the outbox, in the same transaction, to move what is already planned
   * (reschedule): attempted at once, and retried by the sweep should it fail, so
   * the move is never lost half done.
   */
  async updateSettings(accountId: string, patch: SettingsPatch): Promise<{ account: AccountRow; rescheduled: { followUps: number; checkIns: number } | null }> {
    const pending: Pending = { outboxKeys: [] };
    const changedAt = this.deps.clock();
    const result = await this.db.transaction(async (tx) => {
      const before = settingsOf(await mustAccount(tx, accountId));
      const account = await updateSettings(tx, accountId, patch);
      if (timingChanged(before, settingsOf(account))) {
        await enqueue(tx, accountId, { key: `reschedule:${accountId}:${changedAt}`, op: "reschedule", reminderId: null, commitmentId: null, payload: { before, changedAt } }, pending, changedAt);
      }
      return account;
    });
    await this.outbox.drain(pending.outboxKeys);
    const [op] = pending.outboxKeys.length ? await this.db.select().from(schema.outbox).where(eq(schema.outbox.key, pending.outboxKeys[0]!)) : [];
    return { account: result, rescheduled: op ? ((op.result as { followUps: number; checkIns: number } | null) ?? { followUps: 0, checkIns: 0 }) : null };
  }

  /**
   * After the user changes their zone, working days or hours: every follow-up and
   * check-in still to come moves to the same date under the new settings (see
   * movedReminder), its old event replaced by one at the new time. A page of
   * promises a transaction, so a long list never holds the database for long.
   */
  async reschedule(accountId: string, before: WorkSettings, changedAt: number): Promise<{ followUps: number; checkIns: number }> {
    const now = this.deps.clock();
    // What this moves is marked as written after the change, so a retry leaves it be.
    const stamp = Math.max(now, changedAt + 1);
    const c = schema.commitments;
    const moved = { followUps: 0, checkIns: 0 };
    for (let after = ""; ; ) {
      const pending: Pending = { outboxKeys: [] };
      const page = await this.db.transaction(async (tx) => {
        const account = await mustAccount(tx, accountId);
        const s = settingsOf(account);
        const rows = await tx
          .select()
          .from(c)
          // Only what was planned before the change: anything written since was planned under the new settings.
          .where(and(eq(c.accountId, accountId), inArray(c.status, ["open", "snoozed"]), sql`${c.nextReminderAt} > ${now}`, sql`${c.updatedAt} <= ${changedAt}`, sql`${c.id} > ${after}`))
          .orderBy(asc(c.id))
          .limit(RESCHEDULE_PAGE);
        for (const row of rows) {
          const old = toCommitment(row);
          const at = movedReminder(old.nextReminderAt!, before, s, now);
          if (at === old.nextReminderAt) continue;
          const updated: Commitment = {
            ...old,
            nextReminderAt: at,
            snoozedUntil: old.status === "snoozed" && old.snoozedUntil === old.nextReminderAt ? at : old.snoozedUntil,
            updatedAt: stamp,
          };
          await tx.update(c).set({ nextReminderAt: updated.nextReminderAt, snoozedUntil: updated.snoozedUntil, updatedAt: stamp }).where(eq(c.id, old.id));
          await tx.insert(schema.commitmentHistory).values({ commitmentId: old.id, at: now, type: "rescheduled", detail: { from: old.nextReminderAt, to: at, timeZone: s.timeZone } });
          await this.cancelFutureReminders(tx, accountId, { commitmentId: old.id }, now, pending);
          await this.addReminder(tx, account, s, updated, at, pending, now);
          moved.followUps++;
        }
        return rows;
      });
      await this.outbox.drain(pending.outboxKeys);
      if (page.length < RESCHEDULE_PAGE) break;
      after = page[page.length - 1]!.id;
    }

    // Check-ins: the same event at its new time, from the spec it was made with.
    const pending: Pending = { outboxKeys: [] };
    await this.db.transaction(async (tx) => {
      const account = await mustAccount(tx, accountId);
      const s = settingsOf(account);
      const k = schema.checkIns;
      const r = schema.reminders;
      const due = await tx.select().from(k).where(and(eq(k.accountId, accountId), eq(k.status, "scheduled"), sql`${k.dueAt} > ${now}`, sql`${k.updatedAt} <= ${changedAt}`));
      for (const checkIn of due) {
        const at = movedReminder(checkIn.dueAt, before, s, now);
        if (at === checkIn.dueAt) continue;
        const [current] = await tx
          .select()
          .from(r)
          .where(and(eq(r.checkInId, checkIn.id), inArray(r.state, ["pending", "created"])))
          .orderBy(sql`${r.seq} desc`)
          .limit(1);
        const [made] = current ? await tx.select().from(schema.outbox).where(eq(schema.outbox.key, `event:${current.id}`)) : [];
        const { descriptionHtml: _oldHtml, ...spec } = (made?.payload.event ?? {}) as PlannedEvent & { descriptionHtml?: string };
        await tx.update(k).set({ dueAt: at, dueDate: localDateOf(at, s.timeZone), updatedAt: stamp }).where(eq(k.id, checkIn.id));
        await this.cancelFutureReminders(tx, accountId, { checkInId: checkIn.id }, now, pending);
        if (!current || !made?.payload.event) continue;
        const id = `${checkIn.id}.${current.seq + 1}`;
        const next: PlannedEvent = { ...spec, key: `kept:${id}`, start: at, end: at + s.eventMinutes * MINUTE, timeZone: s.timeZone };
        await tx.insert(r).values(reminderRow(id, accountId, { checkInId: checkIn.id }, current.seq + 1, next, now, this.inline));
        await this.enqueueEvent(tx, accountId, { key: `event:${id}`, op: "create_event", reminderId: id, commitmentId: null, payload: { event: next } }, pending, now);
        moved.checkIns++;
      }
    });
    await this.outbox.drain(pending.outboxKeys);
    return moved;
  }

  // ── User actions ───────────────────────────────────────────────────────────

  async act(accountId: string, id: string, input: LedgerActionInput): Promise<Commitment> {
    const now = this.deps.clock();
    const pending: Pending = { outboxKeys: [] };
    const result = await this.db.transaction(async (tx) => {
      const account = await mustAccount(tx, accountId);
      const c = await mustCommitment(tx, accountId, id);
      const action: LedgerAction =
        input.type === "keep"
          ? { type: "keep", at: now, messageId: null, via: "manual" }
          : input.type === "dismiss"
            ? { type: "dismiss", at: now, reason: input.reason }
            : input.type === "snooze"
              ? { type: "snooze", at: now, until: input.until }
              : { type: "reopen", at: now };
      return this.apply(tx, account, c, action, pending);
    });
    await this.outbox.drain(pending.outboxKeys);
    return result;
  }

  /**
   * "No news yet": renders the template, queues the reply (or composes it for the
   * user to send where Kept can't send mail), keeps this promise and opens a new
   * one due on the date the update names.
   */
  async renewWithUpdate(
    accountId: string,
    id: string,
    input: { templateId: string; nextUpdateDate: string; body?: string },
  ): Promise<{ old: Commitment; renewed: Commitment; reply: { to: Counterpart[]; subject: string; text: string; html: string; delivery: "queued" | "compose"; mailto: string | null } }> {
    const now = this.deps.clock();
    const pending: Pending = { outboxKeys: [] };
    const result = await this.db.transaction(async (tx) => {
      const account = await mustAccount(tx, accountId);
      const s = settingsOf(account);
      const old = await mustCommitment(tx, accountId, id);
      if (!isActive(old)) transition(old, { type: "renew", at: now, newId: "-", newDueDate: input.nextUpdateDate }, s); // throws the right message
      if (input.nextUpdateDate < localDateOf(now, s.timeZone))
        throw new KeptError("bad_request", "The next update date is in the past; pick today or a later date.");
      const body = input.body ?? (await this.templateBody(tx, accountId, input.templateId));
      const to = old.counterparts[0]!;
      const values = {
        firstName: firstName(to),
        subject: bareSubject(old.subject) || "this",
        nextUpdateDate: formatDate(input.nextUpdateDate, s.locale, localDateOf(now, s.timeZone)),
        myName: senderName(account),
      };
      const text = renderText(body, values);
      const html = renderHtml(body, values);
      const subject = replySubject(old.subject);
      const newId = this.deps.newId();
      const replyMessageId = `${COMPOSED_PREFIX}${newId}`;
      const renewed = await this.createCommitment(tx, account, s, {
        msg: {
          threadId: old.threadId,
          messageId: replyMessageId,
          internetMessageId: null,
          subject: old.subject,
          to: [to],
          cc: [],
          sentAt: now,
        },
        counterparts: old.counterparts,
        sentence: `I'll update you by ${values.nextUpdateDate}.`,
        trigger: "update",
        kind: "explicit",
        statedDue: input.nextUpdateDate,
        source: "update",
        renewedFromId: old.id,
        now,
        id: newId,
      }, pending);
      const oldAfter = await this.apply(tx, account, old, { type: "renew", at: now, newId, newDueDate: input.nextUpdateDate }, pending);
      const delivery = this.deps.mail ? "queued" : "compose";
      if (this.deps.mail) {
        await enqueue(tx, account.id, {
          key: `reply:${newId}`,
          op: "send_reply",
          commitmentId: newId,
          reminderId: null,
          payload: {
            threadId: old.threadId,
            inReplyToMessageId: old.messageId,
            to: [to],
            subject,
            bodyText: text,
            bodyHtml: html,
          },
        }, pending, now);
      }
      const mailto = delivery === "compose"
        ? `mailto:${encodeURIComponent(to.address)}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(text)}`
        : null;
      return { old: oldAfter, renewed, reply: { to: [to], subject, text, html, delivery: delivery as "queued" | "compose", mailto } };
    });
    await this.outbox.drain(pending.outboxKeys);
    return result;
  }

  async scheduleCheckIn(
    accountId: string,
    input: { counterpart: Counterpart; subject: string; days?: number; note?: string; commitmentId?: string },
  ): Promise<string> {
    const now = this.deps.clock();
    const pending: Pending = { outboxKeys: [] };
    const id = await this.db.transaction(async (tx) => {
      const account = await mustAccount(tx, accountId);
      const s = settingsOf(account);
      let threadId: string | null = null;
      if (input.commitmentId) threadId = (await mustCommitment(tx, accountId, input.commitmentId)).threadId;
      return this.insertCheckIn(tx, account, s, {
        counterpart: { name: input.counterpart.name, address: normaliseAddress(input.counterpart.address) },
        subject: input.subject,
        note: input.note ?? null,
        commitmentId: input.commitmentId ?? null,
        threadId,
        days: input.days ?? s.checkInDays,
        reason: "manual",
        from: now,
        now,
      }, pending);
    });
    await this.outbox.drain(pending.outboxKeys);
    return id;
  }

  async cancelCheckIn(accountId: string, id: string): Promise<void> {
    const now = this.deps.clock();
    const pending: Pending = { outboxKeys: [] };
    await this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(schema.checkIns)
        .where(and(eq(schema.checkIns.accountId, accountId), eq(schema.checkIns.id, id)));
      if (!row) throw new KeptError("not_found", "No such check-in on your account. It may have been removed; reload the list.");
      if (row.status !== "scheduled") throw new KeptError("conflict", `This check-in is already ${row.status}.`);
      await tx.update(schema.checkIns).set({ status: "cancelled", updatedAt: now }).where(eq(schema.checkIns.id, id));
      await this.cancelFutureReminders(tx, accountId, { checkInId: id }, now, pending);
    });
    await this.outbox.drain(pending.outboxKeys);
  }

  // ── The sweep ──────────────────────────────────────────────────────────────

  /**
   * Run by cron: every follow-up whose time has come gets its successor on the
   * escalating schedule, finished check-ins are closed, and the outbox is
   * retried. Safe to run concurrently and after a crash.
   */
  /** `accountId`: only that account's (an import's own sweep); otherwise everyone's (the cron). */
  async sweep(opts: { batch?: number; maxBatches?: number; accountId?: string } = {}): Promise<{ reminded: number; checkInsDone: number; outbox: DrainResult }> {
    const batch = opts.batch ?? 500;
    const maxBatches = opts.maxBatches ?? 1000;
    let reminded = 0;
    const now = this.deps.clock();
    for (let i = 0; i < maxBatches; i++) {
      const n = await this.sweepBatch(now, batch, opts.accountId);
      reminded += n;
      if (n < batch) break;
    }
    const k = schema.checkIns;
    const done = await this.db
      .update(k)
      .set({ status: "done", updatedAt: now })
      .where(and(eq(k.status, "scheduled"), lte(k.dueAt, now), opts.accountId ? eq(k.accountId, opts.accountId) : undefined))
      .returning({ id: k.id });
    await this.outbox.tellRefusedLeftOver(opts.accountId);
    const outbox = await this.outbox.drainDue(100_000, opts.accountId);
    return { reminded, checkInsDone: done.length, outbox };
  }

  private async sweepBatch(now: number, limit: number, accountId?: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const due = await tx
        .select()
        .from(schema.commitments)
        .where(
          and(
            isNotNull(schema.commitments.nextReminderAt),
            lte(schema.commitments.nextReminderAt, now),
            accountId ? eq(schema.commitments.accountId, accountId) : undefined,
          ),
        )
        .orderBy(asc(schema.commitments.nextReminderAt))
        .limit(limit);
      if (due.length === 0) return 0;
      const accountIds = [...new Set(due.map((r) => r.accountId))];
      const accounts = new Map<string, AccountRow>();
      for (let i = 0; i < accountIds.length; i += 200) {
        const rows = await tx.select().from(schema.accounts).where(inArray(schema.accounts.id, accountIds.slice(i, i + 200)));
        for (const a of rows) accounts.set(a.id, a);
      }
      const seqs = new Map<string, number>();
      const ids = due.map((r) => r.id);
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await tx
          .select({ id: schema.reminders.commitmentId, seq: sql<number>`max(${schema.reminders.seq})` })
          .from(schema.reminders)
          .where(inArray(schema.reminders.commitmentId, ids.slice(i, i + 500)))
          .groupBy(schema.reminders.commitmentId);
        for (const r of rows) seqs.set(r.id!, Number(r.seq));
      }
      const updates: Commitment[] = [];
      const historyRows: unknown[] = [];
      const reminderRows: unknown[] = [];
      const outboxRows: unknown[] = [];
      const orphans = due.filter((r) => !accounts.has(r.accountId)).map((r) => r.id);
      if (orphans.length) await tx.update(schema.commitments).set({ nextReminderAt: null }).where(inArray(schema.commitments.id, orphans));
      for (const row of due) {
        const account = accounts.get(row.accountId);
        if (!account) continue;
        const s = settingsOf(account);
        const c = toCommitment(row);
        const t = transition(c, { type: "remind", at: now }, s);
        updates.push(t.commitment);
        historyRows.push([c.id, now, t.history.type, JSON.stringify(t.history.detail)]);
        const r = this.reminderFor(t.commitment, s, t.commitment.nextReminderAt!, (seqs.get(c.id) ?? 0) + 1, now);
        reminderRows.push([r.row.id, account.id, c.id, r.row.seq, r.row.startsAt, r.row.endsAt, r.row.title, r.row.eventId, r.row.state]);
        const done = this.placedResult({ op: "create_event", payload: { event: r.spec } });
        outboxRows.push([account.id, `event:${r.row.id}`, r.row.id, c.id, JSON.stringify({ event: r.spec }), done === undefined ? "pending" : "done", done ? JSON.stringify(done) : null]);
      }
      // A batch is a few statements, each with its rows as one JSON parameter: cheap to
      // build, and one round trip each on a libSQL server.
      const j = (path: number) => sql.raw(`json_extract(value, '$[${path}]')`);
      await tx.run(sql`
        insert into commitment_history (commitment_id, at, type, detail)
        select ${j(0)}, ${j(1)}, ${j(2)}, ${j(3)} from json_each(${JSON.stringify(historyRows)})`);
      await tx.run(sql`
        insert into reminders (id, account_id, commitment_id, check_in_id, kind, seq, starts_at, ends_at, title, event_id, state, version, created_at, updated_at)
        select ${j(0)}, ${j(1)}, ${j(2)}, null, 'follow-up', ${j(3)}, ${j(4)}, ${j(5)}, ${j(6)}, ${j(7)}, ${j(8)}, 0, ${now}, ${now}
        from json_each(${JSON.stringify(reminderRows)})`);
      await tx.run(sql`
        insert into outbox (account_id, key, op, reminder_id, commitment_id, payload, state, result, attempts, next_attempt_at, created_at, updated_at)
        select ${j(0)}, ${j(1)}, 'create_event', ${j(2)}, ${j(3)}, ${j(4)}, ${j(5)}, ${j(6)}, 0, ${now}, ${now}, ${now}
        from json_each(${JSON.stringify(outboxRows)}) where true
        on conflict do nothing`);
      await tx.run(sql`
        with v as (select ${j(0)} as id, ${j(1)} as status, ${j(2)} as snoozed_until, ${j(3)} as reminder_count, ${j(4)} as next_reminder_at
                   from json_each(${JSON.stringify(updates.map((u) => [u.id, u.status, u.snoozedUntil, u.reminderCount, u.nextReminderAt]))}))
        update commitments set
          status = v.status, snoozed_until = v.snoozed_until, reminder_count = v.reminder_count,
          next_reminder_at = v.next_reminder_at, updated_at = ${now}
        from v where commitments.id = v.id`);
      return due.length;
    });
  }

  // ── Internals ──────────────────────────────────────────────────────────────

  private async apply(
    tx: Tx,
    account: AccountRow,
    c: Commitment,
    action: LedgerAction,
    pending: Pending,
    historyAt?: number,
  ): Promise<Commitment> {
    const s = settingsOf(account);
    const t = transition(c, action, s);
    const now = this.deps.clock();
    const n = t.commitment;
    await hot(tx).saveState.run({
      id: c.id,
      status: n.status,
      snoozedUntil: n.snoozedUntil,
      chasedAt: n.chasedAt,
      chaseCount: n.chaseCount,
      keptAt: n.keptAt,
      keptMessageId: n.keptMessageId,
      dismissedReason: n.dismissedReason,
      renewedToId: n.renewedToId,
      nextReminderAt: n.nextReminderAt,
      reminderCount: n.reminderCount,
      updatedAt: n.updatedAt,
    });
    await hot(tx).addHistory.run({ commitmentId: c.id, at: historyAt ?? t.history.at, type: t.history.type, detail: t.history.detail });
    if (t.reminders.cancelFuture) await this.cancelFutureReminders(tx, account.id, { commitmentId: c.id }, now, pending);
    if (t.reminders.createAt !== null && !pending.deferEvents) {
      await this.addReminder(tx, account, s, t.commitment, t.reminders.createAt, pending, now);
    }
    return t.commitment;
  }

  private async createCommitment(
    tx: Tx,
    account: AccountRow,
    s: WorkSettings,
    input: NewCommitmentInput,
    pending: Pending,
  ): Promise<Commitment> {
    const { c, nextAt } = this.newCommitment(account, s, input);
    await hot(tx).insertCommitment.run(toRow(c));
    await tx.insert(schema.commitmentHistory).values({ commitmentId: c.id, at: input.msg.sentAt, type: "created", detail: createdDetail(c, input) });
    if (nextAt !== null && !pending.deferEvents) await this.addReminder(tx, account, s, c, nextAt, pending, input.now);
    // Otherwise the sweep sees a reminder time already past and schedules the next one straight away.
    return c;
  }

  /** The commitment a message makes, and when its first follow-up goes on the calendar (null: the sweep's). */
  private newCommitment(account: AccountRow, s: WorkSettings, input: NewCommitmentInput): { c: Commitment; nextAt: number | null } {
    const first = firstReminder(input.msg.sentAt, input.statedDue, s);
    const id = input.id ?? this.deps.newId();
    // A promise read long after it was made (an import) gets its first follow-up now, not in the past.
    const nextAt = first.at > input.now ? first.at : null;
    const c: Commitment = {
      id,
      accountId: account.id,
      provider: account.provider,
      threadId: input.msg.threadId,
      messageId: input.msg.messageId,
      internetMessageId: input.msg.internetMessageId,
      counterparts: input.counterparts,
      subject: input.msg.subject.slice(0, 300),
      sentence: input.sentence.slice(0, SENTENCE_CAP),
      trigger: input.trigger,
      kind: input.kind,
      sentAt: input.msg.sentAt,
      dueDate: first.dueDate,
      dueStated: input.statedDue !== null,
      status: "open",
      snoozedUntil: null,
      chasedAt: null,
      chaseCount: 0,
      keptAt: null,
      keptMessageId: null,
      dismissedReason: null,
      renewedFromId: input.renewedFromId,
      renewedToId: null,
      nextReminderAt: nextAt ?? first.at,
      reminderCount: 0,
      source: input.source,
      createdAt: input.now,
      updatedAt: input.now,
    };
    return { c, nextAt };
  }

  private async addReminder(tx: Tx, account: AccountRow, s: WorkSettings, c: Commitment, at: number, pending: Pending, now: number) {
    const [{ n }] = await tx
      .select({ n: sql<number>`coalesce(max(${schema.reminders.seq}), 0)` })
      .from(schema.reminders)
      .where(eq(schema.reminders.commitmentId, c.id));
    const r = this.reminderFor(c, s, at, Number(n) + 1, now);
    await tx.insert(schema.reminders).values(r.row);
    await this.enqueueEvent(tx, account.id, { key: `event:${r.row.id}`, op: "create_event", reminderId: r.row.id, commitmentId: c.id, payload: { event: r.spec } }, pending, now);
  }

  /** Whether calendar operations are done as they are written (CalendarProvider.inline). */
  private get inline(): boolean {
    return this.deps.calendar.inline === true;
  }

  /** What an inline calendar's operation results in, recorded as done; undefined if it is to be attempted. */
  private placedResult(o: Pick<OutboxInput, "op" | "payload">): Record<string, unknown> | null | undefined {
    if (!this.inline) return undefined;
    if (o.op === "create_event") return { eventId: (o.payload.event as PlannedEvent).key };
    if (o.op === "delete_event") return null;
    return undefined;
  }

  /** A calendar operation's outbox row: pending, or done as written for an inline calendar. */
  private eventRow(accountId: string, o: OutboxInput, now: number) {
    return outboxRow(accountId, o, now, this.placedResult(o));
  }

  private enqueueEvent(tx: Tx, accountId: string, o: OutboxInput, pending: Pending, now: number) {
    return enqueue(tx, accountId, o, pending, now, this.placedResult(o));
  }

  /** An inline calendar's cancelled follow-ups are deleted at once, as the outbox would mark them. */
  private async deletedNow(tx: Tx, reminderIds: string[], now: number) {
    if (!this.inline || reminderIds.length === 0) return;
    await tx.run(sql`update reminders set state = 'deleted', updated_at = ${now} where id in (select value from json_each(${JSON.stringify(reminderIds)}))`);
  }

  private reminderFor(c: Commitment, s: WorkSettings, at: number, seq: number, now: number) {
    const id = `${c.id}.${seq}`;
    const spec = followUpEvent(c, s, at, `${this.deps.publicUrl}/c/${encodeURIComponent(c.id)}`, `kept:${id}`);
    const row = reminderRow(id, c.accountId, { commitmentId: c.id }, seq, spec, now, this.inline);
    return { row, spec };
  }

  private async cancelFutureReminders(
    tx: Tx,
    accountId: string,
    owner: { commitmentId: string } | { checkInId: string },
    now: number,
    pending: Pending,
  ) {
    const q = hot(tx);
    const future =
      "commitmentId" in owner
        ? await q.cancelFollowUps.all({ commitmentId: owner.commitmentId, now })
        : await q.cancelCheckIn.all({ checkInId: owner.checkInId, now });
    for (const r of future) {
      await this.enqueueEvent(tx, accountId, { key: `delete:${r.id}`, op: "delete_event", reminderId: r.id, commitmentId: "commitmentId" in owner ? owner.commitmentId : null, payload: {} }, pending, now);
    }
    await this.deletedNow(tx, future.map((r) => r.id), now);
  }

  private async insertCheckIn(tx: Tx, account: AccountRow, s: WorkSettings, input: CheckInInput, pending: Pending): Promise<string> {
    const { row, reminder, spec } = this.newCheckIn(account, s, input);
    await tx.insert(schema.checkIns).values(row);
    await tx.insert(schema.reminders).values(reminder);
    await this.enqueueEvent(tx, account.id, { key: `event:${reminder.id}`, op: "create_event", reminderId: reminder.id, commitmentId: null, payload: { event: spec } }, pending, input.now);
    return row.id;
  }

  /** A check-in's row, its one calendar reminder and that event, as insertCheckIn writes them. */
  private newCheckIn(account: AccountRow, s: WorkSettings, input: CheckInInput) {
    if (!Number.isInteger(input.days) || input.days < 1 || input.days > 730)
      throw new KeptError("bad_request", "A check-in must be 1 to 730 days away.");
    const id = this.deps.newId();
    // N days after the news; bad news found in old mail, already past that, gets its check-in soon.
    let when = checkInAt(input.from, input.days, s);
    if (when.at <= input.now) when = checkInAt(input.now, 1, s);
    const row = {
      id,
      accountId: account.id,
      counterpartAddress: input.counterpart.address,
      counterpartName: input.counterpart.name,
      subject: input.subject.slice(0, 300),
      note: input.note,
      commitmentId: input.commitmentId,
      threadId: input.threadId,
      dueAt: when.at,
      dueDate: when.date,
      status: "scheduled",
      reason: input.reason,
      createdAt: input.now,
      updatedAt: input.now,
    } satisfies typeof schema.checkIns.$inferInsert;
    const rid = `${id}.1`;
    const who = input.counterpart.name ?? input.counterpart.address;
    const spec: PlannedEvent = {
      key: `kept:${rid}`,
      kind: "check-in",
      title: `Check in with ${who}`,
      start: when.at,
      end: when.at + s.eventMinutes * MINUTE,
      timeZone: s.timeZone,
      description: [
        input.reason === "bad-news"
          ? `On ${formatDate(localDateOf(input.from, s.timeZone), s.locale, localDateOf(when.at, s.timeZone))} you gave ${who} some bad news.`
          : `On ${formatDate(localDateOf(input.from, s.timeZone), s.locale, localDateOf(when.at, s.timeZone))} you planned to check in with ${who} today.`,
        `Subject: ${input.subject}`,
        input.note ? `What you said: “${input.note}”` : null,
        `A short hello keeps the relationship warm: ${this.deps.publicUrl}/`,
      ].filter(Boolean).join("\n"),
      url: `${this.deps.publicUrl}/`,
      alarmMinutes: 0,
    };
    return { row, reminder: reminderRow(rid, account.id, { checkInId: id }, 1, spec, input.now, this.inline), spec };
  }

  private async templateBody(tx: Tx, accountId: string, templateId: string): Promise<string> {
    const builtIn = DEFAULT_TEMPLATES.find((t) => t.id === templateId);
    const [own] = await tx
      .select()
      .from(schema.templates)
      .where(and(eq(schema.templates.accountId, accountId), eq(schema.templates.id, templateId)));
    if (own) return own.body;
    if (builtIn) return builtIn.body;
    throw new KeptError("not_found", `No template "${templateId}". List your templates at GET /api/templates.`);
  }
}

// The statements every message runs, prepared once per transaction: building a
// drizzle query costs more than SQLite takes to run it, and an import runs
// hundreds of messages in one transaction.
function prepareHot(tx: Tx) {
  const c = schema.commitments;
  const ph = sql.placeholder;
  return {
    markProcessed: tx
      .insert(schema.processedMessages)
      .values({ accountId: ph("accountId"), messageId: ph("messageId"), direction: ph("direction"), at: ph("at") })
      .onConflictDoNothing()
      .returning({ id: schema.processedMessages.messageId })
      .prepare(),
    activeOnThread: tx
      .select()
      .from(c)
      .where(and(eq(c.accountId, ph("accountId")), eq(c.threadId, ph("threadId")), inArray(c.status, ["open", "snoozed"])))
      .prepare(),
    addHistory: tx
      .insert(schema.commitmentHistory)
      .values({ commitmentId: ph("commitmentId"), at: ph("at"), type: ph("type"), detail: ph("detail") })
      .prepare(),
    insertCommitment: tx
      .insert(c)
      .values(Object.fromEntries(COMMITMENT_FIELDS.map((f) => [f, ph(f)])) as never)
      .prepare(),
    // What a transition changes; the rest of a commitment never does.
    saveState: tx
      .update(c)
      // drizzle runs placeholders in set() but does not type them there.
      .set({
        status: ph("status"),
        snoozedUntil: ph("snoozedUntil"),
        chasedAt: ph("chasedAt"),
        chaseCount: ph("chaseCount"),
        keptAt: ph("keptAt"),
        keptMessageId: ph("keptMessageId"),
        dismissedReason: ph("dismissedReason"),
        renewedToId: ph("renewedToId"),
        nextReminderAt: ph("nextReminderAt"),
        reminderCount: ph("reminderCount"),
        updatedAt: ph("updatedAt"),
      } as never)
      .where(eq(c.id, ph("id")))
      .prepare(),
    cancelFollowUps: cancelReminders(tx, eq(schema.reminders.commitmentId, ph("commitmentId"))),
    cancelCheckIn: cancelReminders(tx, eq(schema.reminders.checkInId, ph("checkInId"))),
  };
}

function cancelReminders(tx: Tx, owner: ReturnType<typeof eq>) {
  const r = schema.reminders;
  return tx
    .update(r)
    .set({ state: "cancelled", version: sql`${r.version} + 1`, updatedAt: sql.placeholder("now") as never })
    .where(and(owner, inArray(r.state, ["pending", "created"]), sql`${r.startsAt} > ${sql.placeholder("now")}`))
    .returning({ id: r.id })
    .prepare();
}

const COMMITMENT_FIELDS = Object.keys(getTableColumns(schema.commitments)) as Array<keyof typeof schema.commitments.$inferInsert>;

const hot = perConnection(prepareHot);

/** One field of the JSON row `value` that json_each gives (bulk statements take their rows as one JSON parameter). */
const j = (path: number) => sql.raw(`json_extract(value, '$[${path}]')`);

/**
 * Rows sent as one JSON parameter (an array of arrays), read back as `rows`, one
 * row `v` at a time: each row is turned into JSONB once, so picking its fields
 * (`v ->> 0`) doesn't parse its text again per field, which made wide rows slow.
 */
const jsonRows = (rows: unknown[][]) => sql`rows as materialized (select jsonb(value) as v from json_each(${JSON.stringify(rows)}))`;
const fields = (n: number, names?: string[]) => sql.raw(Array.from({ length: n }, (_, i) => `v ->> ${i}${names ? ` as ${names[i]}` : ""}`).join(", "));

/**
 * Rows into `table` in one statement, as drizzle's insert would write them (its
 * column names and value mapping), with the rows as one JSON parameter: an
 * import writes thousands at once, past SQLite's limit on bound parameters.
 */
async function insertJson<T extends SQLiteTable>(tx: Tx, table: T, rows: Array<T["$inferInsert"]>, opts: { ignoreConflicts?: boolean } = {}): Promise<void> {
  if (rows.length === 0) return;
  const columns = getTableColumns(table) as Record<string, Column>;
  const keys = Object.keys(rows[0]!).filter((k) => (rows[0] as Record<string, unknown>)[k] !== undefined);
  const cols = keys.map((k) => columns[k]!);
  const data = rows.map((row) =>
    keys.map((k, i) => {
      const v = (row as Record<string, unknown>)[k];
      return v === null || v === undefined ? null : cols[i]!.mapToDriverValue(v);
    }),
  );
  await tx.run(sql`
    with ${jsonRows(data)}
    insert into ${table} (${sql.raw(cols.map((c) => `"${c.name}"`).join(", "))})
    select ${fields(cols.length)} from rows where true
    ${sql.raw(opts.ignoreConflicts ? "on conflict do nothing" : "")}`);
}

const COMMITMENT_COLUMNS = Object.entries(getTableColumns(schema.commitments));

/** A commitments row as SQLite gives it (snake_case, JSON as text) → as drizzle's select gives it. */
function commitmentFromDriver(row: Record<string, unknown>): typeof schema.commitments.$inferSelect {
  const out: Record<string, unknown> = {};
  for (const [key, col] of COMMITMENT_COLUMNS) {
    const v = row[col.name];
    out[key] = v === null || v === undefined ? null : col.mapFromDriverValue(v);
  }
  return out as typeof schema.commitments.$inferSelect;
}

/** Thrown by the crash-test seam to stop a sweep the way a dying process would. */

async function mustAccount(tx: Tx, accountId: string): Promise<AccountRow> {
  const a = await getAccount(tx, accountId);
  if (!a) throw new KeptError("unauthorized", "Your account no longer exists; sign in again.");
  return a;
}

async function mustCommitment(tx: Tx, accountId: string, id: string): Promise<Commitment> {
  const c = await getCommitment(tx, accountId, id);
  if (!c) throw new KeptError("not_found", "No such promise on your account. It may have been removed; reload the list.");
  return c;
}

function dedupe(people: Counterpart[]): Counterpart[] {
  const seen = new Map<string, Counterpart>();
  for (const p of people) {
    const address = normaliseAddress(p.address);
    if (address && !seen.has(address)) seen.set(address, { name: p.name?.trim() || null, address });
  }
  return [...seen.values()];
}

/** A reminders row for an event about to be created. */
function reminderRow(
  id: string,
  accountId: string,
  owner: { commitmentId: string } | { checkInId: string },
  seq: number,
  spec: PlannedEvent,
  now: number,
  placed = false,
): typeof schema.reminders.$inferInsert {
  return {
    id,
    accountId,
    commitmentId: "commitmentId" in owner ? owner.commitmentId : null,
    checkInId: "checkInId" in owner ? owner.checkInId : null,
    kind: spec.kind,
    seq,
    startsAt: spec.start,
    endsAt: spec.end,
    title: spec.title,
    // An inline calendar's event is the reminder itself, named by its key (CalendarProvider.inline).
    eventId: placed ? spec.key : null,
    state: placed ? "created" : "pending",
    version: 0,
    createdAt: now,
    updatedAt: now,
  };
}

/** The follow-up event: the promise, who is waiting and for how long, and where to act. */
export function followUpEvent(c: Commitment, s: WorkSettings, at: number, url: string, key: string): PlannedEvent {
  const who = c.counterparts[0]!;
  const whoName = who.name ?? who.address;
  const sentDate = localDateOf(c.sentAt, s.timeZone);
  const today = localDateOf(at, s.timeZone);
  const waited = Math.max(0, daysBetween(sentDate, today));
  const overdue = isOverdue(c.dueDate, at, s);
  const thread = threadLink(c);
  const lines = [
    `You promised ${whoName} <${who.address}> on ${formatDate(sentDate, s.locale, today)}:`,
    `“${c.sentence}”`,
    "",
    `Subject: ${c.subject}`,
    `${c.dueStated ? "Due" : "Kept suggests getting back by"} ${formatDate(c.dueDate, s.locale, today)}${overdue ? " (overdue)" : ""}.`,
    `${firstName(who)} has been waiting ${waited === 1 ? "1 day" : `${waited} days`}${c.chaseCount > 0 ? ` and has chased you ${c.chaseCount === 1 ? "once" : `${c.chaseCount} times`}` : ""}.`,
    "",
    ...(thread ? [`Open the thread: ${thread}`] : []),
    `Reply on the thread and Kept marks it kept. Or act here: ${url}`,
  ];
  const description = lines.join("\n");
  return {
    key,
    kind: "follow-up",
    title: `${c.chaseCount > 0 ? "Chased: " : ""}Get back to ${whoName}: ${c.subject}`.slice(0, 255),
    start: at,
    end: at + s.eventMinutes * MINUTE,
    timeZone: s.timeZone,
    description,
    url,
    alarmMinutes: 0,
  };
}
