/**
 * Runs every `bench/*.bench.ts` in its own process (so one benchmark's heap
 * does not skew the next) and fails if any of them fails.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const benches = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).sort();
let failed = 0;
for (const bench of benches) {
  console.log(`\n##### ${bench}`);
  const result = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', path.join(__dirname, bench)], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${bench} failed with exit code ${result.status}`);
    failed++;
  }
}
console.log(failed > 0 ? `\n${failed} of ${benches.length} benchmarks failed` : `\nall ${benches.length} benchmarks ran`);
process.exit(failed > 0 ? 1 : 0);
