import { Finding } from './diagnostic';
import { embeddedFiles } from './embedded';
import { ManifestObject } from './manifests';
import { AuditPolicy } from '../audit/audit-policy';

/** An `audit.k8s.io` Policy document (the parser rejects versions other than v1, with a fix). */
function isAuditPolicy(parsed: unknown): boolean {
  const o = parsed as Record<string, unknown> | undefined;
  return o?.kind === 'Policy' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('audit.k8s.io/');
}

/** Audit policies held in a ConfigMap: loaded with `AuditPolicy.fromYaml`, then linted. */
export function checkAuditPolicies(manifest: ManifestObject): Finding[] {
  if (manifest.kind !== 'ConfigMap') return [];
  return embeddedFiles(manifest).filter((f) => isAuditPolicy(f.parsed)).flatMap((file): Finding[] => {
    let policy: AuditPolicy;
    try {
      policy = AuditPolicy.fromYaml(file.text);
    } catch (e) {
      if ((e as Error).name !== 'ValidationError') throw e;
      return [{ path: file.path, item: file.key, severity: 'error', message: (e as Error).message }];
    }
    return policy.lint().map((d) => ({
      path: file.path,
      item: d.ruleIndex === undefined ? `${file.key} (${d.check})` : `${file.key}: rules[${d.ruleIndex}] (${d.check})`,
      severity: d.severity,
      message: d.message,
    }));
  });
}
