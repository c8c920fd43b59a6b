// The settings both entries read from their environment, checked once. A bad or
// missing setting stops start-up with a message naming it and what it should be.
import { z } from "zod";
import { isLoopbackHost, GOOGLE_JWKS, MICROSOFT_JWKS, type AuthConfig } from "./auth";
import { canonicalLocale, isValidTimeZone } from "../core/time";

const list = z
  .string()
  .optional()
  .transform((v) => (v ? v.split(",").map((x) => x.trim()).filter(Boolean) : []));

export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8787), // 0: any free port
    HOST: z.string().min(1).default("127.0.0.1"),
    DATABASE_URL: z
      .string()
      .regex(/^(file:|libsql:|https?:|wss?:)/, "must start with file:, libsql://, http(s):// or ws(s)://")
      .default("file:./data/kept.db"),
    DATABASE_AUTH_TOKEN: z.string().optional(),
    // The embedded database's page cache; SQLite's own default (2 MB) is sized for small devices.
    DATABASE_CACHE_MB: z.coerce.number().int().min(2).max(4096).default(64),
    DATABASE_MMAP_MB: z.coerce.number().int().min(0).max(65536).default(1024),
    AUTH_MODE: z.enum(["local", "token"]).default("local"),
    PUBLIC_URL: z.url().optional(),
    MS_CLIENT_IDS: list,
    MS_ALLOWED_TENANTS: list,
    MS_JWKS_URL: z.url().default(MICROSOFT_JWKS),
    GOOGLE_AUDIENCES: list,
    GOOGLE_JWKS_URL: z.url().default(GOOGLE_JWKS),
    SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    KEPT_TIME_ZONE: z
      .string()
      .optional()
      .refine((v) => v === undefined || isValidTimeZone(v), "must be an IANA time zone such as Europe/London"),
    KEPT_LOCALE: z
      .string()
      .optional()
      .refine((v) => v === undefined || canonicalLocale(v) !== null, "must be a locale tag dates can be written in, such as en-GB or en-US"),
  })
  .superRefine((c, ctx) => {
    if (c.AUTH_MODE === "local" && !isLoopbackHost(c.HOST))
      ctx.addIssue({ code: "custom", path: ["HOST"], message: "local mode has no sign-in, so it only listens on loopback: use 127.0.0.1, or set AUTH_MODE=token" });
    if (c.AUTH_MODE === "token" && c.MS_CLIENT_IDS.length === 0 && c.GOOGLE_AUDIENCES.length === 0)
      ctx.addIssue({ code: "custom", path: ["MS_CLIENT_IDS"], message: "token mode needs MS_CLIENT_IDS (your Entra app's client id) or GOOGLE_AUDIENCES" });
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "config"}: ${i.message}`);
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
