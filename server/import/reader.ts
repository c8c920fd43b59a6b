// Streams raw messages out of a mailbox on disk: an mbox file, a Maildir (with
// Maildir++ subfolders), a folder of .eml files, or one .eml file. An mbox is read
// in chunks, so a 1 GB file costs one message (plus one chunk) of memory.
import { createReadStream } from "node:fs";
import { open, readdir, readFile, stat } from "node:fs/promises";
import { basename, join, relative, sep } from "node:path";
import { finishMboxBody, messageFromMboxBytes, type MailRef } from "./mbox-body.mjs";

export { finishMboxBody, type MailRef };

export type FolderHint = "sent" | "other" | null;

export interface RawMail {
  source: string; // file path
  index: number; // position of the message within its source file
  offset: number | null; // byte offset of the mbox "From " line; null outside mbox
  bytes: Uint8Array;
  folderHint: FolderHint;
  /** Bytes this message takes in its source, postmark line included (for readMailAt). */
  rawLength: number;
  /** Set when the message was larger than maxMessageBytes; `bytes` is then empty. */
  oversize?: boolean;
}

export type MailFileKind = "mbox" | "eml" | "maildir";

export interface MailFile {
  path: string;
  kind: MailFileKind;
  size: number;
  folderHint: FolderHint;
}

export interface MailboxPlan {
  root: string;
  files: MailFile[];
  totalBytes: number;
}

export interface ReadOptions {
  /** Messages larger than this are yielded with `oversize: true` and no bytes. Default 64 MiB. */
  maxMessageBytes?: number;
  /** Read size for mbox files. Default 1 MiB. */
  chunkBytes?: number;
}

const DEFAULT_MAX_MESSAGE = 64 * 1024 * 1024;

// Folder names that hold the user's own mail, as IMAP servers and clients name them.
const SENT_NAME = /(^|[^a-z])(sent|gesendet|envoy[ée]s|enviados|inviata|verzonden|skickat|sendt)([^a-z]|$)/i;

export function isSentFolderName(name: string): boolean {
  return SENT_NAME.test(name);
}

/** What is in `path` and how many bytes it holds (for an ETA), without reading messages. */
export async function planMailbox(path: string): Promise<MailboxPlan> {
  const st = await stat(path);
  const files: MailFile[] = [];
  if (st.isFile()) {
    const kind = (await looksLikeMbox(path)) ? "mbox" : "eml";
    const hint: FolderHint = kind === "mbox" ? (isSentFolderName(basename(path)) ? "sent" : "other") : null;
    files.push({ path, kind, size: st.size, folderHint: hint });
  } else if (st.isDirectory()) {
    await walk(path, path, files);
  } else {
    throw new Error(`${path} is neither a file nor a folder`);
  }
  return { root: path, files, totalBytes: files.reduce((n, f) => n + f.size, 0) };
}

async function walk(root: string, dir: string, out: MailFile[]): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name));
  const isMaildir = names.has("cur") || names.has("new");
  if (isMaildir) {
    // The root Maildir is the inbox; a subfolder (".Sent", "Sent") is named by its directory.
    const hint: FolderHint = dir === root ? "other" : isSentFolderName(relative(root, dir)) ? "sent" : "other";
    for (const sub of ["cur", "new"]) {
      if (!names.has(sub)) continue;
      const subdir = join(dir, sub);
      const msgs = (await readdir(subdir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
      for (const name of msgs) {
        const p = join(subdir, name);
        out.push({ path: p, kind: "maildir", size: (await stat(p)).size, folderHint: hint });
      }
    }
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      // tmp/ holds messages still being delivered.
      if (isMaildir && (e.name === "cur" || e.name === "new" || e.name === "tmp")) continue;
      await walk(root, p, out);
    } else if (e.isFile()) {
      const rel = relative(root, p);
      const dirs = rel.split(sep).slice(0, -1);
      const folderHint: FolderHint = dirs.length === 0 ? null : dirs.some(isSentFolderName) ? "sent" : "other";
      const size = (await stat(p)).size;
      if (/\.eml$/i.test(e.name)) out.push({ path: p, kind: "eml", size, folderHint });
      else if (await looksLikeMbox(p)) {
        out.push({ path: p, kind: "mbox", size, folderHint: isSentFolderName(rel) ? "sent" : "other" });
      }
      // Anything else (indexes, .DS_Store, dovecot-uidlist) is not mail.
    }
  }
}

async function looksLikeMbox(path: string): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(5);
    const { bytesRead } = await fh.read(buf, 0, 5, 0);
    return bytesRead === 5 && buf.toString("latin1") === "From ";
  } finally {
    await fh.close();
  }
}

/** Every message in the mailbox at `path`, in file order. */
export async function* readMailbox(path: string | MailboxPlan, opts: ReadOptions = {}): AsyncIterable<RawMail> {
  const plan = typeof path === "string" ? await planMailbox(path) : path;
  const max = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE;
  for (const file of plan.files) {
    if (file.kind === "mbox") {
      yield* readMbox(file.path, file.folderHint, max, opts.chunkBytes ?? 1024 * 1024);
    } else if (file.size > max) {
      yield { source: file.path, index: 0, offset: null, bytes: new Uint8Array(0), folderHint: file.folderHint, rawLength: file.size, oversize: true };
    } else {
      const bytes = await readFile(file.path);
      yield { source: file.path, index: 0, offset: null, bytes, folderHint: file.folderHint, rawLength: bytes.length };
    }
  }
}

