// /openapi.json against the app itself: every /api route the app serves is in the
// document with its method, each with a success response and its error responses
// in the one error shape the API really answers with.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { createApp, zApiError } from "../server/app";
import { Authenticator } from "../server/auth";
import { openDatabase, type OpenedDb } from "../server/db-node";
import { mountWeb } from "../server/web";
import { MemoryProvider } from "../server/providers/memory";
import { ERROR_CODES } from "../core/errors";
import { TestClock } from "./support";

let dir: string;
let opened: OpenedDb;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "kept-openapi-"));
  opened = await openDatabase(`file:${join(dir, "kept.db")}`);
});
afterEach(() => {
  opened.close();
  rmSync(dir, { recursive: true, force: true });
});

function makeApp() {
  const clock = new TestClock(Date.parse("2026-11-18T10:00:00Z"));
  const provider = new MemoryProvider({}, clock.fn);
  const deps = {
    db: opened.db,
    clock: clock.fn,
    newId: randomUUID,
    calendar: provider,
    mail: provider,
    publicUrl: "http://127.0.0.1:8787",
    auth: new Authenticator({ mode: "local" }),
    localDefaults: { timeZone: "Europe/London" },
  };
  return createApp({ ...deps, mount: (a) => mountWeb(a, deps) });
}
type App = ReturnType<typeof makeApp>;

const HOST = "127.0.0.1:8787";
async function send(app: App, method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  const res = await app.request(`http://${HOST}${path}`, { method, headers: { host: HOST, ...init.headers }, body: init.body });
  return { status: res.status, json: (await res.json()) as any };
}

/** The app's own /api routes, one per method and path (a route registers once per handler). */
function apiRoutes(app: App): Array<{ method: string; path: string }> {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of app.routes) if (r.method !== "ALL" && r.path.startsWith("/api/")) seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  return [...seen.values()];
}
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

// The parts of OpenAPI 3.x the document uses, checked for shape.
const zRef = z.object({ $ref: z.string().startsWith("#/components/") }).strict();
const zMedia = z.object({ schema: z.union([zRef, z.record(z.string(), z.unknown())]).optional(), example: z.unknown().optional() }).strict();
const zResponse = z.object({ description: z.string().min(1), content: z.record(z.string().regex(/^[\w.+-]+\/[\w.+-]+$/), zMedia).optional() }).strict();
const zParameter = z.union([
  zRef,
  z.object({ name: z.string().min(1), in: z.enum(["query", "header", "path", "cookie"]), required: z.boolean().optional(), description: z.string().optional(), schema: z.record(z.string(), z.unknown()) }).strict(),
]);
const zOperation = z
  .object({
    operationId: z.string().min(1),
    summary: z.string().min(1),
    description: z.string().optional(),
    parameters: z.array(zParameter).optional(),
    requestBody: z.object({ required: z.boolean().optional(), description: z.string().optional(), content: z.record(z.string(), zMedia) }).strict().optional(),
    responses: z.record(z.string().regex(/^([1-5]\d\d|default)$/), z.union([zRef, zResponse])).refine((r) => Object.keys(r).length > 0, "an operation needs a response"),
  })
  .strict();
const zDocument = z.object({
  openapi: z.string().regex(/^3\.\d+\.\d+$/),
  info: z.object({ title: z.string().min(1), version: z.string().min(1) }).passthrough(),
  paths: z.record(z.string().startsWith("/"), z.partialRecord(z.enum(["get", "put", "post", "delete", "options", "head", "patch", "trace"]), zOperation)),
  components: z.object({ schemas: z.record(z.string(), z.unknown()).optional(), parameters: z.record(z.string(), zParameter).optional() }).passthrough(),
});
type Operation = z.infer<typeof zOperation>;

const ERROR_REF = "#/components/schemas/Error";
/** The $ref a response's JSON schema points at, if any. */
const errorRefOf = (r: unknown) => ((r as { content?: Record<string, { schema?: { $ref?: string } }> }).content?.["application/json"]?.schema?.$ref ?? null);

