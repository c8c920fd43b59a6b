import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReceivedMessage, SentMessage } from "../../core/model";
import { detectIn } from "./detection";
import { NoMailError, scanMailbox, type ScanError, type ScanSink, type SentBody } from "./scan";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kept-scan-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Call = { kind: "sent"; msg: SentMessage; text: string | null; found?: SentBody["found"] } | { kind: "received"; msg: ReceivedMessage };
function recorder(): ScanSink & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async sent(msg, body) {
      calls.push({ kind: "sent", msg, text: body.text, ...(body.found ? { found: body.found } : {}) });
    },
    async received(msg) {
      calls.push({ kind: "received", msg });
    },
  };
}

const mail = (h: Record<string, string>, body = "hello") =>
  Object.entries(h)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n") + `\n\n${body}\n`;

describe("scanMailbox", () => {
  it("infers the user from a Maildir Sent folder, replays oldest first, and counts a copy in two folders once", async () => {
    for (const d of ["cur", "new", ".Sent/cur", ".Sent/new"]) await mkdir(join(dir, d), { recursive: true });
    const sent = mail({ From: "Sam <sam@example.com>", To: "Ann <ann@example.org>", Subject: "Role", Date: "Tue, 6 Oct 2026 10:00:00 +0000", "Message-ID": "<s1@example.com>" }, "I'll get back to you by Friday.");
    await writeFile(join(dir, ".Sent/cur/1:2,S"), sent);
    await writeFile(join(dir, "cur/0:2,S"), sent); // cc'd to self: the same message in the inbox
    await writeFile(
      join(dir, "new/2"),
      mail({ From: "Ann <ann@example.org>", To: "sam@example.com", Subject: "Re: Role", Date: "Mon, 5 Oct 2026 09:00:00 +0000", "Message-ID": "<a0@example.org>" }),
    );
    await writeFile(
      join(dir, "new/3"),
      mail({ From: "Ann <ann@example.org>", To: "sam@example.com", Subject: "Re: Role", Date: "Wed, 7 Oct 2026 09:00:00 +0000", "Message-ID": "<a1@example.org>", "In-Reply-To": "<s1@example.com>" }),
    );
    const sink = recorder();
    const report = await scanMailbox(dir, sink, {});
    expect(report.me).toMatchObject({ addresses: ["sam@example.com"], method: "sent-folder" });
    expect(report).toMatchObject({ messages: 4, duplicates: 1, sent: 1, received: 2, errors: 0 });
    expect(sink.calls.map((c) => c.msg.messageId)).toEqual(["a0@example.org", "s1@example.com", "a1@example.org"]);
    const s = sink.calls[1];
    expect(s).toMatchObject({
      kind: "sent",
      msg: { threadId: "s1@example.com", internetMessageId: "s1@example.com", to: [{ name: "Ann", address: "ann@example.org" }], cc: [], sentAt: Date.UTC(2026, 9, 6, 10) },
    });
    expect((s as { text: string }).text).toContain("I'll get back to you by Friday.");
    expect(sink.calls[2].msg.threadId).toBe("s1@example.com");
  });

  it("uses --me, skips mail only to the user, auto-replies and list mail, and reports corrupt messages with their position", async () => {
    const file = join(dir, "x.mbox");
    const msgs = [
      mail({ From: "sam@example.com", To: "Sam <SAM@example.com>", Subject: "note", Date: "Tue, 6 Oct 2026 10:00:00 +0000", "Message-ID": "<n1@x>" }),
      "\u0001\u0002 garbage\nnot a header\n\nbody\n",
      mail({ From: "ann@example.org", To: "sam@example.com", Subject: "Automatic reply: x", Date: "Tue, 6 Oct 2026 10:01:00 +0000", "Auto-Submitted": "auto-replied" }),
      mail({ From: "news@example.net", To: "sam@example.com", Subject: "News", Date: "Tue, 6 Oct 2026 10:02:00 +0000", "List-Id": "<n.example.net>" }),
      mail({ From: "sam@example.com", To: "ann@example.org, sam@example.com", Cc: "ann@example.org, bob@example.net", Subject: "x", Date: "Tue, 6 Oct 2026 11:00:00 +0000" }),
    ];
    const entries = msgs.map((m, i) => `From x@example.com Tue Oct  6 10:0${i}:00 2026\n${m}\n`);
    await writeFile(file, entries.join(""));
    const errors: ScanError[] = [];
    const sink = recorder();
    const report = await scanMailbox(file, sink, { me: ["Sam@Example.com"], onError: (e) => errors.push(e) });
    expect(errors).toEqual([{ source: file, index: 1, offset: entries[0].length, message: "it does not start with a header line" }]);
    expect(report.skipped).toEqual({ autoReply: 1, listMail: 1, onlyToSelf: 1, noSender: 0 });
    expect(sink.calls).toHaveLength(1);
    expect(sink.calls[0]).toMatchObject({
      kind: "sent",
      msg: { to: [{ address: "ann@example.org" }], cc: [{ address: "bob@example.net" }], internetMessageId: null },
    });
  });

  it("gives the same ids and thread ids on every run, synthetic ones included", async () => {
    const file = join(dir, "y.mbox");
    await writeFile(
      file,
      `From a Tue Oct  6 10:00:00 2026\n${mail({ From: "sam@example.com", To: "ann@example.org", Subject: "hi", Date: "Tue, 6 Oct 2026 10:00:00 +0000" })}\n`,
    );
    const a = recorder();
    const b = recorder();
    await scanMailbox(file, a, { me: ["sam@example.com"] });
    await scanMailbox(file, b, { me: ["sam@example.com"] });
    expect(a.calls[0].msg.messageId).toMatch(/^sha256:/);
    expect(b.calls.map((c) => [c.msg.messageId, c.msg.threadId])).toEqual(a.calls.map((c) => [c.msg.messageId, c.msg.threadId]));
  });

  it("reports progress for both phases and ends at the total", async () => {
    const file = join(dir, "z.mbox");
    await writeFile(file, `From a Tue Oct  6 10:00:00 2026\n${mail({ From: "a@example.org", To: "b@example.org", Subject: "x", Date: "Tue, 6 Oct 2026 10:00:00 +0000" })}\n`);
    const seen: string[] = [];
    const r = await scanMailbox(file, recorder(), { onProgress: (p) => seen.push(`${p.phase}:${p.messages}:${p.bytes}/${p.totalBytes}`) });
    expect(seen).toEqual([`read:1:${r.totalBytes}/${r.totalBytes}`, `replay:1:${r.totalBytes}/${r.totalBytes}`]);
  });
});

