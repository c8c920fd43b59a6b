// The ledger's vocabulary: what a commitment is, its states, the user's working
// settings, and the messages the ledger learns from. Plain data only.
import type { LocalDate } from "./time";

export type ProviderName = "microsoft" | "google" | "local";

export type CommitmentStatus = "open" | "snoozed" | "kept" | "dismissed";
export type CommitmentKind = "explicit" | "conditional" | "implicit";
export type CommitmentSource = "send-time" | "sync" | "import" | "update" | "manual";

export interface Counterpart {
  name: string | null;
  address: string; // lower-cased
}

/** A user's working week, used to place reminders. */
export interface WorkSettings {
  timeZone: string; // IANA
  locale: string; // BCP 47, e.g. en-GB
  workDays: number[]; // ISO weekdays, 1 = Monday
  dayStart: string; // "09:00"
  dayEnd: string; // "17:30"
  /** Working days to wait before the first reminder when no date was stated. */
  defaultDelayWorkingDays: number;
  /** Working days between follow-ups while a promise stays open; the last value repeats. */
  escalationWorkingDays: number[];
  eventMinutes: number;
  checkInDays: number;
  displayName: string | null;
}

export const DEFAULT_SETTINGS: WorkSettings = {
  timeZone: "UTC",
  locale: "en-GB",
  workDays: [1, 2, 3, 4, 5],
  dayStart: "09:00",
  dayEnd: "17:30",
  defaultDelayWorkingDays: 2,
  escalationWorkingDays: [1, 2, 5],
  eventMinutes: 15,
  checkInDays: 90,
  displayName: null,
};

export interface Commitment {
  id: string;
  accountId: string;
  provider: ProviderName;
  threadId: string;
  messageId: string; // the provider's id
  internetMessageId: string | null; // RFC 5322 Message-ID
  counterparts: Counterpart[]; // first is primary
  subject: string;
  sentence: string; // the promise as written, at most 500 characters
  trigger: string | null;
  kind: CommitmentKind;
  sentAt: number; // epoch ms
  dueDate: LocalDate; // the stated date, or the one the policy chose
  dueStated: boolean;
  status: CommitmentStatus;
  snoozedUntil: number | null;
  chasedAt: number | null;
  chaseCount: number;
  keptAt: number | null;
  keptMessageId: string | null;
  dismissedReason: string | null;
  renewedFromId: string | null;
  renewedToId: string | null;
  nextReminderAt: number | null;
  reminderCount: number;
  source: CommitmentSource;
  createdAt: number;
  updatedAt: number;
}

export type HistoryType =
  | "created"
  | "reminded"
  | "chased"
  | "snoozed"
  | "woke"
  | "kept"
  | "dismissed"
  | "renewed"
  | "reopened"
  | "rescheduled"
  /** An update Kept was to send could not be sent (the provider refused it for good). */
  | "not_sent"
  /** A follow-up event could not be put on (or taken off) the calendar. */
  | "not_placed";

export interface HistoryEntry {
  at: number;
  type: HistoryType;
  detail: Record<string, unknown>;
}

/** What the ledger is told about a message the user sent. Never a body beyond detection. */
export interface SentMessage {
  threadId: string;
  messageId: string;
  internetMessageId: string | null;
  subject: string;
  to: Counterpart[];
  cc: Counterpart[];
  sentAt: number;
}

/** A message someone else sent to the user. */
export interface ReceivedMessage {
  threadId: string;
  messageId: string;
  from: Counterpart;
  subject: string;
  receivedAt: number;
}

export const SENTENCE_CAP = 500;

export function normaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}

export function firstName(counterpart: Counterpart): string {
  const name = counterpart.name?.trim();
  if (name) {
    // "Surname, Given" is how many directories write names.
    if (name.includes(",")) {
      const given = name.split(",")[1]?.trim().split(/\s+/)[0];
      if (given) return given;
    }
    return name.split(/\s+/)[0]!;
  }
  const local = counterpart.address.split("@")[0] ?? counterpart.address;
  const word = local.split(/[._+-]/)[0] ?? local;
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * Where the thread opens in the user's mail on the web: Gmail by thread id,
 * Outlook on the web by the message's Graph id (the form Graph's webLink takes).
 * Null where Kept can't know one: imported or local mail, and an update whose
 * message id the provider hasn't given yet.
 */
export function threadLink(c: Pick<Commitment, "provider" | "threadId" | "messageId" | "source">): string | null {
  if (c.source === "import" || c.messageId.startsWith("kept-update-")) return null;
  if (c.provider === "google") return `https://mail.google.com/mail/#all/${encodeURIComponent(c.threadId)}`;
  if (c.provider === "microsoft") return `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(c.messageId)}&exvsurl=1&viewmodel=ReadMessageItem`;
  return null;
}
