// The shapes of the API's main answers, for /openapi.json: what the side panel,
// the list, one promise, the account and the summary send back. test/api-shapes.test.ts
// checks real answers against them (strictly: no field missing, none extra), so the
// document can't drift from the code.
import { z } from "zod";

const zCounterpart = z.strictObject({ name: z.string().nullable(), address: z.string() });
const ms = () => z.number().int().describe("milliseconds since 1970 (UTC)");
const localDate = () => z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe("a date in the user's time zone, YYYY-MM-DD");

export const zCommitmentView = z
  .strictObject({
    id: z.string(),
    accountId: z.string(),
    provider: z.enum(["microsoft", "google", "local"]),
    threadId: z.string(),
    messageId: z.string().describe("the provider's id of the message the promise is in"),
    internetMessageId: z.string().nullable().describe("its RFC 5322 Message-ID"),
    counterparts: z.array(zCounterpart).describe("the people it was made to; the first is the one a reply keeps it for"),
    subject: z.string(),
    sentence: z.string().describe("the promise as written, at most 500 characters"),
    trigger: z.string().nullable(),
    kind: z.enum(["explicit", "conditional", "implicit"]),
    sentAt: ms(),
    dueDate: localDate(),
    dueStated: z.boolean().describe("whether the message named the date (else Kept's default delay)"),
    status: z.enum(["open", "snoozed", "kept", "dismissed"]),
    snoozedUntil: ms().nullable(),
    chasedAt: ms().nullable(),
    chaseCount: z.number().int(),
    keptAt: ms().nullable(),
    keptMessageId: z.string().nullable(),
    dismissedReason: z.string().nullable(),
    renewedFromId: z.string().nullable(),
    renewedToId: z.string().nullable(),
    nextReminderAt: ms().nullable(),
    reminderCount: z.number().int(),
    source: z.enum(["send-time", "sync", "import", "update", "manual"]),
    createdAt: ms(),
    updatedAt: ms(),
    overdue: z.boolean().describe("still to keep, and due before today"),
    chased: z.boolean().describe("the other side has asked since"),
  })
  .meta({ id: "Commitment" });

export const zCheckIn = z
  .strictObject({
    id: z.string(),
    accountId: z.string(),
    counterpartAddress: z.string(),
    counterpartName: z.string().nullable(),
    subject: z.string(),
    note: z.string().nullable(),
    commitmentId: z.string().nullable(),
    threadId: z.string().nullable(),
    dueAt: ms(),
    dueDate: localDate(),
    status: z.enum(["scheduled", "done", "cancelled"]),
    reason: z.enum(["bad-news", "manual"]),
    createdAt: ms(),
    updatedAt: ms(),
  })
  .meta({ id: "CheckIn" });

export const zTemplateChoice = z
  .strictObject({ id: z.string(), name: z.string(), tone: z.string(), body: z.string(), builtIn: z.boolean() })
  .meta({ id: "Template" });

export const zPanel = z
  .strictObject({
    counterpart: z.string().describe("the person, as Kept matches them (lower case)"),
    thisThread: z.array(zCommitmentView).describe("open and snoozed promises to them on this thread, newest first"),
    otherThreads: z.array(zCommitmentView).describe("open and snoozed promises to them elsewhere, newest first"),
    recentlyClosed: z.array(zCommitmentView).describe("the last five kept or dismissed"),
    checkIns: z.array(zCheckIn).describe("check-ins scheduled with them, soonest first"),
    templates: z.array(zTemplateChoice).describe("the updates the user can send"),
  })
  .meta({ id: "Panel" });

export const zCommitmentList = z.strictObject({ items: z.array(zCommitmentView), nextCursor: z.string().nullable() }).meta({ id: "CommitmentList" });

export const zCommitmentDetail = zCommitmentView
  .extend({
    history: z.array(z.strictObject({ at: ms(), type: z.string(), detail: z.record(z.string(), z.unknown()) })),
    events: z.array(z.strictObject({ id: z.string(), startsAt: ms(), state: z.enum(["pending", "created", "cancelled", "deleted"]), title: z.string() })),
  })
  .meta({ id: "CommitmentDetail" });

export const zSettings = z
  .strictObject({
    timeZone: z.string(),
    locale: z.string(),
    workDays: z.array(z.number().int()),
    dayStart: z.string(),
    dayEnd: z.string(),
    defaultDelayWorkingDays: z.number().int(),
    escalationWorkingDays: z.array(z.number().int()),
    eventMinutes: z.number().int(),
    checkInDays: z.number().int(),
    displayName: z.string().nullable(),
  })
  .meta({ id: "Settings" });

export const zMe = z
  .strictObject({ id: z.string(), provider: z.enum(["microsoft", "google", "local"]), email: z.string().nullable(), addresses: z.array(z.string()), settings: zSettings })
  .meta({ id: "Account" });

export const zSummary = z
  .strictObject({
    delivery: z.strictObject({ delayed: z.number().int(), failed: z.number().int(), lastError: z.string().nullable() }),
    open: z.number().int(),
    overdue: z.number().int(),
    chased: z.number().int(),
    kept: z.number().int(),
    keptOnTime: z.number().int(),
    keptOnTimeRate: z.number().nullable(),
    medianHoursToGetBack: z.number().nullable(),
    weekly: z.array(z.strictObject({ weekStart: localDate(), made: z.number().int(), kept: z.number().int() })),
    waited: z.array(z.strictObject({ label: z.string(), count: z.number().int() })),
  })
  .meta({ id: "Summary" });
