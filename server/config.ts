// The settings both entries read from their environment, checked once. A bad or
// missing setting stops start-up with a message naming it, what it should be and
// an example. A setting that is empty (PORT=) counts as unset: its default applies.
import { z } from "zod";
import { isLoopbackHost, GOOGLE_JWKS, MICROSOFT_JWKS, type AuthConfig } from "./auth";
import { canonicalLocale, isValidTimeZone } from "../core/time";

const quoted = (v: string) => JSON.stringify(v);
/** An address quoted without what may be secret in it: a user and password, a query (libSQL's ?authToken=). */
const quotedAddress = (v: string) => quoted(v.replace(/\/\/[^/@?#]*@/, "//…@").replace(/[?#].*$/s, (rest) => (rest.length > 1 ? `${rest[0]}…` : rest)));

/** A setting read as text, checked and converted by `read`, which returns an error message or the value. */
function setting<T>(read: (v: string) => { error: string } | { value: T }) {
  return z
    .string()
    .optional()
    .transform((v, ctx): T | undefined => {
      if (v === undefined) return undefined;
      const r = read(v);
      if ("error" in r) {
        ctx.addIssue({ code: "custom", message: r.error });
        return z.NEVER;
      }
      return r.value;
    });
}

function wholeNumber(name: string, min: number, max: number, fallback: number, what: string, note = "") {
  return setting((v) =>
    /^\d{1,10}$/.test(v) && Number(v) >= min && Number(v) <= max
      ? { value: Number(v) }
      : { error: `${name} must be a whole number${what} from ${min} to ${max}, for example ${fallback}${note}; it is ${quoted(v)}` },
  ).transform((v) => v ?? fallback);
}

function httpUrl(v: string): URL | null {
  try {
    const u = new URL(v);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname ? u : null;
  } catch {
    return null;
  }
}

function jwksUrl(name: string, fallback: string) {
  return setting((v) =>
    httpUrl(v) ? { value: v } : { error: `${name} must be the http:// or https:// address of a key set (JWKS), for example ${fallback}; it is ${quoted(v)}` },
  ).transform((v) => v ?? fallback);
}

function list(check?: (item: string) => boolean, error?: (bad: string) => string, name?: string) {
  return setting((v) => {
    const items = v.split(",").map((x) => x.trim()).filter(Boolean);
    // Commas and nothing else would read as "no list": for an allow-list, that is "allow anyone".
    if (items.length === 0 && name) return { error: `${name} must name at least one, comma-separated, or be left unset; it is ${quoted(v)}` };
    const bad = check ? items.find((x) => !check(x)) : undefined;
    return bad !== undefined ? { error: error!(bad) } : { value: items };
  }).transform((v) => v ?? []);
}

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const settings = z.object({
  PORT: wholeNumber("PORT", 0, 65535, 8787, "", " (0 picks a free port)"),
  HOST: setting((v) =>
    // node listens on a bare address or name; "[::1]" or "127.0.0.1:8787" would fail later with a DNS error.
    /[[\]\s]/.test(v) || (v.includes(":") && v.indexOf(":") === v.lastIndexOf(":"))
      ? { error: `HOST must be an address or name to listen on, without brackets or a port (that is PORT), for example 127.0.0.1 or ::1; it is ${quoted(v)}` }
      : { value: v },
  ).transform((v) => v ?? "127.0.0.1"),
  DATABASE_URL: setting((v) =>
    /^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/)/i.test(v)
      ? { value: v }
      : { error: `DATABASE_URL must start with file:, libsql://, http(s):// or ws(s)://, for example file:./data/kept.db or libsql://kept-you.turso.io; it is ${quotedAddress(v)}` },
  ).transform((v) => v ?? "file:./data/kept.db"),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  // The embedded database's page cache; SQLite's own default (2 MB) is sized for small devices.
  DATABASE_CACHE_MB: wholeNumber("DATABASE_CACHE_MB", 2, 4096, 64, " of megabytes"),
  DATABASE_MMAP_MB: wholeNumber("DATABASE_MMAP_MB", 0, 65536, 1024, " of megabytes", " (0 turns the memory map off)"),
  // Side panels answered from memory while the embedded database is unchanged (about 3 KB each).
  PANEL_CACHE: wholeNumber("PANEL_CACHE", 0, 1_000_000, 2000, " of side panels", " (0 turns the cache off)"),
  AUTH_MODE: setting((v): { value: "local" | "token" } | { error: string } =>
    v === "local" || v === "token" ? { value: v } : { error: `AUTH_MODE must be local or token, for example AUTH_MODE=token; it is ${quoted(v)}` },
  ).transform((v): "local" | "token" => v ?? "local"),
  PUBLIC_URL: setting((v) => {
    const u = httpUrl(v);
    // Links are written as PUBLIC_URL + "/feed/…": no query, fragment, spaces or credentials, and
    // the address as parsed (origin and path, no trailing slash), never the text as typed.
    return u && !/[\s?#]/.test(v) && !u.username && !u.password
      ? { value: `${u.origin}${u.pathname}`.replace(/\/+$/, "") }
      : { error: `PUBLIC_URL must be the full address Kept is reached at, starting with https:// or http://, with no query, fragment or password, for example https://kept.example.com; it is ${quotedAddress(v)}` };
  }),
  MS_CLIENT_IDS: list(),
  MS_ALLOWED_TENANTS: list(
    (x) => TENANT_ID.test(x),
    (bad) => `MS_ALLOWED_TENANTS must be Entra tenant ids, comma-separated, for example 72f988bf-86f1-41af-91ab-2d7cd011db47; ${quoted(bad)} is not one`,
    "MS_ALLOWED_TENANTS",
  ).transform((ids) => ids.map((x) => x.toLowerCase())),
  MS_JWKS_URL: jwksUrl("MS_JWKS_URL", MICROSOFT_JWKS),
  GOOGLE_AUDIENCES: list(),
  GOOGLE_JWKS_URL: jwksUrl("GOOGLE_JWKS_URL", GOOGLE_JWKS),
  SWEEP_INTERVAL_SECONDS: wholeNumber("SWEEP_INTERVAL_SECONDS", 5, 3600, 60, " of seconds"),
  KEPT_TIME_ZONE: setting((v) =>
    isValidTimeZone(v) ? { value: v } : { error: `KEPT_TIME_ZONE must be an IANA time zone, for example Europe/London or America/New_York; it is ${quoted(v)}` },
  ),
  KEPT_LOCALE: setting((v) =>
    canonicalLocale(v) !== null ? { value: v } : { error: `KEPT_LOCALE must be a locale tag dates can be written in, for example en-GB or en-US; it is ${quoted(v)}` },
  ),
});

/** The settings as far as they were read: one that was bad holds no usable value. */
const read = (value: unknown) => value as Record<string, unknown>;

// Checks across settings; they run even when another setting is bad, so one start-up names every problem.
const crossChecks = settings
  .refine((c) => !(c.AUTH_MODE === "local" && !isLoopbackHost(c.HOST)), {
    path: ["HOST"],
    when: (p) => read(p.value).AUTH_MODE === "local" && typeof read(p.value).HOST === "string",
    error: (iss) =>
      `HOST must be a loopback address in local mode, which has no sign-in, for example 127.0.0.1, ::1 or localhost; it is ${quoted(String((iss.input as { HOST: string }).HOST))} (to listen on other addresses, set AUTH_MODE=token)`,
  })
  .refine((c) => !(c.AUTH_MODE === "token" && c.MS_CLIENT_IDS.length === 0 && c.GOOGLE_AUDIENCES.length === 0), {
    path: ["MS_CLIENT_IDS"],
    when: (p) => read(p.value).AUTH_MODE === "token" && Array.isArray(read(p.value).MS_CLIENT_IDS) && Array.isArray(read(p.value).GOOGLE_AUDIENCES),
    error:
      "MS_CLIENT_IDS or GOOGLE_AUDIENCES must be set in token mode: MS_CLIENT_IDS to your Entra app's client id or app ID URI, for example api://kept.example.com/00000000-0000-0000-0000-000000000000, GOOGLE_AUDIENCES to your Google OAuth client id, for example 1234567890-abc.apps.googleusercontent.com",
  });

export const configSchema = z.preprocess(
  // An empty setting is an unset one, and spaces around a value (pasted in) don't count.
  (env) =>
    env && typeof env === "object"
      ? Object.fromEntries(
          Object.entries(env)
            .map(([k, v]) => [k, typeof v === "string" ? v.trim() : v] as const)
            .filter(([, v]) => v !== ""),
        )
      : env,
  crossChecks,
);

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    // Kept's own messages start with the setting's name; anything else gets it in front.
    const lines = parsed.error.issues.map((i) => {
      const name = i.path.join(".");
      return `  ${name && !i.message.startsWith(name) ? `${name}: ${i.message}` : i.message}`;
    });
    throw new ConfigError(`Kept can't start; fix these settings:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export function authConfig(c: Config): AuthConfig {
  return {
    mode: c.AUTH_MODE,
    microsoft: c.MS_CLIENT_IDS.length ? { audiences: c.MS_CLIENT_IDS, jwksUrl: c.MS_JWKS_URL, allowedTenants: c.MS_ALLOWED_TENANTS } : undefined,
    google: c.GOOGLE_AUDIENCES.length ? { audiences: c.GOOGLE_AUDIENCES, jwksUrl: c.GOOGLE_JWKS_URL } : undefined,
  };
}
