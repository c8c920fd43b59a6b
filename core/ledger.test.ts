import { describe, expect, it } from "vitest";
import { chasesCommitment, keepsCommitment, transition, type LedgerAction } from "./ledger";
import { DEFAULT_SETTINGS, type Commitment, type CommitmentStatus } from "./model";
import { KeptError } from "./errors";

const s = { ...DEFAULT_SETTINGS, timeZone: "Europe/London" };
const T0 = Date.parse("2026-11-18T10:00:00Z");

function commitment(status: CommitmentStatus, over: Partial<Commitment> = {}): Commitment {
  return {
    id: "c1",
    accountId: "a1",
    provider: "local",
    threadId: "t1",
    messageId: "m1",
    internetMessageId: "m1@example.com",
    counterparts: [{ name: "Ana Silva", address: "ana@example.com" }],
    subject: "Role",
    sentence: "I'll get back to you by Friday.",
    trigger: "I'll get back to you",
    kind: "explicit",
    sentAt: T0,
    dueDate: "2026-11-20",
    dueStated: true,
    status,
    snoozedUntil: status === "snoozed" ? T0 + 86_400_000 : null,
    chasedAt: null,
    chaseCount: 0,
    keptAt: null,
    keptMessageId: null,
    dismissedReason: null,
    renewedFromId: null,
    renewedToId: null,
    nextReminderAt: Date.parse("2026-11-20T09:00:00Z"),
    reminderCount: 0,
    source: "sync",
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

const later = T0 + 3_600_000;
const actions: Record<LedgerAction["type"], LedgerAction> = {
  keep: { type: "keep", at: later, messageId: "m2", via: "reply" },
  dismiss: { type: "dismiss", at: later, reason: "not-a-promise" },
  snooze: { type: "snooze", at: later, until: later + 86_400_000 },
  chase: { type: "chase", at: later, messageId: "m3" },
  remind: { type: "remind", at: Date.parse("2026-11-20T09:00:00Z") },
  reopen: { type: "reopen", at: later },
  renew: { type: "renew", at: later, newId: "c2", newDueDate: "2026-11-27" },
  "update-not-sent": { type: "update-not-sent", at: later, error: "mailbox full" },
  "renewal-undone": { type: "renewal-undone", at: later, error: "mailbox full" },
};

// from-state × action → resulting state, or "refused"
const table: Array<[CommitmentStatus, LedgerAction["type"], CommitmentStatus | "refused"]> = [
  ["open", "keep", "kept"],
  ["open", "dismiss", "dismissed"],
  ["open", "snooze", "snoozed"],
  ["open", "chase", "open"],
  ["open", "remind", "open"],
  ["open", "reopen", "refused"],
  ["open", "renew", "kept"],
  ["snoozed", "keep", "kept"],
  ["snoozed", "dismiss", "dismissed"],
  ["snoozed", "snooze", "snoozed"],
  ["snoozed", "chase", "open"],
  ["snoozed", "remind", "open"],
  ["snoozed", "renew", "kept"],
  ["kept", "keep", "refused"],
  ["kept", "dismiss", "refused"],
  ["kept", "snooze", "refused"],
  ["kept", "chase", "refused"],
  ["kept", "remind", "refused"],
  ["kept", "reopen", "open"],
  ["dismissed", "reopen", "open"],
  ["dismissed", "keep", "refused"],
  ["dismissed", "renew", "refused"],
  // Only the promise an update opened ends when the update can't be sent (see below for that one).
  ["open", "update-not-sent", "refused"], // (not from an update)
  ["kept", "update-not-sent", "refused"], // (kept by a reply, not renewed)
  // Only a promise kept by an update is owed again when that update can't be sent.
  ["kept", "renewal-undone", "refused"],
  ["open", "renewal-undone", "refused"],
  ["dismissed", "renewal-undone", "refused"],
];

describe("state machine", () => {
  it.each(table)("%s + %s → %s", (from, action, to) => {
    const c = commitment(from);
    if (to === "refused") {
      expect(() => transition(c, actions[action], s)).toThrow(KeptError);
      try {
        transition(c, actions[action], s);
      } catch (e) {
        expect((e as KeptError).code).toBe("conflict");
        expect((e as KeptError).message).toMatch(/Reopen it first|already|can't/);
      }
      return;
    }
    const t = transition(c, actions[action], s);
    expect(t.commitment.status).toBe(to);
    expect(t.history.at).toBe(actions[action].at);
    if (to === "kept" || to === "dismissed") {
      expect(t.reminders).toEqual({ cancelFuture: true, createAt: null });
      expect(t.commitment.nextReminderAt).toBeNull();
    }
  });

  it("an update that can't be sent ends the promise it opened and makes the one it kept owed again", () => {
    const opened = commitment("open", { id: "c2", source: "update", renewedFromId: "c1" });
    const ended = transition(opened, actions["update-not-sent"], s);
    expect(ended.commitment.status).toBe("dismissed");
    expect(ended.commitment.dismissedReason).toBe("update-not-sent");
    expect(ended.history).toEqual({ at: later, type: "not_sent", detail: { error: "mailbox full" } });
    expect(ended.reminders).toEqual({ cancelFuture: true, createAt: null });

    // One the update's promise was itself renewed into (an earlier update, kept by a later one) ends too.
    const renewedAgain = transition(opened, actions.renew, s).commitment;
    expect(transition(renewedAgain, actions["update-not-sent"], s).commitment.status).toBe("dismissed");

    const renewed = transition(commitment("open"), actions.renew, s).commitment;
    const owed = transition(renewed, actions["renewal-undone"], s);
    expect(owed.commitment.status).toBe("open");
    expect(owed.commitment.renewedToId).toBeNull();
    expect(owed.commitment.keptAt).toBeNull();
    expect(owed.history.type).toBe("reopened");
    expect(owed.history.detail).toMatchObject({ was: "kept", because: "update-not-sent", newId: "c2", error: "mailbox full" });
    // Its next follow-up comes soon, as after a chase, not on the old schedule.
    expect(owed.reminders.cancelFuture).toBe(true);
    expect(owed.reminders.createAt).toBe(owed.commitment.nextReminderAt);
    expect(owed.commitment.nextReminderAt!).toBeGreaterThan(later);
    expect(owed.commitment.nextReminderAt! - later).toBeLessThan(3 * 86_400_000);
  });

  it("a chase marks it chased and brings the reminder forward", () => {
    const t = transition(commitment("open"), actions.chase, s);
    expect(t.commitment.chaseCount).toBe(1);
    expect(t.commitment.chasedAt).toBe(later);
    expect(new Date(t.commitment.nextReminderAt!).toISOString()).toBe("2026-11-18T11:15:00.000Z");
    expect(t.reminders).toEqual({ cancelFuture: true, createAt: t.commitment.nextReminderAt });
  });

  it("a remind puts the next follow-up on the escalating schedule and counts it", () => {
    const t = transition(commitment("open"), actions.remind, s);
    expect(t.commitment.reminderCount).toBe(1);
    expect(new Date(t.commitment.nextReminderAt!).toISOString()).toBe("2026-11-23T09:00:00.000Z");
    expect(t.reminders).toEqual({ cancelFuture: false, createAt: t.commitment.nextReminderAt });
  });

  it("renewing links to the new commitment and can't be reopened", () => {
    const t = transition(commitment("open"), actions.renew, s);
    expect(t.commitment.renewedToId).toBe("c2");
    expect(() => transition(t.commitment, actions.reopen, s)).toThrow(/replaced by an update/);
  });

  it("snoozing into the past is refused with a message", () => {
    expect(() => transition(commitment("open"), { type: "snooze", at: later, until: later - 1 }, s)).toThrow(/future/);
  });
});

describe("what keeps and what chases", () => {
  const c = commitment("open");
  it.each([
    ["a later message on the thread to them", { threadId: "t1", messageId: "m2", sentAt: later, recipients: ["ana@example.com"] }, true],
    ["the promise's own message", { threadId: "t1", messageId: "m1", sentAt: later, recipients: ["ana@example.com"] }, false],
    ["another thread", { threadId: "t2", messageId: "m2", sentAt: later, recipients: ["ana@example.com"] }, false],
    ["someone else on the thread", { threadId: "t1", messageId: "m2", sentAt: later, recipients: ["bo@example.com"] }, false],
    ["an earlier message", { threadId: "t1", messageId: "m0", sentAt: T0 - 1, recipients: ["ana@example.com"] }, false],
  ])("%s", (_n, sent, expected) => {
    expect(keepsCommitment(c, sent)).toBe(expected);
  });
  it("a reply from them chases; one from a stranger or an older one does not", () => {
    expect(chasesCommitment(c, { threadId: "t1", receivedAt: later, from: "ana@example.com" })).toBe(true);
    expect(chasesCommitment(c, { threadId: "t1", receivedAt: later, from: "x@example.com" })).toBe(false);
    expect(chasesCommitment(c, { threadId: "t1", receivedAt: T0 - 1, from: "ana@example.com" })).toBe(false);
    expect(chasesCommitment(commitment("kept"), { threadId: "t1", receivedAt: later, from: "ana@example.com" })).toBe(false);
  });
});
