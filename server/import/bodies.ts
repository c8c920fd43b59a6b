// Message bodies for scan's replay: full postal-mime parses spread over worker
// threads. postal-mime spends most of a full parse in Node's Blob (one part per
// line of every 7bit/8bit body), so one core parses only 1–3 thousand messages a
// second; the pool uses the others while the main thread feeds the sink.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import PostalMime from "postal-mime";
import type { DetectionSummary } from "../ledger";
import { projectPath } from "../paths";
import { detectIn, type DetectRequest } from "./detection";
import { MailParseError } from "./parse";
import { MailRereader, type MailRef } from "./reader";

export interface Body {
  text: string | null;
  html: string | null;
}

/** A body the detector has read where it was parsed: only what it found comes back. */
export interface Detected {
  found: DetectionSummary;
}

export interface BodyParser {
  parse(bytes: Uint8Array): Promise<Body>;
  /** Reads the message at `ref` from its mailbox, then parses it. */
  parseAt(ref: MailRef): Promise<Body>;
  /** Reads and parses the message at `ref`, then runs the detector on its body. */
  detectAt(ref: MailRef, req: DetectRequest): Promise<Detected>;
  close(): Promise<void>;
}

/** The detector failed (not the message): an import stops on it rather than skip every message. */
export class DetectorError extends Error {}

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
    async detectAt(ref, req) {
      const body = await this.parseAt(ref);
      try {
        return { found: detectIn(body, req) };
      } catch (e) {
        throw new DetectorError(`the detector failed: ${(e as Error).message}`);
      }
    },
    async close() {
      await reads;
      await rereader.close();
    },
  };
}

type Pending = { resolve: (b: Body & Partial<Detected>) => void; reject: (e: Error) => void };

/**
 * Where the parsing worker loads the detector from: server/import/detection.ts
 * bundled by esbuild into node_modules/.cache/kept (named by its contents, so an
 * edit makes a new one; building takes ~50 ms), or, where esbuild isn't
 * installed, the TypeScript file itself, which the worker loads through tsx.
 */
export function detectorModule(): Promise<{ url: string; tsx: boolean }> {
  // Once a process: a server imports many uploads, and its sources don't change under it.
  return (detectorBuilt ??= buildDetector());
}
let detectorBuilt: Promise<{ url: string; tsx: boolean }> | null = null;

async function buildDetector(): Promise<{ url: string; tsx: boolean }> {
  const entry = projectPath("server/import/detection.ts");
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await import("esbuild");
  } catch {
    return { url: pathToFileURL(entry).href, tsx: true };
  }
  const built = await esbuild.build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", write: false, logLevel: "error" });
  const code = built.outputFiles[0]!.contents;
  const file = projectPath(`node_modules/.cache/kept/detection-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file); // atomic: two imports at once both end with a whole file
  }
  return { url: pathToFileURL(file).href, tsx: false };
}

/** `detector` (from detectorModule) lets the workers run the detector too (detectAt). */
export function workerBodyParser(threads = availableParallelism(), detector?: { url: string; tsx: boolean }): BodyParser {
  const url = pathToFileURL(projectPath("server/import/body-worker.mjs"));
  const pending = new Map<number, Pending>();
  let nextId = 0;
  const workers = Array.from({ length: Math.max(1, threads) }, () => {
    // A small young generation: the worker keeps nothing, so it collects early instead of growing.
    const w = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: 8 }, workerData: { detector } });
    w.on("message", (m: { id: number; text?: string | null; html?: string | null; found?: DetectionSummary; error?: string; read?: boolean; detect?: boolean }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error !== undefined)
        p.reject(
          m.detect ? new DetectorError(`the detector failed: ${m.error}`) : m.read ? new Error(m.error) : new MailParseError("mime", `the MIME structure can't be read: ${m.error}`),
        );
      else p.resolve({ text: m.text ?? null, html: m.html ?? null, found: m.found });
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
    detectAt(ref, req) {
      if (!detector) throw new Error("workerBodyParser was made without a detector");
      const id = nextId++;
      return new Promise<Detected>((resolve, reject) => {
        pending.set(id, { resolve: (b) => resolve({ found: b.found! }), reject });
        workers[id % workers.length].postMessage({ id, ref: { source: ref.source, offset: ref.offset, rawLength: ref.rawLength }, detect: req });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
