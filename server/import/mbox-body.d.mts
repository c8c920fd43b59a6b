export function finishMboxBody(buf: Buffer): Buffer;
export function messageFromMboxBytes(data: Buffer): Buffer;
export interface MailRef {
  source: string;
  offset: number | null;
  rawLength: number;
}
export class SyncRereader {
  read(ref: MailRef): Buffer;
  close(): void;
}
