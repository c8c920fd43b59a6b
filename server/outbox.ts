// The outbox: every provider operation (create or delete an event, send a reply,
// place an import's follow-ups) is written in the same transaction as the change
// that implies it, attempted at once, and retried by the sweep with backoff and
// Retry-After. Claims take a lease, so a crash or a second sweep neither loses
// nor repeats one; keys are deterministic, so writing one twice is a no-op.
// An inline calendar's operations (the feed's: see CalendarProvider.inline) are
// written done, with their result, and never attempted.
import { and, asc, eq, inArray, lt, lte, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { ProviderError, type CalendarEventSpec, type CalendarProvider, type MailProvider, type PlannedEvent } from "../core/ports";
import type { Counterpart, WorkSettings } from "../core/model";
import { schema, type Db, type Tx } from "./db";
import { accountRef, type AccountRow, type OutboxRow } from "./store";
import { localDateOf } from "../core/time";
import { eventHtml, formatDate } from "../core/templates";

const MINUTE = 60_000;
const LEASE_MS = 2 * MINUTE;
/**
 * A failure the provider says may pass (a 429, a 5xx, no answer) is retried for as
 * long as it lasts, the wait doubling from 30 s up to this: an outage loses nothing.
 * Only a refusal (a 4xx) ends an operation as failed, and the ledger is told.
 */
const MAX_BACKOFF_MS = 6 * 3_600_000;
const PROVIDER_CONCURRENCY = 8;
/** The message id a renewed promise holds until the update it lives in is seen as sent. */
export const COMPOSED_PREFIX = "kept-update-";

/** Thrown by the crash-recovery tests' hook (LedgerDeps.afterProviderCall): not caught as a provider failure. */
export class SimulatedCrash extends Error {}

type Write = BatchItem<"sqlite">;

export type OutboxInput = { key: string; op: OutboxRow["op"]; reminderId: string | null; commitmentId: string | null; payload: Record<string, unknown> };

/** The operations a transaction wrote, to attempt once it commits. */
export interface Pending {
  outboxKeys: string[];
  /** An import: events wait for placeEvents, so replaying a thread doesn't make and unmake them. */
  deferEvents?: boolean;
}

/** What a batch of outbox operations found, written back in a few statements. */
interface Outcomes {
  outbox: Array<{ id: number; state: OutboxRow["state"]; result: string | null; lastError: string | null; nextAttemptAt: number | null; attempts: number | null }>;
  reminders: Array<{ id: string; eventId: string | null; state: "created" | "deleted" }>;
  other: Write[];
  /** Refused for good: told to the ledger once the batch is recorded. */
  failed: Array<{ op: OutboxRow; error: string }>;
}

export interface DrainResult {
  done: number;
  retrying: number;
  failed: number;
}

/**
 * An operation's row: pending, to be attempted; or, with `done`, already done as
 * it is written (an inline calendar's, see CalendarProvider.inline), with that result.
 */
export function outboxRow(accountId: string, o: OutboxInput, now: number, done?: Record<string, unknown> | null): typeof schema.outbox.$inferInsert {
  return done === undefined
    ? { accountId, ...o, state: "pending", attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now }
    : { accountId, ...o, state: "done", result: done, attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now };
}

/**
 * Moves a refused operation to failed, in the caller's transaction: true if this
 * call did it, false if it was already done (another sweep told the ledger first).
 */
export async function markFailed(conn: Db | Tx, id: number): Promise<boolean> {
  const moved = await conn
    .update(schema.outbox)
    .set({ state: "failed" })
    .where(and(eq(schema.outbox.id, id), eq(schema.outbox.state, "refused")))
    .returning({ id: schema.outbox.id });
  return moved.length === 1;
}

/**
 * Writes an operation in the caller's transaction; it is attempted once that
 * commits (Outbox.drain). With `done`, it is recorded as done instead (outboxRow).
 */
export async function enqueue(tx: Tx, accountId: string, o: OutboxInput, pending: Pending, now: number, done?: Record<string, unknown> | null): Promise<void> {
  await tx.insert(schema.outbox).values(outboxRow(accountId, o, now, done)).onConflictDoNothing();
  if (done === undefined) pending.outboxKeys.push(o.key);
}

export interface OutboxDeps {
  db: Db;
  clock: () => number;
  calendar: CalendarProvider;
  mail: MailProvider | null;
  afterProviderCall?: (op: OutboxRow) => void;
  /** Places the follow-ups of an import that stopped before it did (a place_events note). */
  placeEvents(accountId: string): Promise<number>;
  /** Moves what was planned before a change of zone, working days or hours (a reschedule note). */
  reschedule(accountId: string, before: WorkSettings, changedAt: number): Promise<{ followUps: number; checkIns: number }>;
  /** An operation the provider refused for good: the ledger records it where the user will see it. */
  failed?(op: OutboxRow, error: string): Promise<void>;
}

/**
 * Accounts a provider asked to slow down (a 429), by account and by provider
 * (mail or calendar), until when, and how many times in a row: their calls wait
 * without using an attempt. One map a process, so every Ledger in it honours it.
 */
const throttled = new Map<string, { until: number; strikes: number }>();
const providerOf = (op: OutboxRow) => (op.op === "send_reply" ? "mail" : "calendar");
const laneOf = (op: OutboxRow) => `${op.accountId} ${providerOf(op)}`;

export class Outbox {
  private readonly db: Db;

  constructor(private readonly deps: OutboxDeps) {
    this.db = deps.db;
  }

  /** Attempt the operations just written, now; failures stay for the sweep. */
  async drain(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    try {
      for (let i = 0; i < keys.length; i += 200) {
        const now = this.deps.clock();
        const claimed = await this.claim(now, inArray(schema.outbox.key, keys.slice(i, i + 200)), 200);
        if (claimed.length) await this.run(claimed, now);
      }
    } catch (e) {
      // The change is committed; what failed here is only the first attempt, which the sweep repeats.
      if (e instanceof SimulatedCrash) throw e;
      console.error("outbox: first attempt failed; the sweep will retry", e);
    }
  }

  /** Every pending operation whose time has come, oldest first, in claimed batches. */
  async drainDue(limit = 100_000, accountId?: string): Promise<DrainResult> {
    const result: DrainResult = { done: 0, retrying: 0, failed: 0 };
    let seen = 0;
    const started = this.deps.clock();
    while (seen < limit) {
      // Each batch's lease starts when it is claimed, not when the sweep began; what
      // became due during the sweep waits for the next one.
      const now = Math.max(this.deps.clock(), started);
      const claimed = await this.claim(now, accountId ? eq(schema.outbox.accountId, accountId) : undefined, 500, started);
      if (claimed.length === 0) break;
      seen += claimed.length;
      const r = await this.run(claimed, now);
      result.done += r.done;
      result.retrying += r.retrying;
      result.failed += r.failed;
    }
    return result;
  }

  /**
   * Takes pending operations with a lease in one statement: another sweep (or a
   * process restarted after a crash) sees them again only when the lease is over.
   */
  private async claim(now: number, filter: SQL | undefined, limit: number, dueBy = now): Promise<OutboxRow[]> {
    const o = schema.outbox;
    const due = this.db
      .select({ id: o.id })
      .from(o)
      .where(and(eq(o.state, "pending"), lte(o.nextAttemptAt, dueBy), filter))
      .orderBy(asc(o.id))
      .limit(limit);
    const rows = await this.db
      .update(o)
      .set({ nextAttemptAt: now + LEASE_MS, attempts: sql`${o.attempts} + 1`, updatedAt: now })
      .where(and(inArray(o.id, due), eq(o.state, "pending"), lte(o.nextAttemptAt, dueBy)))
      .returning();
    return rows.sort((a, b) => a.id - b.id);
  }

  /**
   * Runs claimed operations: one account's in order (a delete after its create),
   * several accounts at once, and records every outcome in one batch.
   */
  private async run(ops: OutboxRow[], now: number): Promise<DrainResult> {
    const result: DrainResult = { done: 0, retrying: 0, failed: 0 };
    const accountIds = [...new Set(ops.map((o) => o.accountId))];
    const accounts = new Map<string, AccountRow>();
    for (let i = 0; i < accountIds.length; i += 200) {
      for (const a of await this.db.select().from(schema.accounts).where(inArray(schema.accounts.id, accountIds.slice(i, i + 200)))) accounts.set(a.id, a);
    }
    const byAccount = new Map<string, OutboxRow[]>();
    for (const op of ops) {
      const lane = byAccount.get(op.accountId);
      if (lane) lane.push(op);
      else byAccount.set(op.accountId, [op]);
    }
    const out: Outcomes = { outbox: [], reminders: [], other: [], failed: [] };
    const createdNow = new Map<string, string>(); // reminder id → event id, from this batch
    const sentNow = new Map<string, string>(); // renewed promise id → the sent update's message id, from this batch
    const lanes = [...byAccount.values()];
    const worker = async () => {
      for (let lane = lanes.shift(); lane; lane = lanes.shift()) {
        for (const op of lane) {
          const outcome = await this.perform(op, accounts.get(op.accountId), now, out, createdNow, sentNow);
          result[outcome]++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PROVIDER_CONCURRENCY, lanes.length) }, worker));
    await this.record(out, now);
    for (const f of out.failed) await this.tellRefused(f.op, f.error);
    return result;
  }

  /**
   * Tells the ledger about an operation the provider refused, then marks it failed.
   * The ledger's hook moves the op from refused to failed in its own transaction
   * (markFailed), so a crash or an error here leaves it refused, and the next
   * sweep tells it again: a refusal is never lost, and never told twice.
   */
  private async tellRefused(op: OutboxRow, error: string): Promise<void> {
    try {
      if (this.deps.failed) await this.deps.failed(op, error);
      else await markFailed(this.db, op.id);
    } catch (e) {
      if (e instanceof SimulatedCrash) throw e;
      console.error(`outbox: could not record that ${op.key} was refused; the sweep will try again`, e);
    }
  }

  /** Refusals not yet told to the ledger (a crash or an error on the way): told now. */
  async tellRefusedLeftOver(accountId?: string): Promise<number> {
    const o = schema.outbox;
    const rows = await this.db
      .select()
      .from(o)
      .where(and(eq(o.state, "refused"), accountId ? eq(o.accountId, accountId) : undefined))
      .orderBy(asc(o.id))
      .limit(1000);
    for (const op of rows) await this.tellRefused(op, op.lastError ?? "refused");
    return rows.length;
  }

  /** Writes a batch's outcomes: one statement per few hundred rows, all in one transaction. */
  private async record(out: Outcomes, now: number): Promise<void> {
    const writes: Write[] = [...out.other];
    const j = (path: number) => sql.raw(`json_extract(value, '$[${path}]')`);
    if (out.outbox.length) {
      const rows = out.outbox.map((u) => [u.id, u.state, u.result, u.lastError, u.nextAttemptAt, u.attempts]);
      writes.push(
        this.db.run(sql`
          with v as (select ${j(0)} as id, ${j(1)} as state, ${j(2)} as result, ${j(3)} as last_error, ${j(4)} as next_attempt_at, ${j(5)} as attempts
                     from json_each(${JSON.stringify(rows)}))
          update outbox set
            state = v.state, result = coalesce(v.result, outbox.result), last_error = v.last_error,
            next_attempt_at = coalesce(v.next_attempt_at, outbox.next_attempt_at),
            attempts = coalesce(v.attempts, outbox.attempts), updated_at = ${now}
          from v where outbox.id = v.id`),
      );
    }
    if (out.reminders.length) {
      const rows = out.reminders.map((u) => [u.id, u.eventId, u.state]);
      writes.push(
        this.db.run(sql`
          with v as (select ${j(0)} as id, ${j(1)} as event_id, ${j(2)} as state from json_each(${JSON.stringify(rows)}))
          update reminders set
            event_id = coalesce(v.event_id, reminders.event_id),
            -- a reminder cancelled while its create was in flight stays cancelled; its delete follows
            state = case when v.state = 'created' and reminders.state <> 'pending' then reminders.state else v.state end,
            updated_at = ${now}
          from v where reminders.id = v.id`),
      );
    }
    if (writes.length) await this.db.batch(writes as [Write, ...Write[]]);
  }

  /** One operation against its provider; what to record goes into `out`. */
  private async perform(
    op: OutboxRow,
    account: AccountRow | undefined,
    now: number,
    out: Outcomes,
    createdNow: Map<string, string>,
    sentNow: Map<string, string>,
  ): Promise<keyof DrainResult> {
    const o = schema.outbox;
    const set = (state: OutboxRow["state"], result: Record<string, unknown> | null, extra: { lastError?: string | null; nextAttemptAt?: number | null; attempts?: number | null } = {}) =>
      out.outbox.push({ id: op.id, state, result: result ? JSON.stringify(result) : null, lastError: extra.lastError ?? null, nextAttemptAt: extra.nextAttemptAt ?? null, attempts: extra.attempts ?? null });
    const callsProvider = op.op === "create_event" || op.op === "delete_event" || op.op === "send_reply";
    const throttle = callsProvider ? throttled.get(laneOf(op)) : undefined;
    if (throttle && throttle.until > now) {
      // The provider asked this account to wait: don't call it, and don't count an attempt.
      // Said as its last error, so the summary counts it among the delayed.
      set("pending", null, { nextAttemptAt: throttle.until, attempts: op.attempts - 1, lastError: `Your ${providerOf(op)} provider asked Kept to slow down; Kept is waiting as asked` });
      return "retrying";
    }
    try {
      if (!account) {
        set("skipped", { reason: "account gone" });
        return "done";
      }
      const ref = accountRef(account);
      if (op.op === "create_event") {
        // Planned without its HTML description (PlannedEvent); an older row may have one.
        const kept = op.payload.event as PlannedEvent & { descriptionHtml?: string };
        const event: CalendarEventSpec = { ...kept, descriptionHtml: kept.descriptionHtml ?? eventHtml(kept.description) };
        const { eventId } = await this.deps.calendar.createEvent(ref, event);
        throttled.delete(laneOf(op));
        this.deps.afterProviderCall?.(op);
        createdNow.set(op.reminderId!, eventId);
        out.reminders.push({ id: op.reminderId!, eventId, state: "created" });
        set("done", { eventId });
        return "done";
      }
      if (op.op === "delete_event") {
        let eventId = createdNow.get(op.reminderId!) ?? null;
        if (!eventId) {
          const [reminder] = await this.db.select().from(schema.reminders).where(eq(schema.reminders.id, op.reminderId!));
          eventId = reminder?.eventId ?? null;
        }
        if (!eventId) {
          const [create] = await this.db.select().from(o).where(eq(o.key, `event:${op.reminderId}`));
          if (create?.state === "done") eventId = (create.result?.eventId as string) ?? null;
          else if (create && create.state === "pending" && create.attempts === 0) {
            // Never sent: cancel it instead of creating and deleting, unless a sweep claims it first.
            const skipped = await this.db
              .update(o)
              .set({ state: "skipped", updatedAt: now })
              .where(and(eq(o.id, create.id), eq(o.state, "pending"), eq(o.attempts, 0)))
              .returning({ id: o.id });
            if (skipped.length === 1) {
              out.reminders.push({ id: op.reminderId!, eventId: null, state: "deleted" });
              set("done", { skippedCreate: true });
              return "done";
            }
            set("pending", null, { nextAttemptAt: now + 1000, attempts: op.attempts - 1 });
            return "retrying";
          } else if (create && create.state === "pending") {
            // The create may have reached the provider: wait for it, then delete.
            set("pending", null, { nextAttemptAt: Math.max(create.nextAttemptAt, now) + 1000, attempts: op.attempts - 1 });
            return "retrying";
          }
        }
        if (eventId) {
          await this.deps.calendar.deleteEvent(ref, eventId, op.key);
          throttled.delete(laneOf(op));
        }
        this.deps.afterProviderCall?.(op);
        out.reminders.push({ id: op.reminderId!, eventId: null, state: "deleted" });
        set("done", null);
        return "done";
      }
      if (op.op === "place_events") {
        // An import that stopped before placing its promises' follow-ups.
        // placeEvents marks the note done in its own transaction, and only while it is
        // still pending: an import batch that set it again meanwhile keeps it set.
        await this.deps.placeEvents(op.accountId);
        return "done";
      }
      if (op.op === "reschedule") {
        // Moves run in the order the changes were made: each reads the follow-ups where
        // the one before left them, so a later change waits while an earlier one is retried.
        const [earlier] = await this.db
          .select({ id: o.id })
          .from(o)
          .where(and(eq(o.accountId, op.accountId), eq(o.op, "reschedule"), eq(o.state, "pending"), lt(o.id, op.id)))
          .limit(1);
        if (earlier) {
          set("pending", null, { nextAttemptAt: now + 1000, attempts: op.attempts - 1 });
          return "retrying";
        }
        const p = op.payload as { before: WorkSettings; changedAt: number };
        set("done", await this.deps.reschedule(op.accountId, p.before, p.changedAt));
        return "done";
      }
      if (op.op === "send_reply") {
        if (!this.deps.mail) throw new ProviderError("Kept has no mail connection for this account; reconnect it to send updates.", 503, true);
        const p = op.payload as Record<string, unknown>;
        const [renewed] = op.commitmentId
          ? await this.db.select({ messageId: schema.commitments.messageId, dueDate: schema.commitments.dueDate }).from(schema.commitments).where(eq(schema.commitments.id, op.commitmentId))
          : [];
        if (renewed && !renewed.messageId.startsWith(COMPOSED_PREFIX)) {
          // The user wrote to them on the thread first, and that message was taken as this
          // update: sending it too would say the same thing twice.
          set("skipped", { reason: "the user's own message was taken as this update" });
          out.other.push(this.forgetBody(op.id));
          out.other.push(
            this.db.insert(schema.commitmentHistory).values({ commitmentId: op.commitmentId!, at: now, type: "not_sent", detail: { skipped: true, messageId: renewed.messageId } }),
          );
          return "done";
        }
        if (renewed && localDateOf(now, account.timeZone) > renewed.dueDate) {
          // Held up so long that the date it promises news by has passed: sent now, it would
          // be wrong. Refused, so the promise it was to keep is owed again.
          throw new ProviderError(`Not sent: it was held up until after ${formatDate(renewed.dueDate, account.locale)}, the date it promised news by. Send them a new update`, 410, false);
        }
        const inReplyTo = await this.answering(op, p.inReplyToMessageId as string, now, sentNow);
        if ("waitUntil" in inReplyTo) {
          set("pending", null, { nextAttemptAt: inReplyTo.waitUntil, attempts: op.attempts - 1 });
          return "retrying";
        }
        const sent = await this.deps.mail.sendReply(ref, {
          key: op.key,
          threadId: p.threadId as string,
          inReplyToMessageId: inReplyTo.messageId,
          to: p.to as Counterpart[],
          subject: p.subject as string,
          bodyText: p.bodyText as string,
          bodyHtml: p.bodyHtml as string,
        });
        throttled.delete(laneOf(op));
        this.deps.afterProviderCall?.(op);
        set("done", { messageId: sent.messageId });
        if (op.commitmentId) sentNow.set(op.commitmentId, sent.messageId);
        // Sent: the reply's text is a message body now, and Kept keeps none.
        out.other.push(this.forgetBody(op.id));
        // The sent update is the message the renewed promise lives in.
        out.other.push(
          this.db.run(sql`
            update commitments set message_id = ${sent.messageId}, updated_at = ${now}
            where id = ${op.commitmentId} and message_id like ${COMPOSED_PREFIX + "%"}
              and not exists (select 1 from commitments where account_id = ${op.accountId} and message_id = ${sent.messageId})`),
        );
        out.other.push(this.db.insert(schema.processedMessages).values({ accountId: op.accountId, messageId: sent.messageId, direction: "sent", at: now }).onConflictDoNothing());
        return "done";
      }
      throw new Error(`unknown outbox operation ${op.op}`);
    } catch (e) {
      if (e instanceof SimulatedCrash) throw e;
      const pe = e instanceof ProviderError ? e : null;
      const retryable = pe ? pe.retryable : true;
      const message = e instanceof Error ? e.message : String(e);
      if (!retryable) {
        // Refused for good: "refused" until the ledger has been told (Outbox.tellRefused), then "failed".
        set("refused", null, { lastError: message });
        if (op.op === "send_reply") out.other.push(this.forgetBody(op.id));
        out.failed.push({ op, error: message });
        return "failed";
      }
      if (pe?.status === 429) {
        // Slow down the account's calls to that provider, not just this one: they wait too.
        // Being asked to wait is not the operation's failure, so it doesn't use an attempt;
        // without a Retry-After the wait doubles with each 429 in a row, up to the backoff's cap.
        const lane = laneOf(op);
        const strikes = (throttled.get(lane)?.strikes ?? 0) + 1;
        const wait = pe.retryAfterMs && pe.retryAfterMs > 0 ? pe.retryAfterMs : Math.min(1_000 * 2 ** Math.min(strikes - 1, 30), MAX_BACKOFF_MS);
        throttled.set(lane, { until: now + wait, strikes });
        set("pending", null, { lastError: message, nextAttemptAt: now + wait, attempts: op.attempts - 1 });
        return "retrying";
      }
      const backoff = Math.min(30_000 * 2 ** Math.min(op.attempts - 1, 20), MAX_BACKOFF_MS);
      set("pending", null, { lastError: message, nextAttemptAt: now + Math.max(backoff, pe?.retryAfterMs ?? 0) });
      return "retrying";
    }
  }

  /** Removes a reply's text from its operation once it needs no more attempts. */
  private forgetBody(id: number): Write {
    return this.db.run(sql`update outbox set payload = json_remove(payload, '$.bodyText', '$.bodyHtml') where id = ${id}`);
  }

  /**
   * The message an update answers. An update renewed from another update answers
   * that one, whose id is known only once it is sent: wait while it is still to
   * be sent; if it never will be, answer the message before it in the chain.
   */
  private async answering(op: OutboxRow, messageId: string, now: number, sentNow: Map<string, string>): Promise<{ messageId: string } | { waitUntil: number }> {
    const c = schema.commitments;
    const o = schema.outbox;
    for (let hops = 0; messageId.startsWith(COMPOSED_PREFIX) && hops < 100; hops++) {
      const holder = messageId.slice(COMPOSED_PREFIX.length); // the promise the earlier update opened
      const known = sentNow.get(holder);
      if (known) return { messageId: known };
      const [row] = await this.db.select({ messageId: c.messageId, from: c.renewedFromId }).from(c).where(and(eq(c.accountId, op.accountId), eq(c.id, holder)));
      if (!row) break;
      if (!row.messageId.startsWith(COMPOSED_PREFIX)) return { messageId: row.messageId };
      const [earlier] = await this.db.select({ state: o.state, nextAttemptAt: o.nextAttemptAt, result: o.result }).from(o).where(eq(o.key, `reply:${holder}`));
      if (earlier?.state === "pending") return { waitUntil: Math.max(earlier.nextAttemptAt, now) + 1000 };
      if (earlier?.state === "done" && typeof earlier.result?.messageId === "string") return { messageId: earlier.result.messageId };
      // Never sent (refused, or composed by the user): answer what that update answered.
      const [before] = row.from ? await this.db.select({ messageId: c.messageId }).from(c).where(and(eq(c.accountId, op.accountId), eq(c.id, row.from))) : [];
      if (!before) break;
      messageId = before.messageId;
    }
    if (messageId.startsWith(COMPOSED_PREFIX)) throw new ProviderError("the message this update answers was never sent, so there is nothing to reply to", 409, false);
    return { messageId };
  }
}
