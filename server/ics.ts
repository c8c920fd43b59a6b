// An account's follow-ups as an iCalendar feed (RFC 5545) for calendar apps to
// subscribe to. Built with the `ics` package, with three repairs where it falls
// short (see below). Times are written in UTC ("…Z"), so no VTIMEZONE is needed
// and every client shows the instant the ledger planned in the user's zone; the
// zone itself only decided that instant.
//
// Where `ics` 3.12 falls short, and what this file does instead:
// - it folds lines at 75 characters, not 75 octets, so lines with é or 中 are
//   too long: the output is unfolded and folded again by octets, never inside a
//   UTF-8 sequence;
// - it escapes SUMMARY and DESCRIPTION but not UID, X-WR-CALNAME or the VALARM
//   DESCRIPTION: those are escaped here before they go in;
// - a 0-minute alarm comes out as "TRIGGER:PT" (invalid): it is written as an
//   absolute trigger at the start instead.
// `ics` also stamps DTSTAMP with Date.now() unless told; it is given updatedAt so
// the same ledger state renders byte-identical output (good for ETags).
import { createEvents, type EventAttributes } from "ics";

export interface FeedEvent {
  uid: string;
  sequence: number;
  start: number; // epoch ms
  end: number;
  timeZone: string; // the user's zone; informational, times are emitted in UTC
  title: string;
  description: string;
  url: string | null;
  alarmMinutes: number | null;
  status: "confirmed" | "cancelled";
  updatedAt: number;
  createdAt: number;
}

export interface FeedInput {
  calendarName: string;
  events: FeedEvent[];
}

export const PRODUCT_ID = "-//Kept//Kept follow-ups//EN";

/**
 * How long a cancelled event stays in the feed (server/feed.ts selects by it):
 * clients that honour STATUS:CANCELLED with the higher SEQUENCE remove it on
 * their next poll, and feeds are polled every few hours (Google's can lag a day).
 */
export const CANCELLED_RETENTION_MS = 30 * 86_400_000;

/** The title of an event whose own title is nothing but characters TEXT may not hold. */
export const UNTITLED = "Kept follow-up";

/** Escapes a TEXT value (RFC 5545 §3.3.11) and drops characters TEXT may not hold. */
export function escapeText(s: string): string {
  return cleanText(s).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\n/g, "\\n");
}

/** Normalises line ends to \n and removes control characters other than tab and newline. */
function cleanText(s: string): string {
  return s.replace(/\r\n?/g, "\n").replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, "");
}

export function renderFeed(input: FeedInput): string {
  const events: EventAttributes[] = input.events.map((e) => {
    if (!(e.end > e.start)) throw new Error(`event ${e.uid}: end must be after start`);
    if (!Number.isInteger(e.sequence) || e.sequence < 0) throw new Error(`event ${e.uid}: sequence must be a non-negative integer`);
    const cancelled = e.status === "cancelled";
    // `timestamp` (DTSTAMP) is read by ics but missing from its types.
    const attrs: EventAttributes & { timestamp: number } = {
      uid: escapeText(e.uid),
      sequence: e.sequence,
      timestamp: e.updatedAt,
      created: e.createdAt,
      lastModified: e.updatedAt,
      start: e.start,
      startInputType: "utc",
      startOutputType: "utc",
      end: e.end,
      endInputType: "utc",
      endOutputType: "utc",
      // ics escapes these two itself; it only needs clean text.
      title: cleanText(e.title) || UNTITLED, // a calendar shows an event with no summary as blank
      description: cleanText(e.description) || undefined,
      url: e.url ?? undefined,
      status: cancelled ? "CANCELLED" : "CONFIRMED",
      transp: cancelled ? "TRANSPARENT" : "OPAQUE",
    };
    if (e.alarmMinutes !== null && !cancelled) {
      const m = Math.max(0, Math.round(e.alarmMinutes));
      attrs.alarms = [
        {
          action: "display",
          description: escapeText(e.title),
          trigger: m === 0 ? e.start : { minutes: m, before: true },
        },
      ];
    }
    return attrs;
  });
  const { error, value } = createEvents(events, { productId: PRODUCT_ID, method: "PUBLISH", calName: escapeText(input.calendarName) });
  if (error || value === null) throw new Error(`the calendar feed could not be built: ${error?.message ?? "no output"}`);
  // Re-fold by octets, and ask clients to poll hourly (RFC 7986 alongside the X- form ics writes).
  const lines = unfold(value).flatMap((l) => (l === "X-PUBLISHED-TTL:PT1H" ? [l, "REFRESH-INTERVAL;VALUE=DURATION:PT1H"] : [l]));
  return lines.map(foldLine).join("\r\n") + "\r\n";
}

function unfold(ics: string): string[] {
  return ics
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .filter((l) => l.length > 0);
}

const encoder = new TextEncoder();

/** Folds one content line so no physical line exceeds 75 octets (RFC 5545 §3.1). */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const out: string[] = [];
  let cur = "";
  let curBytes = 0;
  let limit = 75; // continuation lines start with a space, which counts
  for (const ch of line) {
    const n = ch.codePointAt(0)! < 0x80 ? 1 : ch.codePointAt(0)! < 0x800 ? 2 : ch.codePointAt(0)! < 0x10000 ? 3 : 4;
    if (curBytes + n > limit) {
      out.push(cur);
      cur = "";
      curBytes = 0;
      limit = 74;
    }
    cur += ch;
    curBytes += n;
  }
  out.push(cur);
  return out.join("\r\n ");
}
