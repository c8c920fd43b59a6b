// The Worker's start-up checks, called as workerd calls it: a bad setting is a
// 500 whose text names the setting, what it should be and an example.
import { describe, expect, it } from "vitest";
import worker from "./worker";

const ctx = { waitUntil() {} };
const fetchWith = (env: Record<string, string>) => worker.fetch(new Request("https://kept.example.com/health"), env, ctx);

describe("the Worker's settings", () => {
  it.each([
    [{}, /DATABASE_URL must be a libSQL server address on Workers, starting libsql:\/\/ or https:\/\/, for example libsql:\/\/kept-you\.turso\.io .*; it is not set$/],
    [{ DATABASE_URL: "file:./data/kept.db" }, /DATABASE_URL must be a libSQL server address on Workers.*; it is "file:\.\/data\/kept\.db"$/],
    [{ DATABASE_URL: "libsql://kept-you.turso.io", AUTH_MODE: "token", MS_CLIENT_IDS: "api://kept" }, /PUBLIC_URL must be the address this Worker is reached at, for example https:\/\/kept\.example\.com .*; it is not set$/],
    [{ DATABASE_URL: "libsql://kept-you.turso.io", PUBLIC_URL: "kept.example.com" }, /PUBLIC_URL must .*; it is "kept\.example\.com"/],
  ])("%j is refused with what to set", async (env, message) => {
    const res = await fetchWith(env as Record<string, string>);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text.startsWith("Kept can't start; fix these settings:\n  ")).toBe(true);
    expect(text.split("\n")[1]).toMatch(message);
  });
});
