import { AuditDiagnostic, AuditLintOptions } from './audit-diagnostic';
import { AuditLevel, AuditStage } from './audit-level';
import { AuditDecision, AuditRequest } from './audit-request';
import { AuditRule } from './audit-rule';
import { ruleMatches } from './matching';
import { lintPolicy } from './policy-linter';
import { validatePolicy } from './policy-validation';
import { parsePolicy, PolicyDocument, stringifyPolicy } from './policy-yaml';
import * as presets from './presets';
import { optionalArgument, requiredArgument } from '../common/arguments';

/**
 * Properties of an `AuditPolicy`.
 */
export interface AuditPolicyProps {
  /** The rules, in order: the first rule that matches a request decides its level. */
  readonly rules: AuditRule[];

  /**
   * Stages no event is emitted for, whatever rule matches (joined with each rule's own).
   * @default - none
   */
  readonly omitStages?: AuditStage[];

  /**
   * Whether to drop `managedFields` from logged bodies unless a rule says otherwise.
   * @default false
   */
  readonly omitManagedFields?: boolean;
}

function unionStages(...lists: ReadonlyArray<readonly AuditStage[] | undefined>): AuditStage[] {
  return [...new Set(lists.flatMap((l) => l ?? []))].sort();
}

/**
 * A Kubernetes audit policy (`audit.k8s.io/v1` `Policy`): the file the API server
 * reads with `--audit-policy-file`. It is validated like the API server validates it
 * when constructed; `evaluate()` tells what it logs for a request and `lint()`
 * finds rules that leak secrets or can never fire.
 *
 * @see https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
 */
export class AuditPolicy {
  /**
   * A GCE/GKE-style production policy: control-plane noise, health checks, events
   * and lease renewals dropped first; Secrets, ConfigMaps, token requests and
   * TokenReviews at Metadata; reads of built-in APIs at Request, writes at
   * RequestResponse; everything else at Metadata. RequestReceived is omitted.
   */
  public static production(): AuditPolicy {
    return new AuditPolicy(presets.productionPolicy());
  }

  /**
   * A minimal policy (CIS Kubernetes Benchmark 3.2.1): health checks dropped,
   * everything else at Metadata.
   */
  public static cisMinimal(): AuditPolicy {
    return new AuditPolicy(presets.cisMinimalPolicy());
  }

  /**
   * A policy for Falco's k8saudit rules: request and response bodies of writes to
   * workloads, RBAC, admission webhooks and CRDs; reads and secret-like resources
   * at Metadata; only the ResponseComplete and Panic stages.
   */
  public static falco(): AuditPolicy {
    return new AuditPolicy(presets.falcoPolicy());
  }

  /**
   * The seed example that logs every request at RequestResponse. It writes secret
   * values into the log: `lint()` reports it. For tests and demonstrations only.
   */
  public static seedLogEverythingExample(): AuditPolicy {
    return new AuditPolicy(presets.seedLogEverythingPolicy());
  }

  /**
   * The seed example that logs Secrets and ConfigMaps at RequestResponse "for
   * forensics". It writes secret values into the log: `lint()` reports it. For
   * tests and demonstrations only.
   */
  public static seedSecretForensicsExample(): AuditPolicy {
    return new AuditPolicy(presets.seedSecretForensicsPolicy());
  }

  /**
   * Loads an `audit.k8s.io/v1` Policy document, e.g. an existing policy file.
   * @throws if the text is not a valid policy
   */
  public static fromYaml(text: string): AuditPolicy {
    text = requiredArgument('AuditPolicy.fromYaml', 'text', text, 'the YAML of an audit.k8s.io/v1 Policy');
    return new AuditPolicy(parsePolicy(text));
  }

  /** The rules, in the order the API server tries them. */
  public readonly rules: AuditRule[];

  /** Stages omitted for every request. */
  public readonly omitStages: AuditStage[];

  /** Whether `managedFields` are dropped unless a rule says otherwise. */
  public readonly omitManagedFields: boolean;

  /** Per rule, the stages it omits joined with the policy's, as the API server computes them at load. */
  private readonly ruleOmitStages: AuditStage[][];

  constructor(props: AuditPolicyProps) {
    props = requiredArgument('AuditPolicy', 'props', props, '{ rules: [{ level: AuditLevel.METADATA }] }, or use AuditPolicy.production()');
    // A deep copy: presets share rule objects, and later changes by the caller must not bypass validation.
    const copy: PolicyDocument = JSON.parse(JSON.stringify(props));
    validatePolicy(copy.rules, copy.omitStages);
    this.rules = copy.rules;
    this.omitStages = copy.omitStages ?? [];
    this.omitManagedFields = copy.omitManagedFields ?? false;
    this.ruleOmitStages = this.rules.map((r) => unionStages(this.omitStages, r.omitStages));
  }

  /**
   * What the API server records for a request: the first matching rule decides;
   * without a match the level is `None`.
   */
  public evaluate(request: AuditRequest): AuditDecision {
    request = requiredArgument('AuditPolicy.evaluate', 'request', request, '{ verb: "get", resource: "pods" }');
    requiredArgument('AuditPolicy.evaluate', 'request.verb', request.verb, 'the verb of the request, e.g. "get"');
    const index = this.rules.findIndex((rule) => ruleMatches(rule, request));
    if (index < 0) {
      return { level: AuditLevel.NONE, omitStages: unionStages(this.omitStages), omitManagedFields: this.omitManagedFields };
    }
    const rule = this.rules[index];
    return {
      level: rule.level,
      omitStages: [...this.ruleOmitStages[index]],
      omitManagedFields: rule.omitManagedFields ?? this.omitManagedFields,
      ruleIndex: index,
    };
  }

  /** Checks the policy for secret leaks, rules that never fire, wrong API groups and volume problems. */
  public lint(options: AuditLintOptions = {}): AuditDiagnostic[] {
    options = optionalArgument('AuditPolicy.lint', 'options', options) ?? {};
    return lintPolicy(this.rules, this.omitStages, options);
  }

  /** The policy file content (`audit.k8s.io/v1` Policy), byte-identical for the same policy. */
  public toYaml(): string {
    return stringifyPolicy({ rules: this.rules, omitStages: this.omitStages, omitManagedFields: this.omitManagedFields || undefined });
  }
}
