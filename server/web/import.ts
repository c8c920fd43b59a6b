// POST /api/import and /api/import/sample: a mailbox into the ledger, with the
// progress streamed back as NDJSON lines ({"type":"progress"} … {"type":"done"}).
// Import reads files, so it runs in the Node server; on Workers it answers 501.
import type { Context } from "hono";
import { stream } from "hono/streaming";
import { z } from "zod";
import { KeptError } from "../../core/errors";
import type { Db } from "../db";
import type { Ledger } from "../ledger";

export const MAX_IMPORT_BYTES = 1024 ** 3;
const PROGRESS_EVERY_MS = 100;

// What names the upload: checked before a byte of it is read.
const zName = z
  .string()
  .min(1, "give the file's name, like Sent.mbox")
  .max(300, "give a file name of at most 300 characters")
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "a file name cannot hold control characters; send the name as it appears on disk");
export const zImportQuery = z.object({
  name: zName.optional(),
  files: z.coerce
    .number({ error: "give the number of files in the upload, as a whole number" })
    .int("give the number of files in the upload, as a whole number")
    .min(1, "send at least one file")
    .max(1000, "send at most 1000 files at a time; import the rest in another upload")
    .optional(),
});
export const zImportHeaders = z.object({
  "x-file-name": zName
    .refine((v) => /^[\x20-\x7e]*$/.test(v), "headers carry only plain ASCII; send a name with other characters as ?name= (URL-encoded) instead")
    .optional(),
});

/** The scan's reason, without its advice for the command line. */
function forThePage(detail: string): string {
  return detail.replace(/;?\s*pass --me\b.*$/s, "");
}

/** One import at a time per account: two would race on the same threads. */
const running = new Set<string>();

function onWorkers(): boolean {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === "Cloudflare-Workers";
}

function notHere(c: Context) {
  return c.json(
    {
      error: {
        code: "not_implemented",
        message: "Importing a mailbox runs in Kept's Node server or its command line (kept scan), not on this hosted server. Run Kept on your computer to import, or connect your mail account instead.",
        details: null,
      },
    },
    501,
  );
}

interface ImportBits {
  importMailbox: typeof import("../importer").importMailbox;
  saveUpload(body: ReadableStream<Uint8Array>, name: string, limit: number): Promise<{ dir: string; path: string; bytes: number }>;
  saveUploads(body: ReadableStream<Uint8Array>, limit: number, files?: number): Promise<{ dir: string; path: string; bytes: number; parts: Array<{ name: string; size: number }> }>;
  sampleFile(now: number): Promise<{ dir: string; path: string }>;
  removeDir(dir: string): Promise<void>;
  tooLarge(limit: number): KeptError;
}

async function nodeBits(): Promise<ImportBits | null> {
  if (onWorkers()) return null;
  try {
    return (await import("./import-node")) as ImportBits;
  } catch (e) {
    console.error("import is unavailable here", e);
    return null;
  }
}

/** What to import: the sample, or the request's body named by its (validated) name, or several files. */
export type ImportFrom = { from: "sample" } | { from: "upload"; name?: string; files?: number };

