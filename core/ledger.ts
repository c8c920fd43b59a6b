// The commitment's state machine. Each action gives the new commitment, one
// history entry, and what must happen to its calendar follow-ups; the server
// turns the last into outbox operations in the same transaction.
import { KeptError } from "./errors";
import type { Commitment, CommitmentStatus, HistoryEntry, WorkSettings } from "./model";
import { chasedReminder, nextReminder } from "./policy";

export type LedgerAction =
  | { type: "keep"; at: number; messageId: string | null; via: "reply" | "manual" | "update" }
  | { type: "dismiss"; at: number; reason: "not-a-promise" | "no-longer-needed" }
  | { type: "snooze"; at: number; until: number }
  | { type: "chase"; at: number; messageId: string; receivedAt?: number }
  | { type: "remind"; at: number }
  | { type: "reopen"; at: number }
  | { type: "renew"; at: number; newId: string; newDueDate: string }
  // A "no news yet" update that could not be sent, for good (the provider refused it):
  // the promise it opened ends, and the promise it was to keep is owed again.
  | { type: "update-not-sent"; at: number; error: string }
  | { type: "renewal-undone"; at: number; error: string };

export interface ReminderChange {
  /** Remove the follow-up events still to come. */
  cancelFuture: boolean;
  /** Put one new follow-up on the calendar at this instant. */
  createAt: number | null;
}

export interface Transition {
  commitment: Commitment;
  history: HistoryEntry;
  reminders: ReminderChange;
}

const ACTIVE: CommitmentStatus[] = ["open", "snoozed"];

export function isActive(c: Pick<Commitment, "status">): boolean {
  return ACTIVE.includes(c.status);
}

function refuse(c: Commitment, action: LedgerAction["type"]): never {
  const what = c.status === "kept" ? "already kept" : c.status === "dismissed" ? "dismissed" : c.status;
  throw new KeptError(
    "conflict",
    `This promise is ${what}, so it can't be ${pastTense[action]}. Reopen it first if it still needs doing.`,
    { status: c.status, action },
  );
}

const pastTense: Record<LedgerAction["type"], string> = {
  keep: "marked kept",
  dismiss: "dismissed",
  snooze: "snoozed",
  chase: "chased",
  remind: "reminded",
  reopen: "reopened",
  renew: "renewed with an update",
  "update-not-sent": "ended for an update that wasn't sent",
  "renewal-undone": "owed again",
};

