// The shipped sample mailbox, scanned end to end into a small ledger-shaped sink:
// a promise is kept by a later sent message on its thread to the same person, and
// chased by a message from that person while it is open. The promise test here is
// a keyword stand-in for the real detector; the point is the replay.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderSample, sampleShiftWeeks, SAMPLE_COUNT } from "../../samples/make-sample";
import { localDateOf, addDays } from "../../core/time";
import { scanMailbox, type ScanError, type ScanSink } from "../../server/import/scan";

const SAMPLE = fileURLToPath(new URL("../../samples/sample.mbox", import.meta.url));

interface Entry {
  messageId: string;
  threadId: string;
  to: string;
  status: "open" | "kept";
  chased: number;
}

function newText(text: string | null, html: string | null): string {
  const t = text ?? (html ?? "").replace(/<blockquote[\s\S]*<\/blockquote>/gi, "").replace(/<[^>]+>/g, " ");
  return t.split(/^(On .*wrote:|-----Original Message-----|---------- Forwarded message|>)/m)[0];
}

function miniLedger(): ScanSink & { entries: Entry[] } {
  const entries: Entry[] = [];
  return {
    entries,
    async sent(msg, body) {
      for (const e of entries) {
        if (e.status === "open" && e.threadId === msg.threadId && msg.to.some((c) => c.address === e.to)) e.status = "kept";
      }
      if (/\b(I'll|I will|leave it with me|I hope to have news)\b/i.test(newText(body.text, body.html))) {
        entries.push({ messageId: msg.messageId, threadId: msg.threadId, to: msg.to[0].address, status: "open", chased: 0 });
      }
    },
    async received(msg) {
      for (const e of entries) if (e.status === "open" && e.threadId === msg.threadId && e.to === msg.from.address) e.chased++;
    },
  };
}

describe("samples/sample.mbox", () => {
  it("is what make-sample.ts writes", async () => {
    expect(await readFile(SAMPLE, "utf8")).toBe(renderSample());
  });

  it("replays into kept, chased and forgotten promises, skipping the corrupt message", async () => {
    const ledger = miniLedger();
    const errors: ScanError[] = [];
    const report = await scanMailbox(SAMPLE, ledger, { onError: (e) => errors.push(e) });

    expect(report.me).toMatchObject({ addresses: ["sam.taylor@example.com"], method: "participation" });
    expect(report).toMatchObject({ messages: SAMPLE_COUNT, errors: 1, duplicates: 0, undated: 0 });
    expect(report.skipped).toEqual({ autoReply: 1, listMail: 2, onlyToSelf: 1, noSender: 0 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ source: SAMPLE, index: 21 });
    expect(typeof errors[0].offset).toBe("number");

    const status = Object.fromEntries(ledger.entries.map((e) => [e.messageId.replace(/@.*/, ""), `${e.status}${e.chased ? ", chased" : ""}`]));
    expect(status).toEqual({
      "sam-0001": "open", // Daniel: a call promised for 3 October, never made
      "sam-0002": "kept", // Priya: by Friday, kept on Thursday
      "sam-0003": "kept, chased", // Rachel replied, then Sam sent the profiles
      "sam-0005": "kept", // interview details, sent the next morning
      "sam-0007": "kept, chased", // Tom chased; the 24 Nov update counts as news
      "sam-0008": "open", // Aisha: the job spec, forgotten
      "sam-0010": "kept", // Elena's out-of-office is no chase
      "sam-0012": "kept, chased", // Marcus chased; the bad news answered it
      "sam-0013": "open", // "I'll be in touch when something closer comes up"
      "sam-0015": "open, chased", // James chased the hiring plan
      "sam-0016": "open", // Zoë: "I'll keep you posted"
      "sam-0017": "kept", // Hannah, HTML only
      "sam-0019": "kept, chased", // Olivia chased, then kept
      "sam-0021": "open", // Grace: invite, on a thread joined by subject
      "sam-0022": "open, chased", // Noah replied
      "sam-0023": "open", // Tom: news by Friday
    });
  });

  it("moves on by whole weeks to stay recent: dates, the dates in the text, and the same replay", async () => {
    expect([sampleShiftWeeks(Date.UTC(2026, 10, 22)), sampleShiftWeeks(Date.UTC(2026, 10, 29)), sampleShiftWeeks(Date.UTC(2026, 10, 30)), sampleShiftWeeks(Date.UTC(2027, 5, 1))]).toEqual([0, 0, 1, 27]);
    const base = renderSample();
    const moved = renderSample({ shiftWeeks: 30 });
    expect(renderSample()).toBe(base); // rendering moved left nothing behind
    // Message headers (a forwarded message's "Date: … at 17:02" line is text, not a header).
    const dates = (text: string) => [...text.matchAll(/^Date: (.+)$/gm)].map((m) => Date.parse(m[1]!)).filter((t) => !Number.isNaN(t));
    const [before, after] = [dates(base), dates(moved)];
    expect(after).toHaveLength(before.length);
    // Each message keeps its London wall-clock time, 210 days on, across the clock changes.
    const wall = (t: number) => new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(t);
    for (let i = 0; i < before.length; i++) {
      expect(localDateOf(after[i]!, "Europe/London")).toBe(addDays(localDateOf(before[i]!, "Europe/London"), 210));
      expect(wall(after[i]!)).toBe(wall(before[i]!));
    }
    expect(base).toContain("Interview confirmed: Wednesday 14 October at 2pm");
    expect(moved).toContain("Interview confirmed: Wednesday 12 May at 2pm");
    expect(moved).not.toMatch(/October 2026|Oct 2026/);

    const dir = mkdtempSync(join(tmpdir(), "kept-sample-"));
    try {
      writeFileSync(join(dir, "moved.mbox"), moved);
      const [a, b] = [miniLedger(), miniLedger()];
      await scanMailbox(SAMPLE, a);
      await scanMailbox(join(dir, "moved.mbox"), b);
      expect(b.entries).toEqual(a.entries);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
