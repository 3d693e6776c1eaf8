/*
 * The checks the API server runs when it loads a policy file
 * (k8s.io/apiserver/pkg/apis/audit/validation/validation.go), run at synth time so
 * a bad policy fails `cdk8s synth` instead of a control-plane start.
 */
import { AuditLevel, AuditStage } from './audit-level';
import { AuditRule } from './audit-rule';
import { nonEmpty } from './matching';
import { validateDnsSubdomain, validationError } from '../common/validation';

const WHERE = 'AuditPolicy';
const LEVELS: readonly string[] = Object.values(AuditLevel);
const STAGES: readonly string[] = Object.values(AuditStage);

function validateOmitStages(field: string, stages: readonly string[] | undefined): void {
  (stages ?? []).forEach((stage, i) => {
    if (!STAGES.includes(stage)) {
      throw validationError(WHERE, `${field}[${i}] is not an audit stage`, stage, `use one of ${STAGES.join(', ')}`);
    }
  });
}

function validateNonResourceURLs(field: string, urls: readonly string[]): void {
  urls.forEach((url, i) => {
    if (url === '*') return;
    if (!url.startsWith('/')) {
      throw validationError(WHERE, `${field}[${i}] does not begin with "/"`, url, `write the path from the root, e.g. "/${url}"`);
    }
    if (url.slice(0, -1).includes('*')) {
      throw validationError(WHERE, `${field}[${i}] has a "*" before its end`, url, 'a wildcard may only be the last character, e.g. "/apis/*"');
    }
  });
}

function validateRule(rule: AuditRule, i: number): void {
  const field = `rules[${i}]`;
  if ((rule.level as string | undefined) === undefined || (rule.level as string) === '') {
    throw validationError(WHERE, `${field}.level is required`, rule.level, `set it to one of ${LEVELS.join(', ')}`);
  }
  if (!LEVELS.includes(rule.level)) {
    throw validationError(WHERE, `${field}.level is not an audit level`, rule.level, `use one of ${LEVELS.join(', ')}`);
  }
  validateNonResourceURLs(`${field}.nonResourceURLs`, rule.nonResourceURLs ?? []);
  (rule.resources ?? []).forEach((entry, j) => {
    // "" is the core group; any other group is a DNS subdomain (no version: "apps", not "apps/v1").
    if (entry.group) validateDnsSubdomain(WHERE, `${field}.resources[${j}].group`, entry.group);
    if (nonEmpty(entry.resourceNames) && !nonEmpty(entry.resources)) {
      throw validationError(WHERE, `${field}.resources[${j}].resourceNames needs at least one resource`, entry.resourceNames,
        'list the resources the names belong to, e.g. resources: ["configmaps"]');
    }
  });
  validateOmitStages(`${field}.omitStages`, rule.omitStages);
  if (nonEmpty(rule.nonResourceURLs) && (nonEmpty(rule.resources) || nonEmpty(rule.namespaces))) {
    throw validationError(WHERE, `${field} applies to both resources and non-resource URLs`, rule.nonResourceURLs,
      'split it into one rule with resources/namespaces and one with nonResourceURLs');
  }
}

/** Throws the standard error for the first rule the API server would refuse. */
export function validatePolicy(rules: readonly AuditRule[], omitStages: readonly AuditStage[] | undefined): void {
  validateOmitStages('omitStages', omitStages);
  if (!Array.isArray(rules)) {
    throw validationError('AuditPolicy', 'rules must be a list of audit rules', rules, 'pass { rules: [{ level: AuditLevel.METADATA }] }, or use AuditPolicy.production()');
  }
  rules.forEach(validateRule);
}
