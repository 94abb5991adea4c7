// Progress: a live bar on a terminal, plain lines otherwise (logs, CI). A
// long run (more than LONG_RUN epochs, e.g. the IDNNs preset's 8 000) prints
// a summary line every K epochs, about SUMMARY_LINES in all, instead of a
// line per epoch; on a terminal the current epoch still shows on a live line.
import type { NetPruneReport } from '../prune/index.ts';
import type { BackendInfo } from '../backend/backend.ts';
import type { EpochMetrics } from '../train/trainer.ts';

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
export const LONG_RUN = 50;
const SUMMARY_LINES = 40;

/** Epochs between summary lines: 1 up to LONG_RUN epochs, then about epochs / SUMMARY_LINES. */
export function summaryEvery(epochs: number): number {
  return epochs <= LONG_RUN ? 1 : Math.ceil(epochs / SUMMARY_LINES);
}

export function duration(seconds: number): string {
  return seconds < 90 ? `${seconds.toFixed(0)} s` : seconds < 5400 ? `${(seconds / 60).toFixed(1)} min` : `${(seconds / 3600).toFixed(1)} h`;
}

export class Progress {
  private readonly tty: boolean;
  private readonly every: number;
  private epochNo = 1;
  private spanStart: EpochMetrics | undefined;
  private spanSeconds = 0;
  private totalSeconds = 0;
  private best = -Infinity;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly epochs: number,
    private readonly quiet: boolean,
  ) {
    this.tty = Boolean(stream.isTTY) && !quiet;
    this.every = summaryEvery(epochs);
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
    if (this.every > 1) this.line(`${this.epochs} epochs: a summary line every ${this.every} epochs`);
  }

  batch(batch: number, batches: number): void {
    if (!this.tty) return;
    const width = 30;
    const filled = Math.round((batch / batches) * width);
    this.stream.write(`\r\x1b[Kepoch ${this.epochNo}/${this.epochs} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${batch}/${batches}`);
  }

  epoch(m: EpochMetrics, seconds: number): void {
    this.epochNo = m.epoch + 1;
    this.spanStart ??= m;
    this.spanSeconds += seconds;
    this.totalSeconds += seconds;
    if (Number.isFinite(m.testAcc)) this.best = Math.max(this.best, m.testAcc);
    if (this.every === 1) {
      this.line(
        `epoch ${String(m.epoch).padStart(3)}  loss ${m.trainLoss.toFixed(4)}  train acc ${pct(m.trainAcc)}  test acc ${pct(m.testAcc)}  (${seconds.toFixed(2)} s)`,
      );
      this.spanStart = undefined;
      return;
    }
    if (m.epoch % this.every !== 0 && m.epoch !== this.epochs) return;
    const first = this.spanStart;
    const eta = (this.totalSeconds / m.epoch) * (this.epochs - m.epoch);
    this.line(
      `epochs ${first.epoch}–${m.epoch}/${this.epochs}  loss ${first.trainLoss.toFixed(4)} → ${m.trainLoss.toFixed(4)}  test acc ${pct(m.testAcc)} (best ${pct(this.best)})` +
        `  ${(this.spanSeconds / (m.epoch - first.epoch + 1)).toFixed(3)} s/epoch${m.epoch < this.epochs ? `  ETA ${duration(eta)}` : ''}`,
    );
    this.spanStart = undefined;
    this.spanSeconds = 0;
  }
}
