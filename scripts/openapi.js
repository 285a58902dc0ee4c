// Writes openapi.json from the built service (`npm run openapi`); a test fails when the committed file is stale.
// It starts the service on an embedded database in a temporary directory: nothing else needs to run.
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { loadConfig } = require('../dist/src/config/app-config');
const { start } = require('../dist/src/bootstrap');

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'signalbox-openapi-'));
  const started = await start(
    loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ADMIN_API_KEY: 'x'.repeat(32) }),
  );
  try {
    const document = await (await fetch(`${started.url}/docs-json`)).json();
    writeFileSync(resolve(__dirname, '..', 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
    console.log(`openapi.json: ${Object.keys(document.paths).length} paths`);
  } finally {
    await started.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
