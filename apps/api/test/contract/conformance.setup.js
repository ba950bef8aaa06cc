// A folder where each test process adds how many answers it validated against the OpenAPI document.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = () => {
  process.env.CONFORMANCE_DIR = mkdtempSync(join(tmpdir(), 'squad-conformance-'));
};
