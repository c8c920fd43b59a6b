// Worker thread for scan's second pass: reads the user's sent messages from the
// mailbox by position and parses them in full with postal-mime, off the main
// thread, which sends only where each message is; asked to, it runs the detector
// on the body too and sends back only what it found. Plain JS so it loads the
// same under node, tsx and vitest.
import { parentPort, workerData } from "node:worker_threads";
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

// The detector (server/import/detection.ts), loaded on first use: a bundle bodies.ts
// built, or the TypeScript itself through tsx where esbuild isn't installed.
let detector = null;
const loadDetector = async () => {
  if (workerData?.detector?.tsx) (await import("tsx/esm/api")).register();
  return import(workerData.detector.url);
};

// One message at a time: the main thread asks up to a thousand ahead (and, during
// the scan's first pass, for every sent message it meets), and parsing them all at
// once (each awaits inside postal-mime) would hold them half-parsed in the heap and
// trade the CPU's caches between them. Messages to detect in are taken oldest
// first, the order the replay wants them in, whatever order they were asked in;
// the rest in the order asked.
const waiting = []; // a binary min-heap of requests by (sent time, id)
const before = (a, b) => (a.detect?.sentAt ?? 0) - (b.detect?.sentAt ?? 0) || a.id - b.id;
function push(m) {
  let i = waiting.push(m) - 1;
  while (i > 0) {
    const up = (i - 1) >> 1;
    if (before(waiting[up], waiting[i]) <= 0) break;
    [waiting[up], waiting[i]] = [waiting[i], waiting[up]];
    i = up;
  }
}
function pop() {
  const top = waiting[0];
  const last = waiting.pop();
  if (waiting.length) {
    waiting[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < waiting.length && before(waiting[l], waiting[m]) < 0) m = l;
      if (r < waiting.length && before(waiting[r], waiting[m]) < 0) m = r;
      if (m === i) break;
      [waiting[m], waiting[i]] = [waiting[i], waiting[m]];
      i = m;
    }
  }
  return top;
}
let running = false;
parentPort.on("message", (m) => {
  push(m);
  if (!running) void pump();
});
async function pump() {
  running = true;
  while (waiting.length) await handle(pop());
  running = false;
}

async function handle({ id, bytes, ref, detect }) {
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
    const body = { text: email.text ?? null, html: email.html ?? null };
    if (!detect) {
      parentPort.postMessage({ id, ...body });
      return;
    }
    detector ??= loadDetector();
    let found;
    try {
      found = (await detector).detectIn(body, detect);
    } catch (e) {
      parentPort.postMessage({ id, error: String(e?.message ?? e), detect: true });
      return;
    }
    parentPort.postMessage({ id, text: null, html: null, found });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e?.message ?? e) });
  }
}
