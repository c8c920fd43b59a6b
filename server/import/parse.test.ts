import { describe, expect, it } from "vitest";
import { MailParseError, parseMail, parseMessageIds } from "./parse";
import type { RawMail } from "./reader";

const raw = (s: string): RawMail => {
  const bytes = Buffer.from(s.replace(/^\n/, ""));
  return { source: "test.mbox", index: 0, offset: 0, bytes, folderHint: null, rawLength: bytes.length };
};

const basic = `
From: "Taylor, Sam" <Sam.Taylor@Example.com>
To: Priya Shah <priya@example.org>, team: a@example.net, b@example.net;
Cc: =?UTF-8?Q?Jos=C3=A9_Garc=C3=ADa?= <jose@example.org>
Subject: Re: Senior Analyst role
Date: Tue, 6 Oct 2026 09:12:00 +0100
Message-ID: <CAB123@mail.example.com>
In-Reply-To: <orig-1@example.org>
References: <root-0@example.org>
 <orig-1@example.org>
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

I'll get back to you by Friday =E2=80=93 promise.
--b1
Content-Type: text/html; charset=utf-8

<p>I'll get back to you by Friday &ndash; promise.</p>
--b1--
`;

describe("parseMail", () => {
  it("reads ids, people, date and both bodies", async () => {
    const m = await parseMail(raw(basic));
    expect(m).toMatchObject({
      messageId: "CAB123@mail.example.com",
      syntheticId: false,
      inReplyTo: "orig-1@example.org",
      references: ["root-0@example.org", "orig-1@example.org"],
      from: { name: "Taylor, Sam", address: "sam.taylor@example.com" },
      to: [
        { name: "Priya Shah", address: "priya@example.org" },
        { name: null, address: "a@example.net" },
        { name: null, address: "b@example.net" },
      ],
      cc: [{ name: "José García", address: "jose@example.org" }],
      subject: "Re: Senior Analyst role",
      date: Date.UTC(2026, 9, 6, 8, 12),
      autoReply: false,
      listMail: false,
    });
    expect(m.text).toContain("I'll get back to you by Friday – promise.");
    expect(m.html).toContain("<p>I'll get back");
  });

  it("parses headers only when asked", async () => {
    const m = await parseMail(raw(basic), { headersOnly: true });
    expect(m.messageId).toBe("CAB123@mail.example.com");
    expect(m.text).toBeNull();
    expect(m.html).toBeNull();
  });

  it("gives a stable synthetic id when Message-ID is missing", async () => {
    const s = "From: a@example.com\nTo: b@example.com\nSubject: x\n\nbody\n";
    const a = await parseMail(raw(s));
    const b = await parseMail(raw(s));
    const c = await parseMail(raw(s + "more\n"));
    expect(a.messageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.syntheticId).toBe(true);
    expect(b.messageId).toBe(a.messageId);
    expect(c.messageId).not.toBe(a.messageId);
  });

  it.each([
    ["Auto-Submitted: auto-replied", true],
    ["Auto-Submitted: no", false],
    ["X-Autoreply: yes", true],
    ["X-Autorespond: 1", true],
    ["Precedence: auto_reply", true],
    ["Subject: Automatic reply: Re: role", true],
    ["Subject: Out of Office: back Monday", true],
    ["Subject: Re: out of office plans", false],
  ])("auto-reply from %s → %s", async (header, expected) => {
    const subject = header.startsWith("Subject") ? "" : "Subject: hi\n";
    const m = await parseMail(raw(`From: a@example.com\nTo: b@example.com\n${subject}${header}\nDate: Tue, 6 Oct 2026 09:12:00 +0000\n\nbody\n`));
    expect(m.autoReply).toBe(expected);
  });

  it.each([
    ["List-Id: <news.example.com>", true],
    ["List-Unsubscribe: <mailto:u@example.com>", true],
    ["Precedence: bulk", true],
    ["X-Other: 1", false],
  ])("list mail from %s → %s", async (header, expected) => {
    const m = await parseMail(raw(`From: a@example.com\nSubject: x\n${header}\n\nbody\n`));
    expect(m.listMail).toBe(expected);
  });

  it("falls back to the Received date, and null when there is none", async () => {
    const m = await parseMail(raw("From: a@example.com\nReceived: from x by y; Wed, 7 Oct 2026 10:00:00 +0000\nSubject: x\n\nb\n"));
    expect(m.date).toBe(Date.UTC(2026, 9, 7, 10));
    const n = await parseMail(raw("From: a@example.com\nDate: not a date\nSubject: x\n\nb\n"));
    expect(n.date).toBeNull();
  });

  it.each([
    ["", "not-a-message"],
    ["\x00\x01\x02garbage\n\nmore", "not-a-message"],
    ["this is just text\nno headers\n\nbody", "not-a-message"],
    ["X-Foo: 1\n\nbody", "not-a-message"],
    ["From: a@example.com\nthis line is broken\nSubject: x\n\nbody", "not-a-message"],
  ])("rejects %j as %s", async (s, code) => {
    const err = await parseMail(raw(s)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailParseError);
    expect((err as MailParseError).code).toBe(code);
  });

  it("rejects an oversize message", async () => {
    const err = await parseMail({ ...raw(""), oversize: true, rawLength: 9e7 }).catch((e: unknown) => e);
    expect((err as MailParseError).code).toBe("too-large");
  });
});

describe("parseMessageIds", () => {
  it.each([
    ["<a@x> <b@y>", ["a@x", "b@y"]],
    ["<a@x>,<a@x>\t<c@z>", ["a@x", "c@z"]],
    ["a@x", ["a@x"]],
    ["", []],
    ["<a@x> (comment)", ["a@x"]],
  ])("%j → %j", (v, ids) => expect(parseMessageIds(v)).toEqual(ids));
});

describe("headersOnly", () => {
  it("agrees with a full postal-mime parse on every message of the sample mailbox", async () => {
    const { readMailbox } = await import("./reader");
    const sample = new URL("../../samples/sample.mbox", import.meta.url).pathname;
    let compared = 0;
    for await (const r of readMailbox(sample)) {
      const full = await parseMail(r).catch((e: unknown) => e);
      const head = await parseMail(r, { headersOnly: true }).catch((e: unknown) => e);
      if (full instanceof Error) {
        expect(head).toBeInstanceOf(MailParseError);
        continue;
      }
      expect({ ...(head as object), text: null, html: null }).toEqual({ ...(full as object), text: null, html: null });
      compared++;
    }
    expect(compared).toBeGreaterThan(40);
  });

  it("agrees on folded, encoded and grouped headers", async () => {
    const s = basic.replace("Subject: Re: Senior Analyst role", "Subject: =?UTF-8?Q?Re:_Z=C3=BCrich?=\n =?UTF-8?B?IHJvbGU=?=") + "";
    const full = await parseMail(raw(s));
    const head = await parseMail(raw(s), { headersOnly: true });
    expect(head.subject).toBe(full.subject);
    expect({ ...head, text: null, html: null }).toEqual({ ...full, text: null, html: null });
  });
});
