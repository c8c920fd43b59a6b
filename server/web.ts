// The dashboard's pages, served by the app for every provider: `/` (who's waiting,
// forgotten promises, figures, the calendar feed, import), `/c/:id` (one promise,
// where calendar events link), the script and stylesheet, and the import routes.
import type { Context, Hono } from "hono";
import { KeptError } from "../core/errors";
import type { WorkSettings } from "../core/model";
import { apiRoute, check, requireAccount, type Failure, type KeptEnv } from "./app";
import type { Authenticator } from "./auth";
import { Ledger, type LedgerDeps } from "./ledger";
import { CSS, ICON, JS } from "./web/assets";
import { commitmentPage, dashboard } from "./web/data";
import { importRoute, MAX_IMPORT_BYTES, zImportHeaders, zImportQuery } from "./web/import";
import { commitmentPageHtml, dashboardPage, messagePage } from "./web/pages";

export interface WebDeps extends LedgerDeps {
  auth: Authenticator;
  localDefaults?: Partial<WorkSettings>;
  version?: string;
}

const PAGE_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};

const IMPORT_OK = {
  status: 200,
  media: "application/x-ndjson",
  description:
    'The import as it runs, one JSON object a line: {"type":"start"}, {"type":"progress"} lines, then {"type":"done","report":{…}} with what was read and found, ' +
    'or {"type":"error","error":{"code","message"}} if it stopped part way',
} as const;
const IMPORT_ERRORS: Partial<Record<Failure, string | true | undefined>> = {
  400: "No file, a file that is not mail, or a name, file count or list of files that is not valid; the message says what to send",
  409: "An import is already running for this account; wait for it to finish",
  413: `The upload is over ${MAX_IMPORT_BYTES / 1024 ** 3} GB`,
  501: "This server does not import (Kept on Workers); run Kept on your computer to import",
};

function asset(body: string, type: string) {
  return (c: Context) =>
    c.body(body, 200, { "content-type": `${type}; charset=utf-8`, "cache-control": "public, max-age=3600", "x-content-type-options": "nosniff" });
}

export function mountWeb(app: Hono<any>, deps: WebDeps) {
  const web = app as Hono<KeptEnv>;
  const ledger = new Ledger(deps);
  const identify = requireAccount(deps);

  /** The signed-in account for a page, or a page that says how to get in. */
  async function signedIn(c: Context<KeptEnv>): Promise<Response | null> {
    try {
      await identify(c, async () => {});
      return null;
    } catch (e) {
      if (!(e instanceof KeptError) || (e.code !== "unauthorized" && e.code !== "forbidden")) throw e;
      const title = e.code === "forbidden" ? "Kept can't show this page here" : "Open Kept from your mail";
      const message =
        e.code === "forbidden"
          ? e.message
          : "This Kept server signs you in through the Outlook or Gmail add-in. Open Kept from the add-in to see your promises; links in your calendar events work once you're signed in there.";
      return c.html(messagePage(title, message, { back: false }), e.code === "forbidden" ? 403 : 401, PAGE_HEADERS);
    }
  }

  web.get("/assets/kept.css", asset(CSS, "text/css"));
  web.get("/assets/kept.js", asset(JS, "text/javascript"));
  web.get("/assets/icon.svg", asset(ICON, "image/svg+xml"));

  web.get("/", async (c) => {
    const denied = await signedIn(c);
    if (denied) return denied;
    return c.html(dashboardPage(await dashboard(deps, c.get("account"))), 200, PAGE_HEADERS);
  });

  web.get("/c/:id", async (c) => {
    const denied = await signedIn(c);
    if (denied) return denied;
    const account = c.get("account");
    const id = c.req.param("id");
    const page = id.length <= 100 ? await commitmentPage(deps, account, id) : null;
    if (!page)
      return c.html(
        messagePage("No such promise", "It may have been removed, or the link belongs to another account. Your current promises are on the dashboard.", { email: account.email }),
        404,
        PAGE_HEADERS,
      );
    return c.html(commitmentPageHtml(page), 200, PAGE_HEADERS);
  });

  const importing = { db: deps.db, ledger, clock: deps.clock };
  web.post(
    "/api/import",
    identify,
    apiRoute("Import a mailbox: one .mbox or .eml file as the body, or several after a line listing them", {
      description:
        "The body is the file itself, named by ?name= (or the X-File-Name header). For several files read as one mailbox, send ?files=N and a body that starts with a line of JSON " +
        'listing them in order, [{"name":"Sent.mbox","size":1234}, …], followed by the files back to back. Runs in Kept\'s Node server and command line only.',
      requestBody: {
        required: true,
        description: "The mailbox: an .mbox or .eml file, or with ?files=N the line listing the files and then the files",
        content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
      },
      ok: IMPORT_OK,
      errors: IMPORT_ERRORS,
    }),
    check("query", zImportQuery),
    check("header", zImportHeaders),
    (c) => {
      const q = c.req.valid("query");
      return importRoute(c, importing, { from: "upload", name: q.name ?? c.req.valid("header")["x-file-name"], files: q.files });
    },
  );
  web.post(
    "/api/import/sample",
    identify,
    apiRoute("Import Kept's sample mailbox, to try Kept without your own mail", { ok: IMPORT_OK, errors: { ...IMPORT_ERRORS, 400: undefined, 413: undefined } }),
    (c) => importRoute(c, importing, { from: "sample" }),
  );
}