/**
 * A mbox postmark: `From <sender> <asctime>`. Requiring a clock time keeps body
 * lines that begin "From " (left unescaped by mboxcl writers) from splitting a message.
 */
export function isPostmark(line: string): boolean {
  return /^From \S+ +\S.*\d{1,2}:\d{2}/.test(line);
}

const FROM_ = Buffer.from("\nFrom ");

/**
 * Splits an mbox stream on postmark lines. Memory: the current message's chunks
 * plus at most one held-back partial line, so it is bounded by the largest message.
 */
export async function* readMbox(
  path: string,
  folderHint: FolderHint,
  maxMessageBytes = DEFAULT_MAX_MESSAGE,
  chunkBytes = 1024 * 1024,
): AsyncIterable<RawMail> {
  let parts: Buffer[] = [];
  let partsLen = 0;
  let msgOffset = -1; // file offset of the current message's postmark; -1 before the first
  let oversize = false;
  let index = 0;
  let fileOffset = 0; // file offset of data[0]
  let pending: Buffer | null = null;
  let atLineStart = true;

  const add = (b: Buffer) => {
    if (b.length === 0) return;
    if (partsLen + b.length > maxMessageBytes) {
      oversize = true;
      parts = [];
    }
    if (!oversize) parts.push(b);
    partsLen += b.length;
  };
  const finish = (endOffset: number): RawMail | null => {
    const hadPostmark = msgOffset >= 0;
    const start = hadPostmark ? msgOffset : 0;
    const rawLength = endOffset - start;
    const mail: RawMail | null = oversize
      ? { source: path, index, offset: start, bytes: new Uint8Array(0), folderHint, rawLength, oversize: true }
      : partsLen === 0 && !hadPostmark
        ? null
        : // Most messages lie within one chunk: a view of it, not a copy, keeps a large
          // scan's garbage (and so its peak memory) down; the chunk lives as long as the view.
          { source: path, index, offset: start, bytes: finishMboxBody(parts.length === 1 ? parts[0]! : Buffer.concat(parts, partsLen)), folderHint, rawLength };
    if (mail && !hadPostmark && !oversize && Buffer.from(mail.bytes).toString("latin1").trim() === "") return null;
    parts = [];
    partsLen = 0;
    oversize = false;
    if (mail) index++;
    return mail;
  };

  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const data: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    const dataOffset = fileOffset;
    fileOffset += data.length;
    pending = null;
    let cursor = 0; // first byte not yet given to a message
    let lineStart: number = atLineStart && data.length >= 5 && data.toString("latin1", 0, 5) === "From " ? 0 : nextCandidate(data, 0);
    let heldBack = false;
    while (lineStart >= 0) {
      const eol = data.indexOf(0x0a, lineStart);
      if (eol < 0) {
        // Incomplete line at the chunk's end: hold it back if it could be a postmark.
        if (data.length - lineStart < 1024) {
          add(data.subarray(cursor, lineStart));
          pending = Buffer.from(data.subarray(lineStart));
          fileOffset -= pending.length;
          cursor = data.length;
          heldBack = true;
        }
        break;
      }
      const line = data.toString("latin1", lineStart, eol).replace(/\r$/, "");
      if (isPostmark(line)) {
        add(data.subarray(cursor, lineStart));
        const m = finish(dataOffset + lineStart);
        if (m) yield m;
        msgOffset = dataOffset + lineStart;
        cursor = eol + 1;
      }
      lineStart = nextCandidate(data, lineStart + 1);
    }
    if (!heldBack && cursor < data.length) {
      // A partial "From" prefix at the very end could become a postmark with the next chunk.
      const lastNl = data.lastIndexOf(0x0a);
      const tailStart = lastNl + 1;
      const tail = data.toString("latin1", Math.max(tailStart, cursor));
      if (tailStart >= cursor && tail.length > 0 && tail.length < 5 && "From ".startsWith(tail) && (tailStart > 0 || atLineStart)) {
        add(data.subarray(cursor, tailStart));
        pending = Buffer.from(data.subarray(tailStart));
        fileOffset -= pending.length;
      } else {
        add(data.subarray(cursor));
      }
    }
    atLineStart = pending !== null || data[data.length - 1] === 0x0a;
  }
  if (pending) add(pending);
  const last = finish(fileOffset + (pending?.length ?? 0));
  if (last) yield last;
}

function nextCandidate(data: Buffer, from: number): number {
  const i = data.indexOf(FROM_, from > 0 ? from - 1 : 0);
  return i < 0 ? -1 : i + 1;
}

/** Re-reads one message by its position (for a second pass that needs bodies again). */
export async function readMailAt(ref: MailRef): Promise<Buffer> {
  const r = new MailRereader();
  try {
    return await r.read(ref);
  } finally {
    await r.close();
  }
}

/** Re-reads messages by position, keeping the last mbox open between reads. */
export class MailRereader {
  private handle: { path: string; fh: import("node:fs/promises").FileHandle } | null = null;

  async read(ref: MailRef): Promise<Buffer> {
    if (ref.offset === null) return await readFile(ref.source);
    if (this.handle?.path !== ref.source) {
      await this.close();
      this.handle = { path: ref.source, fh: await open(ref.source, "r") };
    }
    const buf = Buffer.alloc(ref.rawLength);
    const { bytesRead } = await this.handle.fh.read(buf, 0, ref.rawLength, ref.offset);
    return messageFromMboxBytes(buf.subarray(0, bytesRead));
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    if (h) await h.fh.close();
  }
}
