import { describe, expect, it } from "vitest";
import { AddressTally, assignThreads, baseSubject, inferOwnAddresses, type AddressEvidence, type ThreadMessage } from "./threads";

const day = 86_400_000;
const T0 = Date.UTC(2026, 9, 5, 9);
const msg = (id: string, p: Partial<ThreadMessage> = {}): ThreadMessage => ({
  messageId: id,
  inReplyTo: null,
  references: [],
  subject: "Role",
  date: T0,
  from: "sam@example.com",
  recipients: ["priya@example.org"],
  ...p,
});

describe("assignThreads", () => {
  it("joins by In-Reply-To and References and names the thread after its root", () => {
    const ids = assignThreads([
      msg("a", { date: T0 }),
      msg("b", { inReplyTo: "a", references: ["a"], date: T0 + day }),
      msg("c", { inReplyTo: "b", references: ["a", "b"], date: T0 + 2 * day }),
      msg("x", { subject: "Other", date: T0 }),
    ]);
    expect(ids).toEqual(["a", "a", "a", "x"]);
  });

  it("gives the same id when the root is missing and in any input order", () => {
    const b = msg("b", { inReplyTo: "a", references: ["a"], date: T0 + day });
    const c = msg("c", { inReplyTo: "b", references: ["a", "b"], date: T0 + 2 * day });
    expect(assignThreads([c, b])).toEqual(["a", "a"]);
    // A reply that lost its References still joins via In-Reply-To.
    const d = msg("d", { inReplyTo: "c", date: T0 + 3 * day });
    expect(assignThreads([d, c, b])).toEqual(["a", "a", "a"]);
  });

  it("joins a reference-less Re: to the earlier message with the same subject and person", () => {
    const ids = assignThreads(
      [
        msg("a", { subject: "Senior Analyst", date: T0 }),
        msg("b", { subject: "RE: Senior Analyst", date: T0 + day, from: "priya@example.org", recipients: ["sam@example.com"] }),
        // Same subject, different person: stays apart.
        msg("c", { subject: "Re: Senior Analyst", date: T0 + day, from: "omar@example.net", recipients: ["sam@example.com"] }),
        // Fwd: never joins by subject.
        msg("d", { subject: "Fwd: Senior Analyst", date: T0 + day, recipients: ["priya@example.org"] }),
        // Too late.
        msg("e", { subject: "Re: Senior Analyst", date: T0 + 90 * day, from: "priya@example.org", recipients: ["sam@example.com"] }),
      ],
      { me: ["sam@example.com"] },
    );
    expect(ids).toEqual(["a", "a", "c", "d", "e"]);
  });

  it("strips prefixes and tags from subjects", () => {
    expect(baseSubject("RE: Fwd: [EXT] Re[2]:  Senior  Analyst ")).toBe("senior analyst");
  });
});

const ev = (p: Partial<AddressEvidence>): AddressEvidence => ({
  from: null,
  recipients: [],
  deliveredTo: null,
  folderHint: null,
  listMail: false,
  autoReply: false,
  ...p,
});

describe("inferOwnAddresses", () => {
  it("prefers --me", () => {
    expect(inferOwnAddresses(new AddressTally(), [" Sam@Example.com ", "sam@example.com"])).toMatchObject({
      addresses: ["sam@example.com"],
      method: "given",
    });
  });

  it("uses the Sent folder's From addresses, aliases included, a stray message not", () => {
    const t = new AddressTally();
    for (let i = 0; i < 30; i++) t.add(ev({ from: "sam@example.com", folderHint: "sent" }));
    for (let i = 0; i < 5; i++) t.add(ev({ from: "sam.taylor@example.net", folderHint: "sent" }));
    t.add(ev({ from: "someone@example.org", folderHint: "sent" }));
    expect(inferOwnAddresses(t)).toMatchObject({ addresses: ["sam@example.com", "sam.taylor@example.net"], method: "sent-folder" });
  });

  it("without a Sent folder, picks the address on most personal mail, not the most frequent sender", () => {
    const t = new AddressTally();
    for (let i = 0; i < 50; i++) t.add(ev({ from: "news@example.net", recipients: ["sam@example.com"], listMail: true }));
    for (let i = 0; i < 12; i++) t.add(ev({ from: "boss@example.org", recipients: ["sam@example.com"] }));
    for (let i = 0; i < 8; i++) t.add(ev({ from: "sam@example.com", recipients: ["boss@example.org"] }));
    for (let i = 0; i < 3; i++) t.add(ev({ from: "priya@example.org", recipients: ["sam@example.com"] }));
    expect(inferOwnAddresses(t)).toMatchObject({ addresses: ["sam@example.com"], method: "participation" });
  });

  it("gives up rather than guess, also on a tie", () => {
    const tie = new AddressTally();
    tie.add(ev({ from: "a@example.com", recipients: ["b@example.com"] }));
    tie.add(ev({ from: "b@example.com", recipients: ["a@example.com"] }));
    expect(inferOwnAddresses(tie).method).toBe("none");
    const t = new AddressTally();
    t.add(ev({ from: "a@example.com", recipients: ["b@example.com"] }));
    t.add(ev({ from: "c@example.com", recipients: ["d@example.com"] }));
    t.add(ev({ from: "e@example.com", recipients: ["f@example.com"] }));
    expect(inferOwnAddresses(t).method).toBe("none");
  });

  it("uses the addresses Kept knows where the mailbox shows them, and ignores those it doesn't", () => {
    // A tie, with a saved address on the messages: the saved one is the user.
    const tie = new AddressTally();
    tie.add(ev({ from: "a@example.com", recipients: ["b@example.com"] }));
    tie.add(ev({ from: "b@example.com", recipients: ["a@example.com"] }));
    expect(inferOwnAddresses(tie, undefined, ["A@Example.com"])).toEqual({ addresses: ["a@example.com"], method: "saved", detail: "the addresses saved in Kept" });
    // A saved address that appears nowhere (the sample's) says nothing: still a tie.
    expect(inferOwnAddresses(tie, undefined, ["sam.taylor@example.com"]).method).toBe("none");
    // One received message: a guess would take its sender for the user; the saved recipient wins.
    const one = new AddressTally();
    one.add(ev({ from: "alice@example.com", recipients: ["me@example.com"] }));
    expect(inferOwnAddresses(one).addresses).toEqual(["alice@example.com"]);
    expect(inferOwnAddresses(one, undefined, ["me@example.com"])).toMatchObject({ addresses: ["me@example.com"], method: "saved" });
    // A Sent folder is evidence of its own: saved addresses join it.
    const sent = new AddressTally();
    sent.add(ev({ from: "sam@example.com", recipients: ["x@example.org"], folderHint: "sent" }));
    expect(inferOwnAddresses(sent, undefined, ["sam.alias@example.net", "sam@example.com"])).toMatchObject({ addresses: ["sam@example.com", "sam.alias@example.net"], method: "sent-folder" });
    // --me is the user's word: it stands alone.
    expect(inferOwnAddresses(sent, ["me@example.com"], ["sam@example.com"]).addresses).toEqual(["me@example.com"]);
  });
});
