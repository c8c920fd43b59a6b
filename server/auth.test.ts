// The Authenticator on its own: Microsoft and Google tokens signed with a local key
// set served over loopback (no module mocking), the tenant allow-list checked only
// after the signature, tokens without an expiry refused, and which Host headers
// count as this computer in local mode.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { KeptError } from "../core/errors";
import { Authenticator, isLoopbackHost, type AuthConfig } from "./auth";

const TID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const OTHER_TID = "11111111-2222-3333-4444-555555555555";
const MS_AUD = "api://kept-test";
const GOOGLE_AUD = "kept-google-client";
const now = () => Math.floor(Date.now() / 1000);

let key: CryptoKey;
let strangerKey: CryptoKey;
let jwk: JWK;
let jwks: Server;
let jwksUrl: string;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  key = pair.privateKey as CryptoKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  strangerKey = (await generateKeyPair("RS256")).privateKey as CryptoKey;
  jwks = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => jwks.listen(0, "127.0.0.1", () => r()));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/keys`;
});
afterAll(() => new Promise<void>((r) => jwks.close(() => r())));

type Over = { tid?: string; aud?: string; exp?: number | null; key?: CryptoKey; iss?: string };

function msToken(oid: string, over: Over = {}) {
  const tid = over.tid ?? TID;
  const jwt = new SignJWT({ tid, oid, preferred_username: `${oid}@contoso.example` })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(over.iss ?? `https://login.microsoftonline.com/${tid}/v2.0`)
    .setAudience(over.aud ?? MS_AUD)
    .setIssuedAt();
  if (over.exp !== null) jwt.setExpirationTime(over.exp ?? now() + 3600);
  return jwt.sign(over.key ?? key);
}

function googleToken(sub: string, over: Over = {}) {
  const jwt = new SignJWT({ email: `${sub}@gmail.example` })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(over.iss ?? "https://accounts.google.com")
    .setSubject(sub)
    .setAudience(over.aud ?? GOOGLE_AUD)
    .setIssuedAt();
  if (over.exp !== null) jwt.setExpirationTime(over.exp ?? now() + 3600);
  return jwt.sign(over.key ?? key);
}

function authenticator(over: { allowedTenants?: string[]; mode?: AuthConfig["mode"] } = {}) {
  return new Authenticator({
    mode: over.mode ?? "token",
    microsoft: { audiences: [MS_AUD], jwksUrl, allowedTenants: over.allowedTenants },
    google: { audiences: [GOOGLE_AUD], jwksUrl },
  });
}

/** What the server would answer: the HTTP status and the message, or the identity. */
async function answer(auth: Authenticator, token: string) {
  try {
    return { status: 200, identity: await auth.identify(`Bearer ${token}`, "kept.example.com") };
  } catch (e) {
    if (!(e instanceof KeptError)) throw e;
    return { status: e.status, message: e.message };
  }
}

describe("Microsoft tokens and the tenant allow-list", () => {
  it("a token from an allowed tenant signs in; a genuine one from another tenant is 403", async () => {
    const auth = authenticator({ allowedTenants: [TID] });
    const ok = await answer(auth, await msToken("alice"));
    expect(ok.status).toBe(200);
    expect(ok.identity).toMatchObject({ provider: "microsoft", tenantId: TID, subject: "alice" });
    const other = await answer(auth, await msToken("bob", { tid: OTHER_TID }));
    expect(other).toEqual({ status: 403, message: "Your organisation has not been enabled for Kept. Ask your administrator to add it." });
  });

  it("matches an allowed tenant written in capitals", async () => {
    expect((await answer(authenticator({ allowedTenants: [TID.toUpperCase()] }), await msToken("alice"))).status).toBe(200);
  });

  it("checks the signature, audience and expiry before the tenant: a bad token from another tenant is 401, not 403", async () => {
    const auth = authenticator({ allowedTenants: [TID] });
    const forged = await answer(auth, await msToken("eve", { tid: OTHER_TID, key: strangerKey }));
    expect(forged).toEqual({ status: 401, message: "The token's signature does not check out. Sign in again." });
    const expired = await answer(auth, await msToken("eve", { tid: OTHER_TID, exp: now() - 3600 }));
    expect(expired).toEqual({ status: 401, message: "Your sign-in has expired. Sign in again." });
    const elsewhere = await answer(auth, await msToken("eve", { tid: OTHER_TID, aud: "api://someone-else" }));
    expect(elsewhere).toEqual({ status: 401, message: "The token was not issued for Kept. Sign in again from the add-in." });
    const noExp = await answer(auth, await msToken("eve", { tid: OTHER_TID, exp: null }));
    expect(noExp.status).toBe(401);
  });

  it("refuses a token with no expiry, however well signed", async () => {
    const r = await answer(authenticator(), await msToken("alice", { exp: null }));
    expect(r).toEqual({ status: 401, message: "The token has no expiry time, and Kept only accepts tokens that expire. Sign in again." });
  });

  it("refuses expired, wrong-audience and forged tokens", async () => {
    const auth = authenticator();
    expect(await answer(auth, await msToken("alice", { exp: now() - 3600 }))).toMatchObject({ status: 401, message: expect.stringMatching(/expired/) });
    expect(await answer(auth, await msToken("alice", { aud: "api://someone-else" }))).toMatchObject({ status: 401, message: expect.stringMatching(/not issued for Kept/) });
    expect(await answer(auth, await msToken("alice", { key: strangerKey }))).toMatchObject({ status: 401, message: expect.stringMatching(/signature/) });
  });
});

