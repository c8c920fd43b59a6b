// Worker thread for scan's second pass: full MIME parses of the user's sent
// messages with postal-mime, off the main thread. Plain JS so it loads the same
// under node, tsx and vitest.
import { parentPort } from "node:worker_threads";
import PostalMime from "postal-mime";

parentPort.on("message", async ({ id, bytes }) => {
  try {
    const email = await PostalMime.parse(bytes, { attachmentEncoding: "arraybuffer" });
    parentPort.postMessage({ id, text: email.text ?? null, html: email.html ?? null });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e?.message ?? e) });
  }
});
