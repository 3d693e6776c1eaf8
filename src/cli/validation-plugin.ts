import { runCheck } from './check';
import { CheckDiagnostic, formatDiagnostic } from './diagnostic';
import { optionalArgument, requiredArgument } from '../common/arguments';

/**
 * A resource that breaks a rule, as the cdk8s CLI's validation report takes it.
 */
export interface Cdk8sViolatingResource {
  /** The object's `metadata.name`: the CLI maps it to the construct path. */
  readonly resourceName: string;
  /** Where in the object: the item and the line of the manifest. */
  readonly locations: string[];
  /** The manifest file the object is in. */
  readonly manifestPath: string;
}

/**
 * A violation, as the cdk8s CLI's validation report takes it.
 */
export interface Cdk8sValidationViolation {
  /** What kind of check failed. */
  readonly ruleName: string;
  /** What is wrong, where and how to fix it: the message `check` prints. */
  readonly recommendation: string;
  /** The finding as `cdk8s-security-monitoring check` prints it (file:line object [item]: message). */
  readonly fix: string;
  /** The objects it is about. */
  readonly violatingResources: Cdk8sViolatingResource[];
}

/**
 * The report of a validation plugin: what the cdk8s CLI passes as `context.report`.
 */
export interface ICdk8sValidationReport {
  /** Adds a violation to the report. */
  addViolation(violation: Cdk8sValidationViolation): void;
  /** Finishes the report: `success` or `failure`, with metadata shown in its summary. */
  submit(status: string, metadata?: { [key: string]: string }): void;
}

/**
 * What the cdk8s CLI passes to a validation plugin's `validate(context)`.
 */
export interface ICdk8sValidationContext {
  /** The synthesized manifest files. */
  readonly manifests: string[];
  /** The report to fill in. */
  readonly report: ICdk8sValidationReport;
}

/**
 * Options of the validation plugin: the `properties` of its entry in cdk8s.yaml.
 */
export interface SecurityMonitoringValidationProps {
  /**
   * Also run promtool and amtool when they are on PATH.
   * @default true
   */
  readonly tools?: boolean;
  /**
   * Warnings fail the validation too.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * The upstream Falco ruleset (a falco_rules.yaml path) that rules files load after.
   * @default - names the rules files cannot resolve are warnings
   */
  readonly falcoUpstream?: string;
}

/**
 * A cdk8s CLI validation plugin running the checks of `cdk8s-security-monitoring check`
 * on the synthesized manifests, so that `cdk8s synth` fails on the same errors.
 *
 * In cdk8s.yaml:
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-security-monitoring
 *     version: 1.2.3          # the installed version: the CLI takes no ranges
 *     class: SecurityMonitoringValidation
 *     properties: { strict: true }
 * ```
 */
export class SecurityMonitoringValidation {
  private readonly props: SecurityMonitoringValidationProps;

  public constructor(props: SecurityMonitoringValidationProps = {}) {
    props = optionalArgument('SecurityMonitoringValidation', 'props', props) ?? {};
    this.props = props;
  }

  /** Checks `context.manifests`, adds one violation per finding and submits the report (failure on errors, or warnings when strict). */
  public async validate(context: ICdk8sValidationContext): Promise<void> {
    context = requiredArgument('SecurityMonitoringValidation.validate', 'context', context, 'the context the cdk8s CLI passes: { manifests, report }', { requiredProps: ['manifests', 'report'] });
    const result = runCheck([...context.manifests], { tools: this.props.tools, strict: this.props.strict, falcoUpstream: this.props.falcoUpstream });
    // Notes say what could not be checked: metadata, not violations.
    for (const diagnostic of result.diagnostics.filter((d) => d.severity !== 'note')) context.report.addViolation(violationOf(diagnostic));
    const count = (severity: string) => String(result.diagnostics.filter((d) => d.severity === severity).length);
    const metadata: { [key: string]: string } = { errors: count('error'), warnings: count('warning') };
    if (count('note') !== '0') metadata.unchecked = count('note');
    if (result.notes.length > 0) metadata.notes = result.notes.join('; ');
    context.report.submit(result.exitCode === 0 ? 'success' : 'failure', metadata);
  }
}

function violationOf(d: CheckDiagnostic): Cdk8sValidationViolation {
  return {
    ruleName: `${d.kind || 'manifest'} ${d.severity}${d.tool === null ? '' : ` (${d.tool})`}`,
    recommendation: d.message,
    fix: formatDiagnostic(d),
    violatingResources: [{
      resourceName: d.name,
      locations: [...(d.item === null ? [] : [d.item]), `line ${d.line}`],
      manifestPath: d.file,
    }],
  };
}
