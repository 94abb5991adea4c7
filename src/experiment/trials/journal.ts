// trials.jsonl: the append-only journal of finished seeds. One JSON line per
// seed, written with a single append and fsynced before the next, so a kill
// at any moment leaves whole lines plus at most one truncated tail. Opening
// the journal for writing truncates the file to its last newline (dropping
// that tail: the seed runs again); reading refuses a corrupt complete line
// rather than guessing.
import { appendFileSync, closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import type { TrialRecord } from './record.ts';
import { recordLine } from './record.ts';

export const JOURNAL_FILE = 'trials.jsonl';

export interface JournalContents {
  records: TrialRecord[];
  /** Bytes of an unterminated last line (0 when the file ends in a newline). */
  truncatedTail: number;
  /** Bytes up to and including the last newline: what stays when the tail is cut. */
  completeBytes: number;
  /** Seeds that appeared more than once (only the first line is kept). */
  duplicates: number[];
}

/** Parses journal bytes; an unterminated last line is reported, not parsed. */
export function parseJournal(bytes: Uint8Array, where: string): JournalContents {
  const completeBytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).lastIndexOf(10) + 1;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, completeBytes).toString('utf8');
  const records: TrialRecord[] = [];
  const seen = new Set<string>();
  const duplicates: number[] = [];
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((line, i) => {
    let record: TrialRecord;
    try {
      record = JSON.parse(line) as TrialRecord;
      if (typeof record?.seed !== 'number' || typeof record.specHash !== 'string') throw new Error('not a trial record');
    } catch (err) {
      throw new Error(
        `${where}: line ${i + 1} is corrupt (${(err as Error).message}); it is not the last line, so this is not an interrupted write — inspect or remove it by hand`,
      );
    }
    const key = `${record.specHash}/${record.seed}`;
    if (seen.has(key)) duplicates.push(record.seed);
    else {
      seen.add(key);
      records.push(record);
    }
  });
  return { records, truncatedTail: bytes.byteLength - completeBytes, completeBytes, duplicates };
}

export function readJournal(path: string): JournalContents {
  if (!existsSync(path)) return { records: [], truncatedTail: 0, completeBytes: 0, duplicates: [] };
  return parseJournal(readFileSync(path), path);
}

/** An open journal: appends are durable (fsync) one line at a time. */
export class JournalWriter {
  private constructor(private fd: number) {}

  /** Opens for appending, first cutting an interrupted last line off the file. */
  static open(path: string): { writer: JournalWriter; contents: JournalContents } {
    const contents = readJournal(path);
    const fd = openSync(path, 'a');
    if (contents.truncatedTail > 0) {
      ftruncateSync(fd, contents.completeBytes);
      fsyncSync(fd);
    }
    return { writer: new JournalWriter(fd), contents };
  }

  append(record: TrialRecord): void {
    appendFileSync(this.fd, recordLine(record) + '\n');
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
