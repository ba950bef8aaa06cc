import 'reflect-metadata';
import { startApi } from './bootstrap';
import { InvalidEnvironmentError } from './config/environment';

startApi().catch((error: unknown) => {
  // Nothing is listening yet: say why on stderr as one JSON line and exit non-zero.
  const message = error instanceof InvalidEnvironmentError ? error.message : String((error as Error)?.stack ?? error);
  process.stderr.write(`${JSON.stringify({ level: 'fatal', context: 'bootstrap', msg: message })}\n`);
  process.exit(1);
});
