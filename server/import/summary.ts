// The table `kept scan` ends with: who is waiting on you, since when, and when it
// was due. Pure: rows and "now" in, text out.
import { daysBetween, localDateOf, parseLocalDate, type LocalDate } from "../../core/time";

export interface SummaryRow {
  name: string | null;
  address: string;
  subject: string;
  sentence: string;
  sentAt: number; // epoch ms
  dueDate: LocalDate | null;
  status: string; // "open" | "snoozed" | "kept" | "dismissed"
  chased: boolean | number; // or how many times
}

export interface SummaryOptions {
  now: number;
  timeZone: string;
  /** Total line width; the promise column takes what is left. Default 100. */
  width?: number;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function shortDate(date: LocalDate, today: LocalDate): string {
  const { year, month, day } = parseLocalDate(date);
  return `${day} ${MONTHS[month - 1]}${year !== parseLocalDate(today).year ? ` ${year}` : ""}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const width = (s: string) => [...s].length;
function fit(s: string, w: number): string {
  const chars = [...s];
  if (chars.length <= w) return s + " ".repeat(w - chars.length);
  return chars.slice(0, Math.max(0, w - 1)).join("") + "…";
}

function dueText(due: LocalDate | null, today: LocalDate): string {
  if (!due) return "no date";
  const d = daysBetween(today, due);
  const when = shortDate(due, today);
  if (d < 0) return `${when}, ${plural(-d, "day")} late`;
  if (d === 0) return `${when}, today`;
  if (d === 1) return `${when}, tomorrow`;
  return `${when}, in ${plural(d, "day")}`;
}

export function renderSummary(rows: readonly SummaryRow[], opts: SummaryOptions): string {
  const today = localDateOf(opts.now, opts.timeZone);
  const waiting = rows.filter((r) => r.status === "open" || r.status === "snoozed");
  const kept = rows.filter((r) => r.status === "kept").length;
  const chasedCount = (r: SummaryRow) => (typeof r.chased === "number" ? r.chased : r.chased ? 1 : 0);

  const lines: string[] = [];
  if (waiting.length === 0) {
    lines.push(rows.length === 0 ? "No promises found." : "Nobody is waiting on you.");
  } else {
    const people = new Set(waiting.map((r) => r.address)).size;
    const overdue = waiting.filter((r) => r.dueDate && r.dueDate < today).length;
    const chased = waiting.filter((r) => chasedCount(r) > 0).length;
    const facts = [overdue ? `${overdue} overdue` : "", chased ? `${chased} chased you` : ""].filter(Boolean).join(", ");
    // The figures count promises: say how many when some people are owed more than one.
    const owed = waiting.length > people ? ` for ${plural(waiting.length, "promise")}` : "";
    lines.push(`${plural(people, "person").replace("persons", "people")} ${people === 1 ? "is" : "are"} waiting on you${owed}${facts ? `: ${facts}` : ""}.`);
    lines.push("");

    // Most overdue first; undated last, oldest first.
    const sorted = [...waiting].sort(
      (a, b) => (a.dueDate ?? "9999-99-99").localeCompare(b.dueDate ?? "9999-99-99") || a.sentAt - b.sentAt,
    );
    const cells = sorted.map((r) => {
      const since = localDateOf(r.sentAt, opts.timeZone);
      const n = chasedCount(r);
      return [
        r.name?.trim() || r.address,
        `${shortDate(since, today)} (${plural(daysBetween(since, today), "day")})`,
        dueText(r.dueDate, today),
        n === 0 ? "" : n === 1 ? "yes" : `${n}×`,
        r.sentence.replace(/\s+/g, " ").trim(),
      ];
    });
    const head = ["Who", "Waiting since", "Due", "Chased", "Promise"];
    const fixed = [0, 1, 2, 3].map((i) => Math.min(28, Math.max(width(head[i]), ...cells.map((c) => width(c[i])))));
    const total = opts.width ?? 100;
    const rest = Math.max(12, total - fixed.reduce((a, b) => a + b, 0) - 2 * 4);
    const row = (c: string[]) => [...fixed.map((w, i) => fit(c[i], w)), fit(c[4], rest)].join("  ").trimEnd();
    lines.push(row(head));
    lines.push(row([...fixed.map((w) => "─".repeat(w)), "─".repeat(rest)]));
    for (const c of cells) lines.push(row(c));
  }
  if (kept > 0) {
    lines.push("");
    lines.push(`${plural(kept, "promise")} already kept.`);
  }
  return lines.join("\n") + "\n";
}