describe("/openapi.json", () => {
  it("is an OpenAPI 3.x document: paths, operations, responses, parameters, and every $ref resolves", async () => {
    const doc = (await send(makeApp(), "GET", "/openapi.json")).json;
    const parsed = zDocument.safeParse(doc);
    expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 5), null, 1)).toBe(true);
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        // Every templated segment is a required path parameter, and no other path parameter is declared.
        const inPath = (op.parameters ?? []).filter((p): p is Extract<typeof p, { in: string }> => "in" in p && p.in === "path");
        expect(inPath.map((p) => p.name).sort(), `${method} ${path}`).toEqual([...names].sort());
        for (const p of inPath) expect(p.required, `${method} ${path} ${p.name}`).toBe(true);
      }
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(0);
    for (const [, kind, name] of refs) expect(doc.components[kind!]?.[name!], `${kind}/${name}`).toBeDefined();
    const ids = Object.values(doc.paths as Record<string, Record<string, Operation>>).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("lists every /api route the app serves, with its method", async () => {
    const app = makeApp();
    const doc = (await send(app, "GET", "/openapi.json")).json;
    const routes = apiRoutes(app);
    expect(routes.length).toBeGreaterThanOrEqual(24);
    const missing = routes.filter((r) => !doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()]).map((r) => `${r.method} ${r.path}`);
    expect(missing, "routes the document leaves out").toEqual([]);
    // And nothing documented that the app does not serve.
    const served = new Set(routes.map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`));
    for (const [path, ops] of Object.entries(doc.paths as Record<string, object>))
      if (path.startsWith("/api/")) for (const method of Object.keys(ops)) expect(served.has(`${method} ${path}`), `${method} ${path}`).toBe(true);
  });

  it("gives every /api route a success response, and its errors in the real error shape", async () => {
    const app = makeApp();
    const doc = (await send(app, "GET", "/openapi.json")).json;
    // The error shape, once, as the API sends it.
    const error = doc.components.schemas.Error;
    expect(error.required).toEqual(["error"]);
    expect(error.properties.error.required).toEqual(["code", "message", "details"]);
    expect(error.properties.error.properties.code.enum.sort()).toEqual(Object.keys(ERROR_CODES).sort());
    expect(error.properties.error.properties.message.type).toBe("string");
    // hono-openapi's own validation error ({ success, error: [], data }) is not what Kept sends.
    expect(JSON.stringify(doc)).not.toMatch(/"success"|Validation Error/);

    for (const { method, path } of apiRoutes(app)) {
      const where = `${method} ${path}`;
      const op: Operation = doc.paths[openApiPath(path)][method.toLowerCase()];
      const statuses = Object.keys(op.responses);
      const ok = statuses.filter((s) => /^2\d\d$/.test(s));
      expect(ok.length, `${where}: a success response`).toBeGreaterThan(0);
      for (const s of ok) expect(Object.keys((op.responses[s] as { content?: object }).content ?? {}).length, `${where} ${s}: its media type`).toBe(1);
      // Every route can answer these: a bad token, a refused host or site, Kept's own failure.
      for (const s of ["401", "403", "500"]) expect(statuses, where).toContain(s);
      // What a route validates, it can refuse; what looks up an id can miss (a PUT makes it); what takes a body can be too large.
      if (op.parameters?.length || op.requestBody) expect(statuses, `${where}: 400`).toContain("400");
      if (path.includes("/:") && method !== "PUT") expect(statuses, `${where}: 404`).toContain("404");
      if (op.requestBody) expect(statuses, `${where}: 413`).toContain("413");
      for (const s of statuses.filter((x) => /^[45]\d\d$/.test(x))) expect(errorRefOf(op.responses[s]), `${where} ${s}`).toBe(ERROR_REF);
    }
  });

  it("documents the imports: the upload's name, file count and header, the NDJSON stream, and what can go wrong", async () => {
    const doc = (await send(makeApp(), "GET", "/openapi.json")).json;
    const upload: Operation = doc.paths["/api/import"].post;
    const params = (upload.parameters ?? []).map((p) => ("in" in p ? `${p.in} ${p.name}` : p.$ref));
    expect(params.sort()).toEqual(["header x-file-name", "query files", "query name"]);
    expect(Object.keys(upload.requestBody!.content)).toEqual(["application/octet-stream"]);
    expect(Object.keys((upload.responses["200"] as { content: object }).content)).toEqual(["application/x-ndjson"]);
    expect(Object.keys(upload.responses).sort()).toEqual(["200", "400", "401", "403", "409", "413", "500", "501"]);
    const sample: Operation = doc.paths["/api/import/sample"].post;
    expect(Object.keys(sample.responses).sort()).toEqual(["200", "401", "403", "409", "500", "501"]);
  });

  it("says what overdue=true and overdue=false mean on the list route", async () => {
    const doc = (await send(makeApp(), "GET", "/openapi.json")).json;
    const list: Operation = doc.paths["/api/commitments"].get;
    expect(list.description).toMatch(/overdue=true/);
    expect(list.description).toMatch(/overdue=false/);
    const overdue = list.parameters!.find((p) => "name" in p && p.name === "overdue") as unknown as { schema: { enum: string[] } };
    expect(overdue.schema.enum).toEqual(["true", "false"]);
  });

  it("the errors the API really sends have the documented shape", async () => {
    const app = makeApp();
    const id = (
      await send(app, "POST", "/api/messages/sent", {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ threadId: "t1", messageId: "m1", to: [{ name: "Ana", address: "ana@example.com" }], sentAt: "2026-11-18T10:00:00Z", text: "I'll get back to you by Friday." }),
      })
    ).json.created[0].id;
    await send(app, "POST", `/api/commitments/${id}/keep`);
    const errors = [
      [400, await send(app, "GET", "/api/commitments?overdue=maybe")],
      [400, await send(app, "POST", "/api/detect", { headers: { "content-type": "application/json" }, body: "{nope" })],
      [400, await send(app, "POST", "/api/import?files=none", { body: "x" })],
      [401, await send(app, "GET", "/api/me", { headers: { authorization: "Bearer garbage" } })],
      [403, await send(app, "POST", "/api/feed/rotate", { headers: { origin: "https://evil.example" } })],
      [404, await send(app, "GET", "/api/commitments/nope")],
      [404, await send(app, "GET", "/api/nothing-here")],
      [409, await send(app, "POST", `/api/commitments/${id}/keep`)],
      [413, await send(app, "POST", "/api/detect", { headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "x".repeat(2 * 1024 * 1024 + 1) }) })],
    ] as const;
    for (const [status, r] of errors) {
      expect(r.status).toBe(status);
      const parsed = zApiError.safeParse(r.json);
      expect(parsed.success, JSON.stringify(r.json)).toBe(true);
      expect(ERROR_CODES[r.json.error.code as keyof typeof ERROR_CODES]).toBe(status);
      expect(Object.keys(r.json.error).sort()).toEqual(["code", "details", "message"]);
    }
  });
});
