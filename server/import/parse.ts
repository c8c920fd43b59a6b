// One raw message → the facts the import needs, via postal-mime. Wire format
// stops here: callers see addresses as Counterparts and dates as epoch ms.
import { createHash } from "node:crypto";
import PostalMime, { addressParser, decodeWords, type Address, type Email } from "postal-mime";
import { normaliseAddress, type Counterpart } from "../../core/model";
import type { RawMail } from "./reader";

export interface ParsedMail {
  messageId: string; // without <>; "sha256:<hex of the raw bytes>" when the header is missing
  syntheticId: boolean;
  inReplyTo: string | null;
  references: string[];
  from: Counterpart | null;
  to: Counterpart[];
  cc: Counterpart[];
  deliveredTo: string | null;
  subject: string;
  date: number | null; // epoch ms
  text: string | null;
  html: string | null;
  autoReply: boolean;
  listMail: boolean;
}

export type MailParseErrorCode = "not-a-message" | "too-large" | "mime";

/** A message that cannot be read; the scan reports it with its position and skips it. */
export class MailParseError extends Error {
  constructor(
    readonly code: MailParseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "MailParseError";
  }
}

export interface ParseOptions {
  /**
   * Read the header block only (text and html come back null), with postal-mime's
   * address and encoded-word decoders but without building the MIME tree: about
   * ten times faster than a full parse, for a first pass over every message.
   */
  headersOnly?: boolean;
}

const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;

export async function parseMail(raw: RawMail, opts: ParseOptions = {}): Promise<ParsedMail> {
  if (raw.oversize) throw new MailParseError("too-large", `message is larger than the import limit (${raw.rawLength} bytes)`);
  const bytes = raw.bytes;
  const headerEnd = findHeaderEnd(bytes);
  checkLooksLikeMail(bytes, headerEnd);
  let email: Email;
  try {
    email = opts.headersOnly ? headerEmail(bytes.subarray(0, headerEnd)) : await PostalMime.parse(bytes, { attachmentEncoding: "arraybuffer" });
  } catch (e) {
    throw new MailParseError("mime", `the MIME structure can't be read: ${(e as Error).message}`);
  }
  return fromEmail(email, bytes, !opts.headersOnly);
}

const utf8 = new TextDecoder("utf-8");

/** The header fields of an Email, as PostalMime.parse would give them, from the header block alone. */
export function headerEmail(head: Uint8Array): Email {
  const headers: Email["headers"] = [];
  for (const line of utf8.decode(head).split(/\r?\n/)) {
    if (line === "") continue;
    if ((line[0] === " " || line[0] === "\t") && headers.length > 0) {
      headers[headers.length - 1].value += line;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const originalKey = line.slice(0, colon).trim();
    headers.push({ key: originalKey.toLowerCase(), originalKey, value: line.slice(colon + 1) });
  }
  for (const h of headers) h.value = h.value.trim();
  const first = (key: string) => headers.find((h) => h.key === key)?.value || undefined;
  const all = (key: string) => headers.filter((h) => h.key === key && h.value).flatMap((h) => addressParser(h.value));
  const email: Email = { headers, headerLines: [], attachments: [] };
  const from = first("from");
  if (from) email.from = addressParser(from)[0];
  const delivered = first("delivered-to");
  if (delivered) email.deliveredTo = addressParser(delivered)[0]?.address;
  const to = all("to");
  if (to.length) email.to = to;
  const cc = all("cc");
  if (cc.length) email.cc = cc;
  const subject = first("subject");
  if (subject) email.subject = decodeWords(subject);
  const date = first("date");
  if (date) {
    const d = new Date(date);
    email.date = Number.isNaN(d.getTime()) ? date : d.toISOString();
  }
  return email;
}

/** Index just past the blank line that ends the header block (or the end). */
function findHeaderEnd(bytes: Uint8Array): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lf = buf.indexOf("\n\n");
  const crlf = buf.indexOf("\r\n\r\n");
  if (lf < 0 && crlf < 0) return buf.length;
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
  return lf + 2;
}

