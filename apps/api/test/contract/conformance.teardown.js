// Prints the run's total of answers and SSE messages validated against the OpenAPI document.
const { readdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

module.exports = () => {
  const dir = process.env.CONFORMANCE_DIR;
  if (!dir) return;
  let total = 0;
  for (const file of readdirSync(dir))
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) total += Number(line) || 0;
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `\nconformance: ${total} HTTP answers and SSE messages validated against the OpenAPI document\n`,
  );
};
