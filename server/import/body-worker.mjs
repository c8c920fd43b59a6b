// Worker thread for scan's second pass: reads the user's sent messages from the
// mailbox by position and parses them in full with postal-mime, off the main
// thread, which sends only where each message is. Plain JS so it loads the same
// under node, tsx and vitest.
import { parentPort } from "node:worker_threads";
import PostalMime from "postal-mime";
import { SyncRereader } from "./mbox-body.mjs";

// postal-mime joins a body's decoded lines with `new Blob(lines)` and reads it back
// with arrayBuffer(). Node's Blob pays a native call per part, one part per line,
// which made it the slowest step of an import. This thread only parses mail, so
// it gets a Blob that just concatenates bytes; the result is the same buffer.
const encoder = new TextEncoder();
class ByteBlob {
  constructor(parts = [], options = {}) {
    const bytes = parts.map((p) =>
      typeof p === "string" ? encoder.encode(p) : p instanceof ArrayBuffer ? new Uint8Array(p) : ArrayBuffer.isView(p) ? new Uint8Array(p.buffer, p.byteOffset, p.byteLength) : encoder.encode(String(p)),
    );
    let size = 0;
    for (const b of bytes) size += b.byteLength;
    const out = new Uint8Array(size);
    let at = 0;
    for (const b of bytes) {
      out.set(b, at);
      at += b.byteLength;
    }
    this.bytes = out;
    this.size = size;
    this.type = options.type ?? "";
  }
  async arrayBuffer() {
    return this.bytes.buffer;
  }
  async text() {
    return new TextDecoder().decode(this.bytes);
  }
  get [Symbol.toStringTag]() {
    return "Blob";
  }
}
globalThis.Blob = ByteBlob;

const rereader = new SyncRereader();

parentPort.on("message", async ({ id, bytes, ref }) => {
  if (ref) {
    try {
      bytes = rereader.read(ref);
    } catch (e) {
      parentPort.postMessage({ id, error: String(e?.message ?? e), read: true });
      return;
    }
  }
  try {
    const email = await PostalMime.parse(bytes, { attachmentEncoding: "arraybuffer" });
    parentPort.postMessage({ id, text: email.text ?? null, html: email.html ?? null });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e?.message ?? e) });
  }
});
