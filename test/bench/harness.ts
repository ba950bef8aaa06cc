/**
 * Tiny benchmark harness: every figure is printed beside a baseline measured in the same run,
 * as a ratio, with the target it is held to. Timings come from repeated rounds (the median),
 * with baseline and subject interleaved so machine noise hits both alike.
 */
export interface Figure {
  readonly name: string;
  readonly subject: number;
  readonly baseline: number;
  readonly unit: string;
  /** subject / baseline */
  readonly ratio: number;
  readonly target: string;
  readonly met: boolean;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` and returns its throughput in operations per second. */
export async function throughput(operations: number, fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return operations / seconds;
}

/**
 * Measures a throughput ratio (higher is better for both): the median over `rounds` of the
 * subject and of the baseline, alternating which goes first.
 */
export async function compareThroughput(
  name: string,
  rounds: number,
  operations: number,
  unit: string,
  minRatio: number,
  baseline: () => Promise<number>,
  subject: () => Promise<number>,
): Promise<Figure> {
  const baselines: number[] = [];
  const subjects: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      baselines.push(await baseline());
      subjects.push(await subject());
    } else {
      subjects.push(await subject());
      baselines.push(await baseline());
    }
  }
  const s = median(subjects);
  const b = median(baselines);
  const figure: Figure = {
    name,
    subject: s,
    baseline: b,
    unit,
    ratio: s / b,
    target: `>= ${minRatio}`,
    met: s / b >= minRatio,
  };
  printFigure(figure, operations);
  return figure;
}

export function printFigure(figure: Figure, operations?: number): void {
  const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 100 ? 2 : 0 });
  console.log(
    `${figure.met ? 'MET   ' : 'MISSED'} ${figure.name}: ratio ${figure.ratio.toFixed(2)} (target ${figure.target}); ` +
      `ours ${fmt(figure.subject)} ${figure.unit}, baseline ${fmt(figure.baseline)} ${figure.unit}` +
      (operations ? ` [${fmt(operations)} ops per round]` : ''),
  );
}

export function printInfo(label: string, value: string): void {
  console.log(`INFO   ${label}: ${value}`);
}

export function rssMiB(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}
