// Runs test/browser/setup.sh once before the browser tests: its answer (a
// Chromium path, or why there is none) reaches the test workers through the
// environment, which they inherit.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function globalSetup() {
  const r = spawnSync('bash', [path.join(__dirname, 'setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60 * 1000 });
  if (r.status === 0) {
    process.env.BERTH_CHROMIUM = r.stdout.trim();
    if (r.stderr.trim()) process.stderr.write(r.stderr);
  } else {
    process.env.BERTH_BROWSER_SKIP = (r.stderr || r.error?.message || `setup.sh exited ${r.status}`).trim().split('\n').pop();
    process.stderr.write(`\nbrowser tests SKIPPED: ${process.env.BERTH_BROWSER_SKIP}\n`);
  }
};
