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

/** The one line naming what is wrong, for settings with one problem. */
const problem = (env: Record<string, string>) => {
  const [head, ...lines] = fails(env).split("\n");
  expect(head).toBe("Kept can't start; fix these settings:");
  expect(lines).toHaveLength(1);
  return lines[0]!.trim();
};

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const TOKEN_MODE = { AUTH_MODE: "token", MS_CLIENT_IDS: "api://kept" };

describe("settings from the environment", () => {
  it("starts with nothing set: local mode on loopback with the embedded database", () => {
    const c = loadConfig({});
    expect([c.AUTH_MODE, c.HOST, c.PORT, c.DATABASE_URL, c.DATABASE_CACHE_MB, c.DATABASE_MMAP_MB, c.PANEL_CACHE, c.SWEEP_INTERVAL_SECONDS]).toEqual(["local", "127.0.0.1", 8787, "file:./data/kept.db", 64, 1024, 2000, 60]);
  });

  it("treats an empty setting as unset, so its default applies (PORT= is not port 0)", () => {
    const empty = Object.fromEntries(
      ["PORT", "HOST", "DATABASE_URL", "DATABASE_AUTH_TOKEN", "DATABASE_CACHE_MB", "DATABASE_MMAP_MB", "PANEL_CACHE", "AUTH_MODE", "PUBLIC_URL", "MS_CLIENT_IDS", "MS_ALLOWED_TENANTS", "MS_JWKS_URL", "GOOGLE_AUDIENCES", "GOOGLE_JWKS_URL", "SWEEP_INTERVAL_SECONDS", "KEPT_TIME_ZONE", "KEPT_LOCALE"].map((k) => [k, ""]),
    );
    expect(loadConfig(empty)).toEqual(loadConfig({}));
    expect(loadConfig({ PORT: "" }).PORT).toBe(8787);
    expect(loadConfig({ PORT: "  " }).PORT).toBe(8787);
    expect(loadConfig({ PORT: "0" }).PORT).toBe(0); // asked for: any free port
  });

  it("reads good values", () => {
    const c = loadConfig({
      PORT: "9000",
      HOST: "::1",
      DATABASE_URL: "libsql://kept-you.turso.io",
      DATABASE_CACHE_MB: "2",
      DATABASE_MMAP_MB: "0",
      PUBLIC_URL: "https://kept.example.com/",
      SWEEP_INTERVAL_SECONDS: "3600",
      KEPT_TIME_ZONE: "America/New_York",
      KEPT_LOCALE: "en-US",
    });
    expect(c).toMatchObject({ PORT: 9000, HOST: "::1", DATABASE_URL: "libsql://kept-you.turso.io", DATABASE_CACHE_MB: 2, DATABASE_MMAP_MB: 0, PUBLIC_URL: "https://kept.example.com", SWEEP_INTERVAL_SECONDS: 3600 });
    const t = loadConfig({ ...TOKEN_MODE, HOST: "0.0.0.0", MS_CLIENT_IDS: "a, b", MS_ALLOWED_TENANTS: ` ${TENANT.toUpperCase()} ,`, GOOGLE_AUDIENCES: "g" });
    expect([t.MS_CLIENT_IDS, t.MS_ALLOWED_TENANTS, t.GOOGLE_AUDIENCES]).toEqual([["a", "b"], [TENANT], ["g"]]);
  });

  it("names each bad number, says what it should be, gives an example and what it is", () => {
    expect(problem({ PORT: "abc" })).toBe('PORT must be a whole number from 0 to 65535, for example 8787 (0 picks a free port); it is "abc"');
    expect(problem({ PORT: "65536" })).toBe('PORT must be a whole number from 0 to 65535, for example 8787 (0 picks a free port); it is "65536"');
    expect(problem({ PORT: "80.5" })).toBe('PORT must be a whole number from 0 to 65535, for example 8787 (0 picks a free port); it is "80.5"');
    expect(problem({ PORT: "-1" })).toBe('PORT must be a whole number from 0 to 65535, for example 8787 (0 picks a free port); it is "-1"');
    expect(problem({ DATABASE_CACHE_MB: "lots" })).toBe('DATABASE_CACHE_MB must be a whole number of megabytes from 2 to 4096, for example 64; it is "lots"');
    expect(problem({ DATABASE_CACHE_MB: "1" })).toBe('DATABASE_CACHE_MB must be a whole number of megabytes from 2 to 4096, for example 64; it is "1"');
    expect(problem({ DATABASE_MMAP_MB: "-1" })).toBe('DATABASE_MMAP_MB must be a whole number of megabytes from 0 to 65536, for example 1024 (0 turns the memory map off); it is "-1"');
    expect(problem({ PANEL_CACHE: "lots" })).toBe('PANEL_CACHE must be a whole number of side panels from 0 to 1000000, for example 2000 (0 turns the cache off); it is "lots"');
    expect(problem({ DATABASE_MMAP_MB: "1GB" })).toBe('DATABASE_MMAP_MB must be a whole number of megabytes from 0 to 65536, for example 1024 (0 turns the memory map off); it is "1GB"');
    expect(problem({ SWEEP_INTERVAL_SECONDS: "1m" })).toBe('SWEEP_INTERVAL_SECONDS must be a whole number of seconds from 5 to 3600, for example 60; it is "1m"');
    expect(problem({ SWEEP_INTERVAL_SECONDS: "4" })).toBe('SWEEP_INTERVAL_SECONDS must be a whole number of seconds from 5 to 3600, for example 60; it is "4"');
  });

  it("names each bad address or choice the same way", () => {
    expect(problem({ PUBLIC_URL: "kept.example.com" })).toBe(
      'PUBLIC_URL must be the full address Kept is reached at, starting with https:// or http://, with no query, fragment or password, for example https://kept.example.com; it is "kept.example.com"',
    );
    expect(problem({ PUBLIC_URL: "ftp://kept.example.com" })).toBe(
      'PUBLIC_URL must be the full address Kept is reached at, starting with https:// or http://, with no query, fragment or password, for example https://kept.example.com; it is "ftp://kept.example.com"',
    );
    expect(problem({ DATABASE_URL: "postgres://x" })).toBe(
      'DATABASE_URL must start with file:, libsql://, http(s):// or ws(s)://, for example file:./data/kept.db or libsql://kept-you.turso.io; it is "postgres://x"',
    );
    expect(problem({ AUTH_MODE: "Token" })).toBe('AUTH_MODE must be local or token, for example AUTH_MODE=token; it is "Token"');
    expect(problem({ MS_JWKS_URL: "keys.json" })).toBe(
      'MS_JWKS_URL must be the http:// or https:// address of a key set (JWKS), for example https://login.microsoftonline.com/common/discovery/v2.0/keys; it is "keys.json"',
    );
    expect(problem({ GOOGLE_JWKS_URL: "file:///keys.json" })).toBe(
      'GOOGLE_JWKS_URL must be the http:// or https:// address of a key set (JWKS), for example https://www.googleapis.com/oauth2/v3/certs; it is "file:///keys.json"',
    );
    expect(problem({ ...TOKEN_MODE, MS_ALLOWED_TENANTS: `${TENANT}, contoso.onmicrosoft.com` })).toBe(
      'MS_ALLOWED_TENANTS must be Entra tenant ids, comma-separated, for example 72f988bf-86f1-41af-91ab-2d7cd011db47; "contoso.onmicrosoft.com" is not one',
    );
    expect(problem({ KEPT_TIME_ZONE: "Mars/Olympus" })).toBe('KEPT_TIME_ZONE must be an IANA time zone, for example Europe/London or America/New_York; it is "Mars/Olympus"');
    expect(problem({ KEPT_LOCALE: "en_GB" })).toBe('KEPT_LOCALE must be a locale tag dates can be written in, for example en-GB or en-US; it is "en_GB"');
  });

  it("keeps secrets in addresses out of its messages, and links as parsed", () => {
    // libSQL reads a token from the address's query: a bad address is quoted without it.
    expect(problem({ DATABASE_URL: "postgres://kept.example.com/db?authToken=eyJSECRET" })).toBe(
      'DATABASE_URL must start with file:, libsql://, http(s):// or ws(s)://, for example file:./data/kept.db or libsql://kept-you.turso.io; it is "postgres://kept.example.com/db?…"',
    );
    expect(problem({ PUBLIC_URL: "https://sam:hunter2@kept.example.com" })).toMatch(/; it is "https:\/\/…@kept\.example\.com"$/);
    for (const bad of ["https://kept.example.com/?", "https://kept.example.com/#", "https://kept.example.com/a b", "https://kept.example.com/?x=1"]) {
      expect(problem({ PUBLIC_URL: bad }), bad).toMatch(/^PUBLIC_URL must be the full address/);
    }
    // Spaces pasted around a value don't count; the scheme is read in any case.
    expect(loadConfig({ PUBLIC_URL: "  https://Kept.Example.com/app/  ", DATABASE_URL: " LIBSQL://kept-you.turso.io " })).toMatchObject({
      PUBLIC_URL: "https://kept.example.com/app",
      DATABASE_URL: "LIBSQL://kept-you.turso.io",
    });
    // Commas and nothing else would be an empty allow-list, that is everyone: refused.
    expect(problem({ ...TOKEN_MODE, MS_ALLOWED_TENANTS: " , " })).toBe('MS_ALLOWED_TENANTS must name at least one, comma-separated, or be left unset; it is ","');
  });

  it("HOST: an address without brackets or port; in local mode a loopback one, ::1 included", () => {
    for (const host of ["127.0.0.1", "127.0.0.2", "::1", "localhost"]) expect(loadConfig({ HOST: host }).HOST).toBe(host);
    const local = (h: string) =>
      `HOST must be a loopback address in local mode, which has no sign-in, for example 127.0.0.1, ::1 or localhost; it is "${h}" (to listen on other addresses, set AUTH_MODE=token)`;
    expect(problem({ HOST: "0.0.0.0" })).toBe(local("0.0.0.0"));
    expect(problem({ HOST: "::" })).toBe(local("::"));
    expect(problem({ HOST: "127.0.0.1.evil.example" })).toBe(local("127.0.0.1.evil.example"));
    const shape = (h: string) => `HOST must be an address or name to listen on, without brackets or a port (that is PORT), for example 127.0.0.1 or ::1; it is "${h}"`;
    expect(problem({ HOST: "[::1]" })).toBe(shape("[::1]"));
    expect(problem({ HOST: "127.0.0.1:8787" })).toBe(shape("127.0.0.1:8787"));
    expect(problem({ ...TOKEN_MODE, HOST: "[::]:80" })).toBe(shape("[::]:80"));
    expect(loadConfig({ ...TOKEN_MODE, HOST: "0.0.0.0" }).HOST).toBe("0.0.0.0");
  });

  it("asks token mode for an audience", () => {
    expect(problem({ AUTH_MODE: "token" })).toBe(
      "MS_CLIENT_IDS or GOOGLE_AUDIENCES must be set in token mode: MS_CLIENT_IDS to your Entra app's client id or app ID URI, for example api://kept.example.com/00000000-0000-0000-0000-000000000000, GOOGLE_AUDIENCES to your Google OAuth client id, for example 1234567890-abc.apps.googleusercontent.com",
    );
  });

  it("names every bad setting at once, one per line, and never echoes the database token", () => {
    const message = fails({ PORT: "abc", HOST: "0.0.0.0", DATABASE_CACHE_MB: "lots", PUBLIC_URL: "kept.example.com", KEPT_LOCALE: "en_GB", DATABASE_AUTH_TOKEN: "secret-token" });
    expect(message.split("\n").map((l) => l.trim().split(" ")[0])).toEqual(["Kept", "PORT", "DATABASE_CACHE_MB", "PUBLIC_URL", "KEPT_LOCALE", "HOST"]);
    expect(message).not.toContain("secret-token");
  });
});
