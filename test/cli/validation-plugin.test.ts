/**
 * The cdk8s CLI validation plugin, driven through the CLI's own plugin types
 * (cdk8s-cli/plugins): `cdk8s synth` fails on the findings `check` reports.
 * test/consumer/consumer.ts runs it from the installed package under the real
 * `cdk8s synth` of a registry cdk8s-cli.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Validation, ValidationContext } from 'cdk8s-cli/plugins';
import { parse } from 'yaml';
import { buildDefaultApp } from '../../examples/default/main';
import { SecurityMonitoringValidation, SecurityMonitoringValidationProps } from '../../src';

const BROKEN_RULE = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: broken-rules
  namespace: monitoring
spec:
  groups:
    - name: security
      rules:
        - alert: Broken
          expr: rate(http_requests_total[5m] > 1
`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validation-plugin-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * The plugin as the CLI types it. The CLI's context has `manifests: readonly string[]`, which jsii
 * cannot express (the plugin only reads it); every other member must fit ICdk8sValidationContext.
 */
const asCliPlugin = (plugin: SecurityMonitoringValidation): Validation => ({
  validate: (context) => plugin.validate(context as Omit<ValidationContext, 'manifests'> & { manifests: string[] }),
});

async function validate(manifests: string[], plugin = new SecurityMonitoringValidation({ tools: false })) {
  const context = new ValidationContext(manifests, 'cdk8s-security-monitoring', '0.0.0', { 'broken-rules': { path: 'app/chart/rules' } });
  await asCliPlugin(plugin).validate(context);
  return { success: context.report.success, report: context.report.toJson() };
}

test('the default stack passes, with the counts in the summary', async () => {
  buildDefaultApp(dir).synth();
  const { success, report } = await validate(fs.readdirSync(dir).map((f) => path.join(dir, f)));
  expect(success).toBe(true);
  expect(report.violations).toEqual([]);
  expect(report.summary.metadata).toEqual({ errors: '0', warnings: '0' });
});

test('a broken PromQL expression fails the report, attributed to its object, construct and line', async () => {
  const file = path.join(dir, 'rules.k8s.yaml');
  fs.writeFileSync(file, BROKEN_RULE);
  const { success, report } = await validate([file]);
  expect(success).toBe(false);
  expect(report.summary.metadata).toMatchObject({ errors: '1' });
  const errors = report.violations.filter((v) => v.ruleName === 'PrometheusRule error');
  expect(errors).toHaveLength(1);
  const [violation] = errors;
  expect(violation.recommendation).toMatch(/expr/);
  expect(violation.fix).toBe(`${file}:11 error PrometheusRule/monitoring/broken-rules [${violation.violatingConstructs[0].locations[0]}]: ${violation.recommendation}`);
  expect(violation.violatingConstructs).toEqual([{
    resourceName: 'broken-rules', constructPath: 'app/chart/rules', manifestPath: file, locations: [expect.stringContaining('Broken'), 'line 11'],
  }]);
});

test('properties from cdk8s.yaml reach the checks: strict makes warnings fail', async () => {
  const file = path.join(dir, 'rules.k8s.yaml');
  fs.writeFileSync(file, BROKEN_RULE.replace('rate(http_requests_total[5m] > 1', 'up == 0'));
  const lenient = await validate([file]);
  const strict = await validate([file], new SecurityMonitoringValidation({ tools: false, strict: true }));
  expect(Number(lenient.report.summary.metadata!.warnings)).toBeGreaterThan(0);
  expect(lenient.success).toBe(true);
  expect(strict.success).toBe(false);
});

test('the README names the plugin as cdk8s.yaml must: this package, this class, the properties of its props', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = /```yaml\n(validations:[\s\S]*?)```/.exec(readme)![1];
  const [entry] = parse(block).validations;
  expect(entry.package).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).name);
  expect(entry.class).toBe(SecurityMonitoringValidation.name);
  expect(entry.version).toMatch(/^\d+\.\d+\.\d+$/); // the CLI refuses ranges
  const props: Required<SecurityMonitoringValidationProps> = { strict: true, tools: false, falcoUpstream: 'falco_rules.yaml' };
  expect(Object.keys(entry.properties).sort()).toEqual(Object.keys(props).sort());
});
