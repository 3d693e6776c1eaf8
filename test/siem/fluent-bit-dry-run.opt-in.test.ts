/**
 * OPT-IN: runs a real `fluent-bit --dry-run` over every generated config.
 * Only when FLUENT_BIT_BIN points at a Fluent Bit binary (4.2+, which rejects
 * unknown properties); CI has none, and then this suite reports itself as
 * skipped, not passed. The option-name test (fluent-bit-options.test.ts) is
 * what keeps the guarantee in CI.
 *
 *   FLUENT_BIT_BIN=/path/to/fluent-bit npx jest test/siem/fluent-bit-dry-run.opt-in.test.ts
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fluentBitConfigs } from './fluent-bit-matrix';

const BIN = process.env.FLUENT_BIT_BIN;

(BIN ? describe : describe.skip)('OPT-IN (FLUENT_BIT_BIN): fluent-bit --dry-run accepts every generated config', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluent-bit-dry-run-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(fluentBitConfigs())('%s', (name, config) => {
    // The YAML format is chosen by the file extension.
    const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
    fs.writeFileSync(file, config);
    // Credentials are ${VAR} references to Secret-backed variables: give them dummy values.
    const env: Record<string, string> = { ...process.env as Record<string, string> };
    for (const [, variable] of config.matchAll(/\$\{([A-Z0-9_]+)\}/g)) env[variable] = 'dummy-value';
    const result = spawnSync(BIN!, ['--dry-run', '-c', file], { env, encoding: 'utf8', timeout: 30_000 });
    const output = `${result.stdout}${result.stderr}`;
    expect({ status: result.status, problems: output.split('\n').filter((l) => /\[\s*(error|warn)\]/.test(l)) })
      .toEqual({ status: 0, problems: [] });
    expect(output).toMatch(/configuration test is successful/);
  });
});
