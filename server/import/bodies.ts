// Message bodies for scan's replay: full postal-mime parses spread over worker
// threads. postal-mime spends most of a full parse in Node's Blob (one part per
// line of every 7bit/8bit body), so one core parses only 1–3 thousand messages a
// second; the pool uses the others while the main thread feeds the sink.
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import PostalMime from "postal-mime";
import { projectPath } from "../paths";
import { MailParseError } from "./parse";
import { MailRereader, type MailRef } from "./reader";

export interface Body {
  text: string | null;
  html: string | null;
}

export interface BodyParser {
  parse(bytes: Uint8Array): Promise<Body>;
  /** Reads the message at `ref` from its mailbox, then parses it. */
  parseAt(ref: MailRef): Promise<Body>;
  close(): Promise<void>;
}

/** Parses on the calling thread (tests, tiny mailboxes, or where workers can't start). */
export function inlineBodyParser(): BodyParser {
  const parse = async (bytes: Uint8Array): Promise<Body> => {
    try {
      const e = await PostalMime.parse(bytes, { attachmentEncoding: "arraybuffer" });
      return { text: e.text ?? null, html: e.html ?? null };
    } catch (e) {
      throw new MailParseError("mime", `the MIME structure can't be read: ${(e as Error).message}`);
    }
  };
  // Reads stay in order on one file handle.
  const rereader = new MailRereader();
  let reads: Promise<unknown> = Promise.resolve();
  return {
    parse,
    parseAt(ref) {
      const read = reads.then(() => rereader.read(ref));
      reads = read.catch(() => undefined);
      return read.then(parse);
    },
    async close() {
      await reads;
      await rereader.close();
    },
  };
}

type Pending = { resolve: (b: Body) => void; reject: (e: Error) => void };

export function workerBodyParser(threads = availableParallelism()): BodyParser {
  const url = pathToFileURL(projectPath("server/import/body-worker.mjs"));
  const pending = new Map<number, Pending>();
  let nextId = 0;
  const workers = Array.from({ length: Math.max(1, threads) }, () => {
    // A small young generation: the worker keeps nothing, so it collects early instead of growing.
    const w = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    w.on("message", (m: { id: number; text?: string | null; html?: string | null; error?: string; read?: boolean }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error !== undefined) p.reject(m.read ? new Error(m.error) : new MailParseError("mime", `the MIME structure can't be read: ${m.error}`));
      else p.resolve({ text: m.text ?? null, html: m.html ?? null });
    });
    w.on("error", (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
    return w;
  });
  return {
    parse(bytes) {
      const id = nextId++;
      // A copy the worker can own: Buffers from the pool must not be transferred.
      const copy = new Uint8Array(bytes);
      return new Promise<Body>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[id % workers.length].postMessage({ id, bytes: copy }, [copy.buffer]);
      });
    },
    parseAt(ref) {
      // Only where the message is crosses over: the worker reads it, so its bytes never
      // touch this thread's heap.
      const id = nextId++;
      return new Promise<Body>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[id % workers.length].postMessage({ id, ref: { source: ref.source, offset: ref.offset, rawLength: ref.rawLength } });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
