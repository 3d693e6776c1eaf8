/**
 * `fluent-bit --dry-run` accepts every generated config (fluent-bit-matrix.ts):
 * Fluent Bit 5.1 rejects unknown plugins and unknown properties there. Its
 * verdicts are recorded in __verdicts__/fluent-bit-dry-run.test.ts.json, keyed
 * by config content (test/util/recorded-tool.ts): with a Fluent Bit binary
 * the check runs live and must agree with the record; without one (CI) the
 * record is replayed, and a config nobody has recorded fails with the command
 * that records it:
 *
 *   FLUENT_BIT_BIN=/path/to/fluent-bit npx projen verdicts test/siem/fluent-bit-dry-run.test.ts
 *
 * To have a new config checked, add it to fluent-bit-matrix.ts and record.
 */
import { fluentBitConfigs } from './fluent-bit-matrix';
import { FLUENT_BIT } from '../util/live-tools';
import { runRecorded } from '../util/recorded-tool';

/**
 * Credentials are `${VAR}` references to Secret-backed variables. An unset one only
 * warns at --dry-run; dummy values keep the warning out and the verdict independent
 * of the machine's environment.
 */
const withDummyCredentials = (config: string) => config.replace(/\$\{[A-Z0-9_]+\}/g, 'dummy-value');

describe('fluent-bit --dry-run accepts every generated config (recorded verdicts)', () => {
  test.each(fluentBitConfigs())('%s', (_name, config) => {
    // The YAML format is chosen by the file extension.
    const run = runRecorded(FLUENT_BIT, ['--dry-run', '-c', 'fluent-bit.yaml'], { 'fluent-bit.yaml': withDummyCredentials(config) });
    const output = `${run.stdout}${run.stderr}`;
    expect({ ok: run.ok, problems: output.split('\n').filter((l) => /\[\s*(error|warn)\]/.test(l)) }).toEqual({ ok: true, problems: [] });
    expect(output).toMatch(/configuration test is successful/);
  });
});
