// Builds the Worker exactly as `wrangler deploy` would and runs it in workerd
// (Miniflare, offline) against a real libSQL server with the migrations applied.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
import { openDatabase } from "../server/db-node";
import { startSqld } from "./sqld";

const root = resolve(import.meta.dirname, "..");

export interface RunningWorker {
  mf: Miniflare;
  stop(): Promise<void>;
}

export async function startWorker(bindings: Record<string, string>): Promise<RunningWorker> {
  const server = await startSqld();
  const out = mkdtempSync(join(tmpdir(), "kept-worker-"));
  let mf: Miniflare | undefined;
  const stop = async () => {
    await mf?.dispose();
    await server.stop();
    rmSync(out, { recursive: true, force: true });
  };
  try {
    const { close } = await openDatabase(server.url); // a deploy applies migrations first
    close();
    execFileSync(join(root, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", out], {
      cwd: root,
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "true" },
      stdio: "pipe",
    });
    mf = new Miniflare({
      modules: true,
      scriptPath: join(out, "worker.js"),
      modulesRoot: out,
      compatibilityDate: "2026-04-20",
      compatibilityFlags: ["nodejs_compat"],
      bindings: { DATABASE_URL: server.url, ...bindings },
    });
    await mf.ready;
    return { mf, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