export async function importRoute(c: Context, deps: { db: Db; ledger: Ledger; clock: () => number }, what: ImportFrom) {
  const bits = await nodeBits();
  if (!bits) return notHere(c);
  const accountId: string = c.get("account").id;
  if (running.has(accountId)) throw new KeptError("conflict", "An import is already running for your account. Wait for it to finish, then try again.");
  running.add(accountId);
  let file: { path: string; dir: string | null; name: string };
  try {
    if (what.from === "sample") {
      const sample = await bits.sampleFile(deps.clock());
      file = { path: sample.path, dir: sample.dir, name: "sample.mbox" };
    } else {
      const len = Number(c.req.header("content-length") ?? NaN);
      if (len > MAX_IMPORT_BYTES) throw bits.tooLarge(MAX_IMPORT_BYTES);
      const body = c.req.raw.body;
      if (!body) throw new KeptError("bad_request", "No file came with the request. Send the .mbox or .eml file as the request body.");
      if (what.files !== undefined) {
        // Several files back to back, after a line listing them; scanned together as one mailbox.
        const saved = await bits.saveUploads(body, MAX_IMPORT_BYTES, what.files);
        const only = saved.parts.length === 1 ? saved.parts[0]!.name : `${saved.parts.length} files`;
        file = { path: saved.path, dir: saved.dir, name: only.replace(/^.*[\\/]/, "").slice(0, 200) };
      } else {
        const name = what.name ?? "upload.mbox";
        const saved = await bits.saveUpload(body, name, MAX_IMPORT_BYTES);
        file = { path: saved.path, dir: saved.dir, name: name.replace(/^.*[\\/]/, "").slice(0, 200) };
      }
    }
  } catch (e) {
    running.delete(accountId);
    throw e;
  }

  c.header("content-type", "application/x-ndjson; charset=utf-8");
  c.header("cache-control", "no-store");
  c.header("x-content-type-options", "nosniff");
  return stream(c, async (s) => {
    let chain: Promise<unknown> = Promise.resolve();
    const send = (line: unknown) => {
      chain = chain.then(() => s.write(`${JSON.stringify(line)}\n`)).catch(() => {});
      return chain;
    };
    let last = 0;
    let lastPhase = "";
    try {
      await send({ type: "start", file: file.name });
      const report = await bits.importMailbox(deps, accountId, file.path, {
        remember: what.from !== "sample",
        onProgress: (p) => {
          const now = Date.now();
          if (p.phase === lastPhase && now - last < PROGRESS_EVERY_MS) return;
          last = now;
          lastPhase = p.phase;
          void send({ type: "progress", phase: p.phase, messages: p.messages, bytes: p.bytes, totalBytes: p.totalBytes, errors: p.errors });
        },
      });
      // Named by the file the user picked, never by the temp path.
      const within = file.dir ? `${file.dir}/` : null;
      const errors = report.errors.slice(0, 50).map((e) => ({ ...e, source: within && e.source.startsWith(within) && file.path === file.dir ? e.source.slice(within.length) : file.name }));
      await send({
        type: "done",
        report: {
          file: file.name,
          messages: report.messages,
          sent: report.sent,
          received: report.received,
          created: report.created,
          kept: report.kept,
          chased: report.chased,
          checkIns: report.checkIns,
          duplicates: report.duplicates,
          errorCount: report.errors.length,
          errors,
          me: { addresses: report.scan.me.addresses, method: report.scan.me.method, detail: forThePage(report.scan.me.detail) },
          imported: true,
        },
      });
    } catch (e) {
      if (e instanceof Error && e.name === "NoMailError") {
        // The wrong file, most likely: nothing in it could be read as mail, so nothing was recorded.
        await send({
          type: "done",
          report: { file: file.name, messages: (e as Error & { messages: number }).messages, sent: 0, received: 0, created: 0, kept: 0, chased: 0, checkIns: 0, duplicates: 0, errorCount: 0, errors: [], me: null, imported: false, noMail: e.message },
        });
        return;
      }
      if (e instanceof Error && e.name === "OwnerUnknownError") {
        // Nothing was recorded: the page asks for the user's addresses, then the same file imports in full.
        const { me, messages } = e as Error & { me: { addresses: string[]; method: string; detail: string }; messages: number };
        await send({
          type: "done",
          report: { file: file.name, messages, sent: 0, received: 0, created: 0, kept: 0, chased: 0, checkIns: 0, duplicates: 0, errorCount: 0, errors: [], me: { ...me, detail: forThePage(me.detail) }, imported: false },
        });
        return;
      }
      console.error("import failed", e);
      const error =
        e instanceof KeptError
          ? { code: e.code, message: e.message }
          : { code: "internal", message: "The import stopped because of a problem on Kept's side. Promises found so far are kept; import the file again to finish (messages already seen are skipped)." };
      await send({ type: "error", error });
    } finally {
      running.delete(accountId);
      if (file.dir) await bits.removeDir(file.dir).catch(() => {});
    }
  });
}