describe("Google ID tokens", () => {
  it("a valid one signs in", async () => {
    const r = await answer(authenticator(), await googleToken("g-1"));
    expect(r.status).toBe(200);
    expect(r.identity).toMatchObject({ provider: "google", tenantId: "google", subject: "g-1", email: "g-1@gmail.example" });
  });

  it("refuses expired, wrong-audience, forged and never-expiring tokens with 401 and a reason", async () => {
    const auth = authenticator();
    const cases: Array<[string, Promise<string>, string]> = [
      ["expired", googleToken("g-1", { exp: now() - 3600 }), "Your sign-in has expired. Sign in again."],
      ["wrong audience", googleToken("g-1", { aud: "someone-elses-client" }), "The token was not issued for Kept. Sign in again from the add-in."],
      ["forged signature", googleToken("g-1", { key: strangerKey }), "The token's signature does not check out. Sign in again."],
      ["no exp", googleToken("g-1", { exp: null }), "The token has no expiry time, and Kept only accepts tokens that expire. Sign in again."],
    ];
    for (const [name, token, message] of cases) expect(await answer(auth, await token), name).toEqual({ status: 401, message });
  });

  it("is refused by a server not set up for Google", async () => {
    const auth = new Authenticator({ mode: "token", microsoft: { audiences: [MS_AUD], jwksUrl } });
    expect(await answer(auth, await googleToken("g-1"))).toEqual({ status: 401, message: "This Kept server does not accept Google sign-in." });
  });

  it("a refused token is not remembered as verified: asking again is refused again", async () => {
    const auth = authenticator();
    const token = await googleToken("g-1", { exp: null });
    expect((await answer(auth, token)).status).toBe(401);
    expect((await answer(auth, token)).status).toBe(401);
  });
});

describe("local mode and the Host header", () => {
  it("answers loopback hosts, IPv6 included, as the local user", async () => {
    const auth = authenticator({ mode: "local" });
    for (const host of ["127.0.0.1:8787", "[::1]:8787", "localhost:8787", "[::1]"]) expect((await auth.identify(undefined, host)).provider, host).toBe("local");
    await expect(auth.identify(undefined, "evil.example:8787")).rejects.toMatchObject({ status: 403 });
  });

  it("isLoopbackHost: localhost, 127.x.x.x and ::1, with or without a port, and nothing else", () => {
    const yes = ["localhost", "localhost:8787", "LOCALHOST:8787", "127.0.0.1", "127.0.0.1:8787", "127.1.2.3:80", "127.255.255.255", "::1", "[::1]", "[::1]:8787"];
    const no = [
      undefined,
      "",
      "evil.example:8787",
      "127.0.0.1.evil.example",
      "127.0.0.1.evil.example:8787",
      "localhost.evil.example",
      "evil-localhost",
      "127.0.0.256",
      "127.0.0",
      "128.0.0.1",
      "0.0.0.0",
      "::",
      "[::]:8787",
      "::2",
      "[::1]evil.example",
      "[::1]:8787:1",
      "[::1",
      "127.0.0.1:8787:1",
      "127.0.0.1:",
      "localhost:abc",
      "[127.0.0.1]:8787",
      "[localhost]:8787",
      "::ffff:8.8.8.8",
    ];
    for (const h of yes) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of no) expect(isLoopbackHost(h), String(h)).toBe(false);
  });
});