export function transition(c: Commitment, action: LedgerAction, s: WorkSettings): Transition {
  const at = action.at;
  const base = { ...c, updatedAt: at };
  switch (action.type) {
    case "keep": {
      if (!isActive(c)) refuse(c, action.type);
      return {
        commitment: { ...base, status: "kept", keptAt: at, keptMessageId: action.messageId, snoozedUntil: null, nextReminderAt: null },
        history: { at, type: "kept", detail: { via: action.via, messageId: action.messageId } },
        reminders: { cancelFuture: true, createAt: null },
      };
    }
    case "dismiss": {
      if (!isActive(c)) refuse(c, action.type);
      return {
        commitment: { ...base, status: "dismissed", dismissedReason: action.reason, snoozedUntil: null, nextReminderAt: null },
        history: { at, type: "dismissed", detail: { reason: action.reason } },
        reminders: { cancelFuture: true, createAt: null },
      };
    }
    case "snooze": {
      if (!isActive(c)) refuse(c, action.type);
      if (action.until <= at) throw new KeptError("bad_request", "Snooze until a time in the future.");
      return {
        commitment: { ...base, status: "snoozed", snoozedUntil: action.until, nextReminderAt: action.until },
        history: { at, type: "snoozed", detail: { until: action.until } },
        reminders: { cancelFuture: true, createAt: action.until },
      };
    }
    case "chase": {
      if (!isActive(c)) refuse(c, action.type);
      const when = chasedReminder(at, c.nextReminderAt, s);
      const moved = when !== c.nextReminderAt;
      return {
        commitment: {
          ...base,
          status: "open",
          snoozedUntil: null,
          chasedAt: action.receivedAt ?? at,
          chaseCount: c.chaseCount + 1,
          nextReminderAt: when,
        },
        history: { at, type: "chased", detail: { messageId: action.messageId, nextReminderAt: when } },
        reminders: moved ? { cancelFuture: true, createAt: when } : { cancelFuture: false, createAt: null },
      };
    }
    case "remind": {
      // The follow-up on the calendar has come round and the promise is still open:
      // put the next one on the escalating schedule.
      if (!isActive(c)) refuse(c, action.type);
      const previous = c.nextReminderAt ?? at;
      const count = c.reminderCount + 1;
      const next = nextReminder(previous, count, at, s);
      const woke = c.status === "snoozed";
      return {
        commitment: { ...base, status: "open", snoozedUntil: null, reminderCount: count, nextReminderAt: next },
        history: { at, type: woke ? "woke" : "reminded", detail: { reminder: count, nextReminderAt: next } },
        reminders: { cancelFuture: false, createAt: next },
      };
    }
    case "reopen": {
      if (isActive(c)) refuse(c, action.type);
      if (c.renewedToId) throw new KeptError("conflict", "This promise was replaced by an update; act on the newer one instead.");
      const when = chasedReminder(at, null, s);
      return {
        commitment: {
          ...base,
          status: "open",
          keptAt: null,
          keptMessageId: null,
          dismissedReason: null,
          nextReminderAt: when,
        },
        history: { at, type: "reopened", detail: { was: c.status } },
        reminders: { cancelFuture: true, createAt: when },
      };
    }
    case "renew": {
      if (!isActive(c)) refuse(c, action.type);
      return {
        commitment: { ...base, status: "kept", keptAt: at, keptMessageId: null, renewedToId: action.newId, snoozedUntil: null, nextReminderAt: null },
        history: { at, type: "renewed", detail: { newId: action.newId, newDueDate: action.newDueDate } },
        reminders: { cancelFuture: true, createAt: null },
      };
    }
    case "update-not-sent": {
      // Only the promise an update opened: the person was never told the new date. It may
      // have been renewed again meanwhile (kept by a later update that can't be sent either).
      if (c.source !== "update" || !(isActive(c) || (c.status === "kept" && c.renewedToId))) refuse(c, action.type);
      return {
        commitment: { ...base, status: "dismissed", dismissedReason: "update-not-sent", snoozedUntil: null, nextReminderAt: null },
        history: { at, type: "not_sent", detail: { error: action.error } },
        reminders: { cancelFuture: true, createAt: null },
      };
    }
    case "renewal-undone": {
      // The promise an unsent update was to keep: open again, its next follow-up soon.
      if (c.status !== "kept" || !c.renewedToId) refuse(c, action.type);
      const when = chasedReminder(at, null, s);
      return {
        commitment: { ...base, status: "open", keptAt: null, keptMessageId: null, renewedToId: null, nextReminderAt: when },
        history: { at, type: "reopened", detail: { was: c.status, because: "update-not-sent", newId: c.renewedToId, error: action.error } },
        reminders: { cancelFuture: true, createAt: when },
      };
    }
  }
}

/** Whether a message the user sent keeps this commitment. */
export function keepsCommitment(
  c: Pick<Commitment, "threadId" | "messageId" | "sentAt" | "counterparts" | "status">,
  sent: { threadId: string; messageId: string; sentAt: number; recipients: string[] },
): boolean {
  if (!isActive(c)) return false;
  if (sent.threadId !== c.threadId || sent.messageId === c.messageId) return false;
  if (sent.sentAt <= c.sentAt) return false;
  // To the person it was first addressed to. A message to someone copied in, or to one
  // of several, may not answer them: a false "kept" would end the reminders while they
  // still wait, and a one-click "Mark kept" mends the other mistake.
  const primary = c.counterparts[0]?.address;
  return primary !== undefined && sent.recipients.includes(primary);
}

/** Whether a message from someone else chases this commitment. */
export function chasesCommitment(
  c: Pick<Commitment, "threadId" | "sentAt" | "counterparts" | "status">,
  received: { threadId: string; receivedAt: number; from: string },
): boolean {
  if (!isActive(c)) return false;
  if (received.threadId !== c.threadId || received.receivedAt <= c.sentAt) return false;
  return c.counterparts.some((p) => p.address === received.from);
}
