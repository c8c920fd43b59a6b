// The Worker's start-up checks, called as workerd calls it: a bad setting is a
// 500 that says only that the server is not set up (a setting may hold a secret),
// and the Worker's log names the setting, what it should be and an example.
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "./worker";

const ctx = { waitUntil() {} };
afterEach(() => vi.restoreAllMocks());
const fetchWith = (env: Record<string, string>) => worker.fetch(new Request("https://kept.example.com/health"), env, ctx);

describe("the Worker's settings", () => {
  it.each([
    [{}, /DATABASE_URL must be a libSQL server address on Workers, starting libsql:\/\/, https:\/\/ or wss:\/\/, for example libsql:\/\/kept-you\.turso\.io .*; it is not set$/],
    [{ DATABASE_URL: "file:./data/kept.db" }, /DATABASE_URL must be a libSQL server address on Workers.*; it is "file:\.\/data\/kept\.db"$/],
    [{ DATABASE_URL: "libsql://kept-you.turso.io", AUTH_MODE: "token", MS_CLIENT_IDS: "api://kept" }, /PUBLIC_URL must be the address this Worker is reached at, for example https:\/\/kept\.example\.com .*; it is not set$/],
    [{ DATABASE_URL: "libsql://kept-you.turso.io", PUBLIC_URL: "kept.example.com" }, /PUBLIC_URL must .*; it is "kept\.example\.com"/],
  ])("%j is refused with what to set", async (env, message) => {
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((m: unknown) => void logged.push(String(m)));
    const res = await fetchWith(env as Record<string, string>);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("Kept is not set up correctly on this server. Its operator will find the reason in the Worker's logs.");
    expect(logged).toHaveLength(1);
    expect(logged[0]!.startsWith("Kept can't start; fix these settings:\n  ")).toBe(true);
    expect(logged[0]!.split("\n")[1]).toMatch(message);
  });

  it("never answers a caller with a setting's value, which may hold a token", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await fetchWith({ DATABASE_URL: " postgres://kept-you.turso.io?authToken=eyJSECRET", PUBLIC_URL: "https://kept.example.com" });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toMatch(/eyJSECRET|postgres/);
  });
});
