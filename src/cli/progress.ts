// Progress: a live bar on a terminal, plain lines otherwise (logs, CI).
import type { NetPruneReport } from '../prune/index.ts';
import type { BackendInfo } from '../backend/backend.ts';
import type { EpochMetrics } from '../train/trainer.ts';

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export class Progress {
  private readonly tty: boolean;
  private epochNo = 1;

  constructor(private readonly stream: NodeJS.WriteStream, private readonly epochs: number, private readonly quiet: boolean) {
    this.tty = Boolean(stream.isTTY) && !quiet;
  }

  private line(text: string): void {
    if (!this.quiet) this.stream.write(`${this.tty ? '\r\x1b[K' : ''}${text}\n`);
  }

  start(info: { backend: BackendInfo; pruning: NetPruneReport; testMajorityRate: number }): void {
    this.line(`backend ${info.backend.name} (${info.backend.detail}); test majority-class rate ${pct(info.testMajorityRate)}`);
    if (info.pruning.kept < info.pruning.total) {
      const layers = info.pruning.layers.map((l) => `L${l.layer} ${l.kept}/${l.total}`).join(', ');
      this.line(`pruned at init: kept ${info.pruning.kept}/${info.pruning.total} weights (${layers})`);
    }
    if (info.pruning.collapse) this.line(`LAYER COLLAPSE: ${info.pruning.reason ?? 'no path from input to output'}; expect the majority-class rate`);
  }

  batch(batch: number, batches: number): void {
    if (!this.tty) return;
    const width = 30;
    const filled = Math.round((batch / batches) * width);
    this.stream.write(`\r\x1b[Kepoch ${this.epochNo}/${this.epochs} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${batch}/${batches}`);
  }

  epoch(m: EpochMetrics, seconds: number): void {
    this.epochNo = m.epoch + 1;
    this.line(
      `epoch ${String(m.epoch).padStart(3)}  loss ${m.trainLoss.toFixed(4)}  train acc ${pct(m.trainAcc)}  test acc ${pct(m.testAcc)}  (${seconds.toFixed(2)} s)`,
    );
  }
}
