import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected the settings to be refused");
};

describe("settings from the environment", () => {
  it("starts with nothing set: local mode on loopback with the embedded database", () => {
    const c = loadConfig({});
    expect([c.AUTH_MODE, c.HOST, c.PORT, c.DATABASE_URL, c.DATABASE_CACHE_MB, c.DATABASE_MMAP_MB]).toEqual(["local", "127.0.0.1", 8787, "file:./data/kept.db", 64, 1024]);
  });

  it("names each bad setting and says what it should be", () => {
    const message = fails({ KEPT_LOCALE: "en_GB", KEPT_TIME_ZONE: "Mars/Olympus", DATABASE_CACHE_MB: "lots", DATABASE_MMAP_MB: "-1", DATABASE_URL: "postgres://x" });
    expect(message).toMatch(/KEPT_LOCALE: must be a locale tag .* such as en-GB/);
    expect(message).toMatch(/KEPT_TIME_ZONE: must be an IANA time zone/);
    expect(message).toMatch(/DATABASE_CACHE_MB:/);
    expect(message).toMatch(/DATABASE_MMAP_MB:/);
    expect(message).toMatch(/DATABASE_URL: must start with file:/);
  });

  it("keeps local mode on loopback and asks token mode for an audience", () => {
    expect(fails({ HOST: "0.0.0.0" })).toMatch(/HOST: local mode has no sign-in/);
    expect(fails({ AUTH_MODE: "token" })).toMatch(/MS_CLIENT_IDS: token mode needs/);
    expect(loadConfig({ KEPT_LOCALE: "fr-FR", AUTH_MODE: "token", MS_CLIENT_IDS: "a, b" }).MS_CLIENT_IDS).toEqual(["a", "b"]);
  });
});
