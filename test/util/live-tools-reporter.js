/**
 * A jest reporter that ends the run with which live real-tool suites ran and
 * which were held by recorded verdicts (test/util/live-tools.ts): a fresh
 * machine without promtool passes on the recorded verdicts, and says so.
 *
 * Test files log their uses of a program to the file named by LIVE_TOOLS_LOG,
 * which this reporter sets before the test workers start (they inherit it).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

class LiveToolsReporter {
  constructor() {
    this.log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'live-tools-')), 'uses.jsonl');
    process.env.LIVE_TOOLS_LOG = this.log;
  }

  onRunComplete() {
    const uses = fs.existsSync(this.log)
      ? fs.readFileSync(this.log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
      : [];
    fs.rmSync(path.dirname(this.log), { recursive: true, force: true });
    if (uses.length === 0) return;
    const byTool = new Map();
    for (const { tool, use, testPath } of uses) {
      if (!byTool.has(tool)) byTool.set(tool, { live: new Set(), recorded: new Set(), skipped: new Set() });
      byTool.get(tool)[use].add(path.relative(process.cwd(), testPath));
    }
    const lines = ['', 'Live real-tool suites:'];
    const files = (set) => [...set].sort().join(', ');
    for (const [tool, { live, recorded, skipped }] of [...byTool].sort(([a], [b]) => a.localeCompare(b))) {
      if (live.size > 0) lines.push(`  ${tool}: ran live in ${files(live)}`);
      if (recorded.size > 0) lines.push(`  ${tool}: not on this machine, held by recorded verdicts in ${files(recorded)}`);
      if (skipped.size > 0) lines.push(`  ${tool}: not on this machine, live suites skipped in ${files(skipped)}`);
    }
    const missing = [...byTool.values()].some(({ live }) => live.size === 0);
    if (missing) lines.push('  (REQUIRE_LIVE_TOOLS=1, as .ci/run sets, makes a missing program an error)');
    // After jest's own summary (its SummaryReporter always reports last): when jest exits.
    // Writes to stderr are synchronous on files, pipes and terminals, so none is lost.
    process.once('exit', () => process.stderr.write(`${lines.join('\n')}\n`));
  }
}

module.exports = LiveToolsReporter;
