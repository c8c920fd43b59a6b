import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { finishMboxBody, isPostmark, isSentFolderName, planMailbox, readMailAt, readMailbox, type RawMail } from "./reader";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kept-reader-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(path: string, opts?: Parameters<typeof readMailbox>[1]): Promise<RawMail[]> {
  const out: RawMail[] = [];
  for await (const m of readMailbox(path, opts)) out.push(m);
  return out;
}
const text = (m: RawMail) => Buffer.from(m.bytes).toString("utf8");

/** Writes messages as mboxrd: quotes From lines, a blank line after each message. */
function mboxrd(messages: string[], eol = "\n"): string {
  return messages
    .map((m, i) => `From sender${i}@example.com Mon Oct  5 10:0${i % 10}:00 2026${eol}` + m.replace(/^(>*From )/gm, ">$1") + (m.endsWith("\n") ? "" : eol) + eol)
    .join("");
}

describe("mbox", () => {
  it("splits on postmarks and undoes >From quoting", async () => {
    const a = "Subject: a\n\nhello\nFrom here on it is quoted\n>From already quoted\nbye";
    const b = "Subject: b\n\nsecond";
    await writeFile(join(dir, "x.mbox"), mboxrd([a, b]));
    const got = await collect(join(dir, "x.mbox"));
    expect(got.map(text)).toEqual([a + "\n", b + "\n"]);
    expect(got.map((m) => m.index)).toEqual([0, 1]);
    expect(got[0].offset).toBe(0);
    expect(got[1].folderHint).toBe("other");
  });

  it("handles CRLF files and a last message without a trailing newline", async () => {
    const raw = "From a@example.com Mon Oct  5 10:00:00 2026\r\nSubject: a\r\n\r\none\r\n\r\nFrom b@example.com Mon Oct  5 10:01:00 2026\r\nSubject: b\r\n\r\ntwo";
    await writeFile(join(dir, "crlf.mbox"), raw);
    const got = await collect(join(dir, "crlf.mbox"));
    expect(got.map(text)).toEqual(["Subject: a\r\n\r\none\r\n", "Subject: b\r\n\r\ntwo"]);
  });

  it("does not split on a body line that starts with From but is no postmark", async () => {
    await writeFile(join(dir, "cl.mbox"), "From a@example.com Mon Oct  5 10:00:00 2026\nSubject: a\n\nhi\n\nFrom what I heard, fine.\n");
    const got = await collect(join(dir, "cl.mbox"));
    expect(got).toHaveLength(1);
    expect(text(got[0])).toContain("From what I heard");
    expect(isPostmark("From - Thu Oct 01 10:00:00 2026")).toBe(true);
    expect(isPostmark("From MAILER-DAEMON Fri Jul  8 12:08:34 2011")).toBe(true);
  });

  it("gives the same messages whatever the chunk size (chunk boundaries anywhere)", async () => {
    const body = fc.array(fc.constantFrom("x", " ", "\n", "From ", ">From ", ">>From ", "\r\n", "é", "F", "Fr"), { maxLength: 40 }).map((p) => p.join(""));
    await fc.assert(
      fc.asyncProperty(fc.array(body, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 64 }), async (bodies, chunk) => {
        const msgs = bodies.map((b, i) => `Subject: m${i}\n\n${b}\n`);
        const file = join(dir, `p${chunk}.mbox`);
        await writeFile(file, mboxrd(msgs));
        const got = await collect(file, { chunkBytes: chunk });
        expect(got.map(text)).toEqual(msgs);
        for (const m of got) expect(Buffer.from(await readMailAt(m)).equals(Buffer.from(m.bytes))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("reports a message larger than the limit as oversize and moves on", async () => {
    await writeFile(join(dir, "big.mbox"), mboxrd(["Subject: big\n\n" + "x".repeat(5000), "Subject: small\n\nok"]));
    const got = await collect(join(dir, "big.mbox"), { maxMessageBytes: 1000, chunkBytes: 256 });
    expect(got.map((m) => m.oversize ?? false)).toEqual([true, false]);
    expect(text(got[1])).toBe("Subject: small\n\nok\n");
  });

  it("marks an mbox named Sent as the sent folder", async () => {
    await writeFile(join(dir, "Sent.mbox"), mboxrd(["Subject: a\n\nx"]));
    expect((await collect(join(dir, "Sent.mbox")))[0].folderHint).toBe("sent");
    expect(isSentFolderName("Sent Items")).toBe(true);
    expect(isSentFolderName(".INBOX.Sent")).toBe(true);
    expect(isSentFolderName("[Gmail].Sent Mail")).toBe(true);
    expect(isSentFolderName("Unsent")).toBe(false);
    expect(isSentFolderName("Consent forms")).toBe(false);
  });

  it("unquotes only From lines", () => {
    expect(finishMboxBody(Buffer.from(">From a\n>>From b\n>not\n\n")).toString()).toBe("From a\n>From b\n>not\n");
  });
});

describe("Maildir and .eml", () => {
  it("reads cur/ and new/ of the root and of Maildir++ subfolders, skipping tmp/", async () => {
    for (const d of ["cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Archive/cur"]) await mkdir(join(dir, "md", d), { recursive: true });
    await writeFile(join(dir, "md/cur/1.host:2,S"), "Subject: in\n\nx");
    await writeFile(join(dir, "md/new/2.host"), "Subject: new\n\nx");
    await writeFile(join(dir, "md/tmp/3.host"), "Subject: tmp\n\nx");
    await writeFile(join(dir, "md/.Sent/cur/4.host:2,S"), "Subject: sent\n\nx");
    await writeFile(join(dir, "md/.Archive/cur/5.host:2,S"), "Subject: arch\n\nx");
    await writeFile(join(dir, "md/dovecot-uidlist"), "3 V1 N5\n");
    const got = await collect(join(dir, "md"));
    const bySubject = Object.fromEntries(got.map((m) => [text(m).split("\n")[0], m.folderHint]));
    expect(bySubject).toEqual({ "Subject: in": "other", "Subject: new": "other", "Subject: sent": "sent", "Subject: arch": "other" });
    const plan = await planMailbox(join(dir, "md"));
    expect(plan.totalBytes).toBe(plan.files.reduce((n, f) => n + f.size, 0));
    expect(plan.files.every((f) => f.kind === "maildir")).toBe(true);
  });

  it("reads a folder of .eml files recursively, and a single .eml", async () => {
    await mkdir(join(dir, "emls/Sent"), { recursive: true });
    await writeFile(join(dir, "emls/a.eml"), "Subject: a\n\nx");
    await writeFile(join(dir, "emls/Sent/b.EML"), "Subject: b\n\nx");
    await writeFile(join(dir, "emls/notes.txt"), "not mail");
    const got = await collect(join(dir, "emls"));
    expect(got.map((m) => [text(m).split("\n")[0], m.folderHint, m.offset])).toEqual([
      ["Subject: b", "sent", null],
      ["Subject: a", null, null],
    ]);
    const one = await collect(join(dir, "emls/a.eml"));
    expect(one).toHaveLength(1);
    expect((await planMailbox(join(dir, "emls/a.eml"))).totalBytes).toBe(13);
  });
});
