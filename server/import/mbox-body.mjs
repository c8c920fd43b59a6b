// One message's bytes as they sit in an mbox → the message, shared by the reader
// (main thread) and the body worker, which reads sent messages itself. Plain JS
// so the worker loads it the same under node, tsx and vitest.
import { closeSync, openSync, readFileSync, readSync } from "node:fs";

/**
 * Turns what an mbox holds between two postmarks into the message: drops the one
 * line ending that separates it from the next postmark and undoes mboxrd/mboxo
 * quoting (">From " → "From ", ">>From " → ">From ").
 */
export function finishMboxBody(buf) {
  let end = buf.length;
  if (end > 0 && buf[end - 1] === 0x0a) {
    end--;
    if (end > 0 && buf[end - 1] === 0x0d) end--;
  }
  const body = buf.subarray(0, end);
  const out = [];
  let cursor = 0;
  let pos = body[0] === 0x3e ? 0 : body.indexOf("\n>") + 1 || -1;
  while (pos >= 0) {
    let j = pos;
    while (body[j] === 0x3e) j++;
    if (body.toString("latin1", j, j + 5) === "From ") {
      out.push(body.subarray(cursor, pos));
      cursor = pos + 1; // drop one ">"
    }
    const next = body.indexOf("\n>", pos + 1);
    pos = next < 0 ? -1 : next + 1;
  }
  if (out.length === 0) return body;
  out.push(body.subarray(cursor));
  return Buffer.concat(out);
}

/** The message in `data`, the bytes at its mbox offset: without its postmark line, unquoted. */
export function messageFromMboxBytes(data) {
  const body = data.toString("latin1", 0, 5) === "From " ? data.subarray(data.indexOf(0x0a) + 1) : data;
  return finishMboxBody(body);
}

/**
 * Re-reads messages by position with blocking reads, keeping the last file open:
 * for the body worker, whose thread does nothing else while it waits.
 */
export class SyncRereader {
  constructor() {
    this.path = null;
    this.fd = null;
  }

  read(ref) {
    if (ref.offset === null) return readFileSync(ref.source);
    if (this.path !== ref.source) {
      this.close();
      this.fd = openSync(ref.source, "r");
      this.path = ref.source;
    }
    const buf = Buffer.alloc(ref.rawLength);
    const n = readSync(this.fd, buf, 0, ref.rawLength, ref.offset);
    return messageFromMboxBytes(buf.subarray(0, n));
  }

  close() {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.path = null;
  }
}
