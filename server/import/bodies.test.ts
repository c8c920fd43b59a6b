// The worker's parse (with its byte-concatenating Blob) gives exactly what
// postal-mime gives on the main thread, for every transfer encoding and charset.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { detectorModule, inlineBodyParser, workerBodyParser } from "./bodies";
import { detectIn } from "./detection";
import { readMailbox } from "./reader";

const crlf = (s: string) => s.replace(/\r?\n/g, "\r\n");
const qp = (s: string) =>
  Buffer.from(s, "utf8")
    .toString("latin1")
    .replace(/[=\x80-\xff]/g, (c) => "=" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));

const messages: Array<[string, Uint8Array]> = [
  ["7bit", Buffer.from(crlf("From: a@x.example\nTo: b@x.example\nSubject: s\nContent-Type: text/plain\n\nHi,\nI'll get back to you by Friday.\n\nSam\n"))],
  ["8bit utf-8", Buffer.from(crlf("From: a@x.example\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nZoë — naïve café ✓\n"))],
  ["latin1", Buffer.concat([Buffer.from(crlf("From: a@x.example\nContent-Type: text/plain; charset=iso-8859-1\n\n")), Buffer.from("Müller, £55k\r\n", "latin1")])],
  ["quoted-printable", Buffer.from(crlf(`From: a@x.example\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n${qp("Zoë will revert by EOD — promise.")}\n`))],
  ["base64 html", Buffer.from(crlf(`From: a@x.example\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${Buffer.from("<p>I'll call you <b>tomorrow</b>.</p>").toString("base64")}\n`))],
  [
    "multipart alternative",
    Buffer.from(
      crlf(
        'From: a@x.example\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b1"\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\nPlain: I\'ll be in touch.\n--b1\nContent-Type: text/html; charset=utf-8\n\n<div>HTML: I\'ll be in touch.</div>\n--b1--\n',
      ),
    ),
  ],
];

const worker = workerBodyParser(1, await detectorModule());
const inline = inlineBodyParser();
const dir = mkdtempSync(join(tmpdir(), "kept-bodies-"));
afterAll(async () => {
  await worker.close();
  await inline.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("body parsing in the worker", () => {
  it.each(messages)("%s is parsed as on the main thread", async (_name, bytes) => {
    const expected = await inline.parse(bytes);
    expect(expected.text ?? expected.html).toBeTruthy();
    expect(await worker.parse(bytes)).toEqual(expected);
  });

  it("agrees on random bodies", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 400 }), fc.constantFrom("7bit", "quoted-printable", "base64"), async (body, cte) => {
        const encoded = cte === "base64" ? Buffer.from(body).toString("base64") : cte === "quoted-printable" ? qp(body) : body;
        const bytes = Buffer.from(crlf(`From: a@x.example\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: ${cte}\n\n${encoded}\n`));
        expect(await worker.parse(bytes)).toEqual(await inline.parse(bytes));
      }),
      { numRuns: 300 },
    );
  });
});

/** The messages above in one mbox, the last with mboxrd-quoted "From " lines. */
function sentMbox(): string {
  const path = join(dir, "Sent.mbox");
  const quoted = crlf("From: a@x.example\nContent-Type: text/plain\n\nFirst line\n>From the top: I'll call you.\n>>From here\n");
  const mbox = messages.map(([, bytes]) => `From sam@x.example Tue Oct  6 10:00:00 2026\r\n${Buffer.from(bytes).toString("latin1")}\r\n`).join("") +
    `From sam@x.example Tue Oct  6 10:00:00 2026\n${quoted}`;
  writeFileSync(path, Buffer.from(mbox, "latin1"));
  return path;
}

describe("bodies read by position", () => {
  it("the worker reads each message of an mbox where the reader found it, as the main thread does", async () => {
    const path = sentMbox();
    const refs = [];
    for await (const raw of readMailbox(path)) refs.push({ ...raw, expected: await inline.parse(raw.bytes) });
    expect(refs).toHaveLength(messages.length + 1);
    for (const ref of refs) {
      expect(await worker.parseAt(ref)).toEqual(ref.expected);
      expect(await inline.parseAt(ref)).toEqual(ref.expected);
    }
    expect(refs.at(-1)!.expected.text).toContain("From the top: I'll call you.\n>From here");
  });

  it("the worker's detector finds in each what the detector finds in the body on the main thread", async () => {
    const path = sentMbox();
    const req = { sentAt: Date.UTC(2026, 9, 6, 10), subject: "Role", timeZone: "Europe/London", locale: "en-GB" };
    let promises = 0;
    for await (const raw of readMailbox(path)) {
      const expected = detectIn(await inline.parse(raw.bytes), req);
      promises += expected.commitments.length;
      expect(await worker.detectAt(raw, req)).toEqual({ found: expected });
      expect(await inline.detectAt(raw, req)).toEqual({ found: expected });
    }
    expect(promises).toBeGreaterThanOrEqual(4); // "get back to you by Friday", "call you tomorrow", "be in touch"…
  });

  it("without esbuild, the worker loads the detector's TypeScript through tsx", async () => {
    const viaTsx = workerBodyParser(1, { url: pathToFileURL(join(import.meta.dirname, "detection.ts")).href, tsx: true });
    try {
      let raw;
      for await (const r of readMailbox(sentMbox())) raw ??= r;
      const req = { sentAt: Date.UTC(2026, 9, 6, 10), subject: "Role", timeZone: "Europe/London", locale: "en-GB" };
      const { found } = await viaTsx.detectAt(raw!, req);
      expect(found.commitments[0]).toMatchObject({ trigger: expect.stringMatching(/get back to you/i) });
      expect(found).toEqual(detectIn(await inline.parse(raw!.bytes), req));
    } finally {
      await viaTsx.close();
    }
  });

  it("a message that can't be read is an error, not an empty body", async () => {
    const ref = { source: join(dir, "gone.mbox"), offset: 0, rawLength: 100 };
    await expect(worker.parseAt(ref)).rejects.toThrow(/ENOENT/);
    await expect(inline.parseAt(ref)).rejects.toThrow(/ENOENT/);
  });
});
