// Who is calling: a Microsoft Entra access token (the Outlook add-in), a Google
// ID token (the Workspace add-on), or, in local mode, the one local user on a
// loopback address. A token that is present but bad is refused in every mode.
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { KeptError } from "../core/errors";
import type { Identity } from "./accounts";

export interface AuthConfig {
  /** "local": no token needed from loopback; "token": every request carries one. */
  mode: "local" | "token";
  microsoft?: { audiences: string[]; jwksUrl: string; allowedTenants?: string[]; issuerBase?: string };
  google?: { audiences: string[]; jwksUrl: string };
}

export const MICROSOFT_JWKS = "https://login.microsoftonline.com/common/discovery/v2.0/keys";
export const GOOGLE_JWKS = "https://www.googleapis.com/oauth2/v3/certs";
const GOOGLE_ISSUERS = ["https://accounts.google.com", "accounts.google.com"];

export const LOCAL_IDENTITY: Identity = { provider: "local", tenantId: "local", subject: "local", email: null, displayName: null };

const VERIFIED_CACHE = 5000;

export class Authenticator {
  private msKeys: JWTVerifyGetKey | null;
  private googleKeys: JWTVerifyGetKey | null;
  /** Tokens already verified, until they expire: an add-in sends the same one for an hour. */
  private verified = new Map<string, { identity: Identity; exp: number }>();

  constructor(readonly config: AuthConfig) {
    // Key sets are fetched lazily and cached by jose; nothing happens at construction.
    this.msKeys = config.microsoft ? createRemoteJWKSet(new URL(config.microsoft.jwksUrl)) : null;
    this.googleKeys = config.google ? createRemoteJWKSet(new URL(config.google.jwksUrl)) : null;
  }

  async identify(authorization: string | undefined, host: string | undefined): Promise<Identity> {
    if (!authorization) {
      if (this.config.mode === "local") {
        if (!isLoopbackHost(host))
          throw new KeptError("forbidden", "Local mode only answers on localhost. Open Kept at http://127.0.0.1 or set AUTH_MODE=token.");
        return LOCAL_IDENTITY;
      }
      throw new KeptError("unauthorized", "Sign in: send an Authorization: Bearer token from Outlook or Google.");
    }
    const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!m) throw new KeptError("unauthorized", "The Authorization header must be 'Bearer <token>'.");
    return this.verify(m[1]!);
  }

  async verify(token: string): Promise<Identity> {
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.exp > Date.now() / 1000) return hit.identity;
      this.verified.delete(token);
    }
    const identity = await this.verifyUncached(token);
    const exp = Number(decodeJwt(token).exp ?? 0);
    if (this.verified.size >= VERIFIED_CACHE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { identity, exp });
    return identity;
  }

  private async verifyUncached(token: string): Promise<Identity> {
    let claims: JWTPayload;
    try {
      claims = decodeJwt(token);
    } catch {
      throw new KeptError("unauthorized", "The token is not a JWT. Sign in again.");
    }
    const iss = String(claims.iss ?? "");
    if (GOOGLE_ISSUERS.includes(iss)) return this.verifyGoogle(token);
    if (this.config.microsoft && isMicrosoftIssuer(iss, this.config.microsoft.issuerBase)) return this.verifyMicrosoft(token, claims);
    throw new KeptError("unauthorized", "The token comes from an issuer Kept does not accept. Sign in with Outlook or Google.");
  }

  private async verifyMicrosoft(token: string, unverified: JWTPayload): Promise<Identity> {
    const ms = this.config.microsoft!;
    // The tenant names the issuer to check against; it is trusted only once the signature is.
    const tid = String(unverified.tid ?? "");
    if (!/^[0-9a-f-]{36}$/i.test(tid)) throw new KeptError("unauthorized", "The Microsoft token has no tenant id. Sign in again.");
    const base = ms.issuerBase ?? "https://login.microsoftonline.com";
    const payload = await verifyOr401(() =>
      jwtVerify(token, this.msKeys!, {
        audience: ms.audiences,
        issuer: [`${base}/${tid}/v2.0`, `https://sts.windows.net/${tid}/`],
        requiredClaims: ["exp"],
        clockTolerance: 60,
      }),
    );
    if (ms.allowedTenants?.length && !ms.allowedTenants.some((t) => t.toLowerCase() === tid.toLowerCase()))
      throw new KeptError("forbidden", "Your organisation has not been enabled for Kept. Ask your administrator to add it.");
    const subject = String(payload.oid ?? payload.sub ?? "");
    if (!subject) throw new KeptError("unauthorized", "The Microsoft token names no user. Sign in again.");
    const email = (payload.preferred_username ?? payload.upn ?? payload.email ?? null) as string | null;
    return { provider: "microsoft", tenantId: tid, subject, email, displayName: (payload.name as string) ?? null };
  }

  private async verifyGoogle(token: string): Promise<Identity> {
    if (!this.config.google) throw new KeptError("unauthorized", "This Kept server does not accept Google sign-in.");
    const payload = await verifyOr401(() =>
      jwtVerify(token, this.googleKeys!, { audience: this.config.google!.audiences, issuer: GOOGLE_ISSUERS, requiredClaims: ["exp"], clockTolerance: 60 }),
    );
    if (!payload.sub) throw new KeptError("unauthorized", "The Google token names no user. Sign in again.");
    return {
      provider: "google",
      tenantId: "google",
      subject: payload.sub,
      email: (payload.email as string) ?? null,
      displayName: (payload.name as string) ?? null,
    };
  }
}

async function verifyOr401(run: () => Promise<{ payload: JWTPayload }>): Promise<JWTPayload> {
  try {
    return (await run()).payload;
  } catch (e) {
    const { code = "", claim, reason } = e as { code?: string; claim?: string; reason?: string };
    const why =
      code === "ERR_JWT_EXPIRED"
        ? "Your sign-in has expired. Sign in again."
        : code === "ERR_JWT_CLAIM_VALIDATION_FAILED" && claim === "exp" && reason === "missing"
          ? "The token has no expiry time, and Kept only accepts tokens that expire. Sign in again."
          : code === "ERR_JWT_CLAIM_VALIDATION_FAILED"
            ? "The token was not issued for Kept. Sign in again from the add-in."
            : code === "ERR_JWKS_NO_MATCHING_KEY" || code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
              ? "The token's signature does not check out. Sign in again."
              : code === "ERR_JWKS_TIMEOUT" || code === "ERR_JOSE_GENERIC"
                ? "Kept could not fetch the sign-in keys. Try again in a minute."
                : "The token could not be verified. Sign in again.";
    throw new KeptError("unauthorized", why);
  }
}

function isMicrosoftIssuer(iss: string, base?: string): boolean {
  return iss.startsWith(`${base ?? "https://login.microsoftonline.com"}/`) || iss.startsWith("https://sts.windows.net/");
}

/**
 * Whether a Host header (or HOST setting) names this computer: localhost, 127.x.x.x or
 * ::1, with or without a port ("[::1]:8787", "127.0.0.1:8787", bare "::1"). Anything
 * else, including names that merely start with one of those, is not.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  const bracketed = /^\[([^\]]*)\](?::\d{1,5})?$/.exec(h);
  if (bracketed) return bracketed[1] === "::1";
  if (h.indexOf(":") !== h.lastIndexOf(":")) return h === "::1"; // a bare IPv6 address has no port
  const m = /^([^:]+)(?::\d{1,5})?$/.exec(h);
  if (!m) return false;
  const name = m[1]!;
  return name === "localhost" || /^127(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(name);
}
