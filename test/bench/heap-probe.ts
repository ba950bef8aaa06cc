/**
 * Preloaded into a bench's server process (`-r`), never into the service itself: on SIGUSR2 it
 * runs a full garbage collection and appends the process's memory figures as one JSON line to
 * the file named by HEAP_PROBE_FILE, so a bench can tell memory the service holds from garbage
 * the collector has not reclaimed yet (which resident memory includes).
 */
import { appendFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const file = process.env.HEAP_PROBE_FILE;
if (file) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  process.on('SIGUSR2', () => {
    gc();
    appendFileSync(file, `${JSON.stringify(process.memoryUsage())}\n`);
  });
}
