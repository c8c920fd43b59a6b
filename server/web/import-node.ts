// The Node half of POST /api/import: the upload streamed to a temp file (with the
// size limit enforced as it arrives), a look at its first bytes, and the sample.
// Loaded with a dynamic import so the Workers bundle never needs node:fs.
import { createWriteStream } from "node:fs";
import { mkdtemp, open, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { KeptError } from "../../core/errors";
import { writeSample } from "../sample";
export { importMailbox } from "../importer";

/** The sample mailbox written for `now`, in a temp folder of its own. */
export { writeSample as sampleFile };

/** A file name safe to put in a temp folder, keeping its extension. */
export function safeName(name: string | undefined): string {
  const base = basename((name ?? "").replace(/\\/g, "/")).replace(/[^\w.-]+/g, "_").replace(/^\.+/, "").slice(-100);
  return base || "upload.mbox";
}

export function tooLarge(limit: number): KeptError {
  return new KeptError(
    "payload_too_large",
    `That file is larger than ${Math.round(limit / 1024 ** 3)} GB, the most Kept imports at once. Export just your Sent folder, or split the mailbox, and import the parts one after another.`,
  );
}

/** Streams the request body to a new temp folder; throws payload_too_large as soon as it passes `limit`. */
export async function saveUpload(body: ReadableStream<Uint8Array>, name: string, limit: number): Promise<{ dir: string; path: string; bytes: number }> {
  const dir = await mkdtemp(join(tmpdir(), "kept-import-"));
  const path = join(dir, safeName(name));
  let bytes = 0;
  try {
    await pipeline(
      Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > limit) throw tooLarge(limit);
          yield chunk;
        }
      },
      createWriteStream(path),
    );
    await checkLooksLikeMail(path, bytes);
    return { dir, path, bytes };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

export interface UploadPart {
  name: string;
  size: number;
}

const zParts = z.array(z.object({ name: z.string().min(1).max(300), size: z.number().int().min(0) })).min(1).max(1000);
const PARTS_LINE_MAX = 1024 * 1024;

/**
 * Several files in one body, read into one temp folder so they are scanned as one
 * mailbox (a reply in Inbox.mbox finds its promise in Sent.mbox whichever was picked
 * first). The body starts with a line of JSON naming the files and their sizes,
 * [{"name":"Sent.mbox","size":1234}, …], then holds them back to back. Each is named
 * for what it holds (an mbox .mbox, a message .eml), as the folder scan reads them.
 */
export async function saveUploads(body: ReadableStream<Uint8Array>, limit: number, files?: number): Promise<{ dir: string; path: string; bytes: number; parts: UploadPart[] }> {
  const reader = body.getReader();
  // The list of files: everything up to the first newline.
  let head = new Uint8Array(0);
  let chunk: Uint8Array | null = null;
  for (;;) {
    const next = await reader.read();
    if (next.done) throw new KeptError("bad_request", "The upload ended before the list of its files. Choose the files again.");
    const joined = new Uint8Array(head.length + next.value.length);
    joined.set(head);
    joined.set(next.value, head.length);
    const nl = joined.indexOf(0x0a);
    if (nl >= 0) {
      head = joined.subarray(0, nl);
      chunk = joined.subarray(nl + 1);
      break;
    }
    head = joined;
    if (head.length > PARTS_LINE_MAX) throw new KeptError("bad_request", "The list of files at the start of the upload is too long. Import fewer files at a time.");
  }
  let listed: unknown = null;
  try {
    listed = JSON.parse(new TextDecoder().decode(head));
  } catch {
    /* reported below */
  }
  const checked = zParts.safeParse(listed);
  if (!checked.success) throw new KeptError("bad_request", 'The upload must start with a line listing its files, in order, as JSON: [{"name":"Sent.mbox","size":1234}, …].');
  const parts = checked.data;
  // Said before a byte of the files is written: the list and ?files= must agree.
  if (files !== undefined && parts.length !== files)
    throw new KeptError("bad_request", `The upload names ${parts.length} file${parts.length === 1 ? "" : "s"} but ?files= says ${files}. Choose the files again.`);
  const expected = parts.reduce((n, p) => n + p.size, 0);
  if (expected > limit) throw tooLarge(limit);
  const dir = await mkdtemp(join(tmpdir(), "kept-import-"));
  let bytes = 0;
  try {
    const written: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const path = join(dir, `part-${i}`);
      const out = await open(path, "w");
      try {
        let left = parts[i]!.size;
        while (left > 0) {
          if (!chunk || chunk.length === 0) {
            const next = await reader.read();
            if (next.done) throw new KeptError("bad_request", `The upload ended before all of ${parts[i]!.name} arrived. Choose the files again.`);
            chunk = next.value;
          }
          const take = Math.min(left, chunk.length);
          await out.write(chunk.subarray(0, take));
          bytes += take;
          chunk = chunk.subarray(take);
          left -= take;
        }
      } finally {
        await out.close();
      }
      await checkLooksLikeMail(path, parts[i]!.size, parts[i]!.name);
      written.push(path);
    }
    if (chunk?.length || !(await reader.read()).done) throw new KeptError("bad_request", "The upload is longer than the files it names. Choose the files again.");
    // Final names, decided by content and then made unique: "note" and "note.eml" stay two files.
    const taken = new Set<string>();
    for (let i = 0; i < parts.length; i++) {
      const mbox = await startsWithFrom(written[i]!);
      const safe = safeName(parts[i]!.name).replace(/\.(eml|mbox|mbx)$/i, "");
      const ext = mbox ? ".mbox" : ".eml";
      let name = `${safe}${ext}`;
      for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${safe}-${n}${ext}`;
      taken.add(name.toLowerCase());
      await rename(written[i]!, join(dir, name));
    }
    return { dir, path: dir, bytes, parts };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

async function startsWithFrom(path: string): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const head = Buffer.alloc(5);
    await fh.read(head, 0, 5, 0);
    return head.toString("latin1") === "From ";
  } finally {
    await fh.close();
  }
}

async function checkLooksLikeMail(path: string, bytes: number, name?: string): Promise<void> {
  const which = name ? `${name}: ` : "";
  if (bytes === 0) throw new KeptError("bad_request", `${which}the file is empty. Choose the .mbox or .eml file again.`.replace(/^the/, "The"));
  const fh = await open(path, "r");
  const head = Buffer.alloc(512);
  try {
    await fh.read(head, 0, 512, 0);
  } finally {
    await fh.close();
  }
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)
    throw new KeptError("bad_request", `${which}that's a zip file. Unzip it first, then upload the .mbox or .eml files inside.`.replace(/^that/, "That"));
  const text = head.toString("latin1").replace(/^\uFEFF/, "");
  if (!/^From /.test(text) && !/^[\x21-\x39\x3b-\x7e]+:/.test(text))
    throw new KeptError("bad_request", `${which}this doesn't look like mail. Kept reads .mbox mailboxes and .eml messages; check you picked the right file.`.replace(/^this/, "This"));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
