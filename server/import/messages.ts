// What scan keeps about every message between its two passes, in flat arrays: a
// message costs its Message-ID and a few dozen bytes of numbers, not an object
// graph (100,000 messages' objects were most of a scan's heap, and so of its peak).
import type { Counterpart } from "../../core/model";
import { grow } from "./threads";

export interface MessageFacts {
  messageId: string;
  syntheticId: boolean;
  subject: string;
  date: number;
  from: Counterpart | null;
  to: Counterpart[];
  cc: Counterpart[];
  autoReply: boolean;
  listMail: boolean;
}

export interface MessagePlace {
  source: string;
  index: number;
  offset: number | null;
  rawLength: number;
}

const SYNTHETIC = 1;
const AUTO_REPLY = 2;
const LIST_MAIL = 4;

export class MessageTable {
  length = 0;
  readonly messageId: string[] = [];
  // The same people, subjects and files recur across thousands of messages: one copy each.
  private readonly sources: string[] = [];
  private readonly sourceIndex = new Map<string, number>();
  private readonly subjects: string[] = [];
  private readonly subjectIndex = new Map<string, number>();
  private readonly people: Counterpart[] = [];
  private readonly personIndex = new Map<string, number>();
  private date = new Float64Array(1024);
  private offset = new Float64Array(1024); // -1: not in an mbox
  private rawLength = new Float64Array(1024);
  private index = new Int32Array(1024);
  private source = new Int32Array(1024);
  private subject = new Int32Array(1024);
  private from = new Int32Array(1024); // -1: no sender
  private flags = new Uint8Array(1024);
  private toCount = new Int32Array(1024);
  /** To then Cc of message i: people[recipients[recipientsAt[i] .. recipientsAt[i + 1]]]. */
  private recipientsAt = new Int32Array(1025);
  private recipients = new Int32Array(4096);
  private recipientsLen = 0;

  /** The shared copy of a person (the one later messages' addresses are the same string as). */
  person(c: Counterpart): Counterpart {
    return this.people[this.personId(c)];
  }

  /** The shared copy of a subject. */
  subjectOf(s: string): string {
    return this.subjects[this.subjectId(s)];
  }

  add(m: MessageFacts, at: MessagePlace): number {
    const i = this.length++;
    if (i === this.date.length) this.grow();
    this.messageId.push(m.messageId);
    let s = this.sourceIndex.get(at.source);
    if (s === undefined) {
      s = this.sources.push(at.source) - 1;
      this.sourceIndex.set(at.source, s);
    }
    this.source[i] = s;
    this.index[i] = at.index;
    this.offset[i] = at.offset ?? -1;
    this.rawLength[i] = at.rawLength;
    this.date[i] = m.date;
    this.subject[i] = this.subjectId(m.subject);
    this.from[i] = m.from ? this.personId(m.from) : -1;
    this.flags[i] = (m.syntheticId ? SYNTHETIC : 0) | (m.autoReply ? AUTO_REPLY : 0) | (m.listMail ? LIST_MAIL : 0);
    const n = m.to.length + m.cc.length;
    if (this.recipientsLen + n > this.recipients.length) this.recipients = grow(this.recipients, this.recipientsLen + n);
    for (const c of m.to) this.recipients[this.recipientsLen++] = this.personId(c);
    for (const c of m.cc) this.recipients[this.recipientsLen++] = this.personId(c);
    this.toCount[i] = m.to.length;
    this.recipientsAt[i + 1] = this.recipientsLen;
    return i;
  }

  dateOf(i: number): number {
    return this.date[i];
  }
  subjectAt(i: number): string {
    return this.subjects[this.subject[i]];
  }
  fromOf(i: number): Counterpart | null {
    return this.from[i] < 0 ? null : this.people[this.from[i]];
  }
  toOf(i: number): Counterpart[] {
    return this.peopleIn(this.recipientsAt[i], this.recipientsAt[i] + this.toCount[i]);
  }
  ccOf(i: number): Counterpart[] {
    return this.peopleIn(this.recipientsAt[i] + this.toCount[i], this.recipientsAt[i + 1]);
  }
  syntheticId(i: number): boolean {
    return (this.flags[i] & SYNTHETIC) !== 0;
  }
  autoReply(i: number): boolean {
    return (this.flags[i] & AUTO_REPLY) !== 0;
  }
  listMail(i: number): boolean {
    return (this.flags[i] & LIST_MAIL) !== 0;
  }
  placeOf(i: number): MessagePlace {
    return { source: this.sources[this.source[i]], index: this.index[i], offset: this.offset[i] < 0 ? null : this.offset[i], rawLength: this.rawLength[i] };
  }

  private peopleIn(from: number, to: number): Counterpart[] {
    const out: Counterpart[] = [];
    for (let k = from; k < to; k++) out.push(this.people[this.recipients[k]]);
    return out;
  }

  private personId(c: Counterpart): number {
    const key = `${c.address}\u0000${c.name ?? ""}`;
    let p = this.personIndex.get(key);
    if (p === undefined) {
      p = this.people.push(c) - 1;
      this.personIndex.set(key, p);
    }
    return p;
  }

  private subjectId(s: string): number {
    let k = this.subjectIndex.get(s);
    if (k === undefined) {
      k = this.subjects.push(s) - 1;
      this.subjectIndex.set(s, k);
    }
    return k;
  }

  private grow() {
    const cap = this.date.length * 2;
    this.date = grow(this.date, cap);
    this.offset = grow(this.offset, cap);
    this.rawLength = grow(this.rawLength, cap);
    this.index = grow(this.index, cap);
    this.source = grow(this.source, cap);
    this.subject = grow(this.subject, cap);
    this.from = grow(this.from, cap);
    this.flags = grow(this.flags, cap);
    this.toCount = grow(this.toCount, cap);
    this.recipientsAt = grow(this.recipientsAt, cap + 1);
  }
}
