// What the detector finds in one sent body, as the ledger takes it. Run where the
// body is parsed: the parsing worker loads this module (bundled, see
// bodies.ts), so the body never crosses threads and detection overlaps the
// ledger's writes on the main thread. Pure: only core/detect.
import { detect } from "../../core/detect/index";
import type { DetectionSummary } from "../ledger";

/** What detection needs besides the body: when it was sent, its subject, the user's zone and locale. */
export interface DetectRequest {
  sentAt: number;
  subject: string;
  timeZone: string;
  locale: string;
}

export function detectIn(body: { text: string | null; html: string | null }, req: DetectRequest): DetectionSummary {
  const found = detect({ text: body.text ?? undefined, html: body.html ?? undefined, sentAt: req.sentAt, timeZone: req.timeZone, locale: req.locale, subject: req.subject });
  return {
    commitments: found.commitments.map((c) => ({ sentence: c.sentence, trigger: c.trigger, kind: c.kind, dueDate: c.dueDate })),
    badNews: found.badNews ? { sentence: found.badNews.sentence } : null,
    autoReply: found.autoReply,
  };
}
