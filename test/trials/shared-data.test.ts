// A trials pool hands its workers the data the preflight prepared (in shared
// memory): a worker runs a seed without reading the source's files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareSplitData, sharedTaskedSource } from '../../src/experiment/data-source.ts';
import { parseSpec } from '../../src/experiment/spec.ts';
import { type PoolResult, runPool } from '../../src/experiment/trials/pool.ts';
import { writeIdxSet } from '../helpers/idx-files.ts';

describe('trials workers and the prepared data', () => {
  it('a worker handed the shared data runs a seed whose files are gone; one without it cannot', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'infoplane-pool-data-'));
    writeIdxSet(dir, 500);
    const spec = parseSpec({
      seed: 1,
      threads: 1,
      net: { hidden: [16, 8] },
      train: { epochs: 1 },
      data: { source: `idx:${dir}`, trainSize: 300, testSize: 200 },
    });
    prepareSplitData(spec.data, spec.seed); // as the preflight does
    const data = sharedTaskedSource();
    rmSync(dir, { recursive: true, force: true });
    const run = async (withData: boolean): Promise<PoolResult | undefined> => {
      let result: PoolResult | undefined;
      await runPool([{ id: 0, spec }], 1, (_job, r) => (result = r), undefined, undefined, withData ? data : undefined);
      return result;
    };
    const shared = await run(true);
    expect(shared?.ok ? shared.run.history.at(-1)?.epoch : shared?.message).toBe(1);
    const alone = await run(false);
    expect(alone?.ok ? 'ran' : alone?.message).toMatch(/does not exist/);
  }, 60_000);
});
