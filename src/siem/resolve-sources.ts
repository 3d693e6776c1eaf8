import { SiemAgentContextProps } from './agent-context';
import { SourceSpec } from './internal';
import { SiemSource } from './source';
import { validateAuditMaxEventBytes } from '../common/audit-log';
import { validateInstanceList, validationError, ErrorLocation, validateDnsLabel } from '../common/validation';

/** The sources shipped when none are given: what a security team needs from every cluster. */
export function defaultSources(): SiemSource[] {
  return [SiemSource.containerLogs(), SiemSource.auditLog(), SiemSource.falcoEvents()];
}

/**
 * Resolves the sources of one pipeline: validates them, checks that log types
 * are unique, and makes the generic container log source skip the files a
 * dedicated source (Falco) ships, so nothing is shipped twice. Sources follow
 * the Falco namespace and the audit event size limit the context gives.
 */
export function resolveSources(where: ErrorLocation, given: SiemSource[], context: SiemAgentContextProps): SourceSpec[] {
  const facts = {
    falcoNamespace: validateDnsLabel(where, 'falcoNamespace', context.falcoNamespace ?? 'falco'),
    auditMaxEventBytes: context.auditMaxEventBytes === undefined ? undefined : validateAuditMaxEventBytes(where, 'auditMaxEventBytes', context.auditMaxEventBytes),
  };
  const sources = validateInstanceList(where, 'sources', given, SiemSource, 'build each source with a SiemSource factory, e.g. SiemSource.auditLog()');
  if (sources.length === 0) {
    throw validationError(where, 'sources is empty', sources, 'add at least one source, or leave sources unset for the defaults');
  }
  const first = sources.map((s) => s._spec({ where, ...facts, excludedContainerLogs: [] }));
  const excludedContainerLogs = first.flatMap((s) => s.claimedContainerLogs ?? []);
  const specs = sources.map((s) => s._spec({ where, ...facts, excludedContainerLogs }));
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.logType)) {
      throw validationError(where, 'two sources have the same logType', spec.logType, 'give each source its own logType option');
    }
    seen.add(spec.logType);
  }
  return specs;
}