describe("requireMail", () => {
  it("stops before the sink when nothing could be read as mail, with what was found; a mailbox with one good message goes on", async () => {
    const junk = join(dir, "junk.mbox");
    const pm = "From x@example.com Mon Nov 16 10:00:00 2026\n";
    await writeFile(junk, `${pm}not a header\n\n${pm}nor this\n\n${pm}From: x@example.com\nSubject: no date\nMessage-ID: <n@x>\n\nhi\n`);
    const sink = recorder();
    const err = await scanMailbox(junk, sink, { requireMail: true, me: ["x@example.com"] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoMailError);
    expect(err).toMatchObject({ messages: 3, unreadable: 2, undated: 1, message: "none of its 3 messages could be read as mail (2 unreadable, 1 without a date)" });
    expect(sink.calls).toEqual([]);
    // Without it, the same file is an empty report.
    expect(await scanMailbox(junk, recorder(), { me: ["x@example.com"] })).toMatchObject({ messages: 3, errors: 2, undated: 1, sent: 0, received: 0 });
    const empty = join(dir, "empty.mbox");
    await writeFile(empty, "");
    await expect(scanMailbox(empty, recorder(), { requireMail: true })).rejects.toMatchObject({ message: "it is empty" });
    const good = join(dir, "good.mbox");
    await writeFile(good, `${pm}not a header\n\n${pm}` + mail({ From: "x@example.com", To: "y@example.org", Subject: "Hi", Date: "Tue, 6 Oct 2026 10:00:00 +0000", "Message-ID": "<g@x>" }).replace(/\r\n/g, "\n"));
    expect(await scanMailbox(good, recorder(), { requireMail: true, me: ["x@example.com"] })).toMatchObject({ messages: 2, errors: 1, sent: 1 });
  });
});

describe("worker threads", () => {
  it("replays the same calls with bodies parsed in workers as on the main thread", async () => {
    const sample = new URL("../../samples/sample.mbox", import.meta.url).pathname;
    const inline = recorder();
    const pooled = recorder();
    const a = await scanMailbox(sample, inline, { threads: 0 });
    const b = await scanMailbox(sample, pooled, { threads: 2 });
    expect(pooled.calls).toEqual(inline.calls);
    expect({ ...b, elapsedMs: 0 }).toEqual({ ...a, elapsedMs: 0 });
  });

  it("with the user's addresses known, starts detecting while it reads, and replays the same as without", async () => {
    // 2,400 messages (over 4 MB) written newest first, so the replay wants them in the
    // opposite order to the one pass 1 meets them in.
    const filler = "We are still reviewing the shortlist with the client this week. ".repeat(30);
    const parts: string[] = [];
    for (let n = 2400; n > 0; n--) {
      const mine = n % 2 === 0;
      const date = new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toUTCString().replace("GMT", "+0000");
      const from = mine ? "Sam <sam@example.com>" : `Cand ${n} <c${n >> 1}@example.org>`;
      const to = mine ? `Cand <c${n >> 1}@example.org>` : "Sam <sam@example.com>";
      const reply = mine ? "" : `In-Reply-To: <m${n + 1}@example.com>\n`;
      parts.push(`From x Thu Jan  1 00:00:00 2026\nFrom: ${from}\nTo: ${to}\nSubject: Role ${n >> 1}\nDate: ${date}\nMessage-ID: <m${n}@example.com>\n${reply}\nHi,\n\nI'll get back to you by Friday ${n}.\n\n${filler}\n`);
    }
    const big = join(dir, "big.mbox");
    await writeFile(big, parts.join("\n"));
    const detect = { timeZone: "Europe/London", locale: "en-GB" };
    const early = recorder();
    const late = recorder();
    const a = await scanMailbox(big, early, { me: ["sam@example.com"], detect, threads: 1 });
    const b = await scanMailbox(big, late, { me: ["sam@example.com"], detect, threads: 1, early: false });
    expect(a.detectedEarly).toBe(1200);
    expect(b.detectedEarly).toBe(0);
    expect(a.sent).toBe(1200);
    expect(early.calls).toEqual(late.calls);
    const first = early.calls.find((c) => c.kind === "sent") as Extract<Call, { kind: "sent" }>;
    expect(first.found!.commitments).toHaveLength(1);
    expect(first.msg.subject).toBe("Role 1"); // oldest first, though it is the last in the file
  }, 60_000);

  it("with detect, each sent body comes as what the detector finds in it, in workers and on the main thread alike", async () => {
    const sample = new URL("../../samples/sample.mbox", import.meta.url).pathname;
    const settings = { timeZone: "Europe/London", locale: "en-GB" };
    const expected: Call[] = [];
    await scanMailbox(
      sample,
      {
        async sent(msg, body) {
          expected.push({ kind: "sent", msg, text: null, found: detectIn(body, { sentAt: msg.sentAt, subject: msg.subject, ...settings }) });
        },
        async received(msg) {
          expected.push({ kind: "received", msg });
        },
      },
      { threads: 0 },
    );
    expect(expected.filter((c) => c.kind === "sent" && c.found!.commitments.length > 0).length).toBeGreaterThan(5);
    for (const threads of [0, 2]) {
      const found = recorder();
      await scanMailbox(sample, found, { threads, detect: settings });
      expect(found.calls).toEqual(expected);
    }
  });
});
