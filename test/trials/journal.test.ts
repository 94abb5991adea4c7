// The journal survives a kill at any byte: an unterminated last line is cut
// off when the journal is reopened (that seed runs again), a corrupt complete
// line is refused, duplicates are dropped.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalWriter, parseJournal, readJournal } from '../../src/experiment/trials/journal.ts';
import { errorRecord, recordLine } from '../../src/experiment/trials/record.ts';

const line = (seed: number) => recordLine(errorRecord('abc', seed, `message ${seed} — ünïcode`)) + '\n';
const bytes = (s: string) => new TextEncoder().encode(s);

describe('trials.jsonl', () => {
  it('parses whole lines and reports an unterminated tail without parsing it', () => {
    const whole = line(1) + line(2);
    const cut = line(3).slice(0, 40);
    const c = parseJournal(bytes(whole + cut), 'j');
    expect(c.records.map((r) => r.seed)).toEqual([1, 2]);
    expect(c.truncatedTail).toBe(Buffer.byteLength(cut));
    expect(c.completeBytes).toBe(Buffer.byteLength(whole));
    // A complete JSON object without its newline is still an interrupted write.
    expect(parseJournal(bytes(whole + line(3).trimEnd()), 'j').records).toHaveLength(2);
  });

  it('cuts the tail at every possible kill point, byte by byte, multi-byte characters included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infoplane-journal-'));
    const whole = line(1) + line(2);
    const third = line(3);
    for (let k = 0; k < Buffer.byteLength(third); k += 7) {
      const path = join(dir, `j${k}.jsonl`);
      writeFileSync(path, Buffer.concat([Buffer.from(whole), Buffer.from(third).subarray(0, k)]));
      const { writer, contents } = JournalWriter.open(path);
      expect(contents.records.map((r) => r.seed)).toEqual([1, 2]);
      writer.append(errorRecord('abc', 3, 'again'));
      writer.close();
      const after = readFileSync(path, 'utf8');
      expect(after.startsWith(whole)).toBe(true);
      expect(readJournal(path).records.map((r) => r.seed)).toEqual([1, 2, 3]);
      expect(after.endsWith('\n')).toBe(true);
    }
  });

  it('refuses a corrupt line that is not the last one', () => {
    expect(() => parseJournal(bytes(line(1) + '{"seed": 2, garbage\n' + line(3)), 'x.jsonl')).toThrow(/x\.jsonl: line 2 is corrupt/);
    expect(() => parseJournal(bytes('{"hello": 1}\n'), 'x.jsonl')).toThrow(/line 1 is corrupt \(not a trial record\)/);
  });

  it('keeps the first line of a seed that appears twice and says so', () => {
    const c = parseJournal(bytes(line(1) + line(2) + line(1)), 'j');
    expect(c.records.map((r) => r.seed)).toEqual([1, 2]);
    expect(c.duplicates).toEqual([1]);
  });

  it('appends whole lines to a fresh file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'infoplane-journal-')), 'new.jsonl');
    const { writer, contents } = JournalWriter.open(path);
    expect(contents.records).toEqual([]);
    writer.append(errorRecord('abc', 9, 'x'));
    writer.close();
    appendFileSync(path, '{"specHash":"abc","se');
    expect(readJournal(path)).toMatchObject({ records: [{ seed: 9 }], truncatedTail: 21 });
  });
});