function checkLooksLikeMail(bytes: Uint8Array, headerEnd: number): void {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(headerEnd, bytes.byteLength)).toString("latin1");
  const lines = head.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length === 0) throw new MailParseError("not-a-message", "the message is empty");
  if (!HEADER_LINE.test(lines[0])) throw new MailParseError("not-a-message", "it does not start with a header line");
  let known = 0;
  for (const l of lines) {
    if (l[0] === " " || l[0] === "\t") continue;
    if (!HEADER_LINE.test(l)) throw new MailParseError("not-a-message", `its header block is damaged near "${l.slice(0, 40)}"`);
    if (/^(from|date|message-id|subject|to|received)\s*:/i.test(l)) known++;
  }
  if (known === 0) throw new MailParseError("not-a-message", "it has none of From, Date, Message-ID, Subject, To or Received");
}

function fromEmail(email: Email, bytes: Uint8Array, withBody: boolean): ParsedMail {
  const header = (key: string): string | null => email.headers.find((h) => h.key === key)?.value ?? null;
  const has = (key: string) => email.headers.some((h) => h.key === key);

  const idFromHeader = parseMessageIds(header("message-id") ?? "")[0] ?? null;
  const messageId = idFromHeader ?? `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  const subject = (email.subject ?? "").trim();
  const from = counterparts(email.from ? [email.from] : [])[0] ?? null;

  const autoSubmitted = (header("auto-submitted") ?? "").trim().toLowerCase();
  const precedence = (header("precedence") ?? "").trim().toLowerCase();
  const contentType = (header("content-type") ?? "").toLowerCase();
  const autoReply =
    (autoSubmitted !== "" && autoSubmitted !== "no") ||
    has("x-autoreply") ||
    has("x-autorespond") ||
    precedence === "auto_reply" ||
    contentType.startsWith("multipart/report") ||
    /^(mailer-daemon|postmaster)@/i.test(from?.address ?? "") ||
    AUTO_SUBJECT.test(subject);
  const listMail = has("list-id") || has("list-unsubscribe") || has("list-post") || precedence === "bulk" || precedence === "list" || precedence === "junk";

  return {
    messageId: flat(messageId),
    syntheticId: idFromHeader === null,
    inReplyTo: flatOrNull(parseMessageIds(header("in-reply-to") ?? "")[0] ?? null),
    references: parseMessageIds(header("references") ?? "").map(flat),
    from,
    to: counterparts(email.to ?? []),
    cc: counterparts(email.cc ?? []),
    deliveredTo: email.deliveredTo ? flat(normaliseAddress(email.deliveredTo)) : null,
    subject: flat(subject),
    date: parseDate(email.date ?? null) ?? parseDate(receivedDate(header("received"))),
    text: withBody ? (email.text ?? null) : null,
    html: withBody ? (email.html ?? null) : null,
    autoReply,
    listMail,
  };
}

const AUTO_SUBJECT =
  /^(automatic reply|auto(matic)?[- ]?(reply|response)|autoreply|out of (the )?office|ooo\b|abwesenheitsnotiz|réponse automatique|respuesta automática|undeliverable|delivery status notification|mail delivery failed)/i;

/** Message-IDs in a header value, without <>, in order, duplicates removed. */
export function parseMessageIds(value: string): string[] {
  const ids: string[] = [];
  const bracketed = value.match(/<[^<>\s]+>/g);
  const found = bracketed ? bracketed.map((s) => s.slice(1, -1)) : value.split(/[\s,]+/).filter((s) => s.includes("@"));
  for (const id of found) if (id && !ids.includes(id)) ids.push(id);
  return ids;
}

function counterparts(list: Address[]): Counterpart[] {
  const out: Counterpart[] = [];
  for (const a of list) {
    const boxes = a.group ? a.group : [a];
    for (const b of boxes) {
      const address = normaliseAddress(b.address ?? "");
      if (!address.includes("@")) continue;
      const name = (b.name ?? "").trim().replace(/^["']|["']$/g, "");
      out.push({ name: name && normaliseAddress(name) !== address ? flat(name) : null, address: flat(address) });
    }
  }
  return out;
}

/**
 * A copy of `s` that does not pin the string it was cut from. V8 keeps a
 * substring as a view on its parent, so an id sliced from a header would keep
 * the whole header block alive: over 100,000 messages that is most of the heap.
 */
function flat(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}
const flatOrNull = (s: string | null) => (s === null ? null : flat(s));

function parseDate(value: string | null): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : null;
}

/** The date a Received header ends with ("...; Tue, 6 Oct 2026 09:12:00 +0100"). */
function receivedDate(value: string | null): string | null {
  if (!value) return null;
  const i = value.lastIndexOf(";");
  return i < 0 ? null : value.slice(i + 1).trim();
}
