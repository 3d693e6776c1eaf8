import { SourceSpec } from './internal';
import { SiemSource } from './source';
import { validateInstanceList, validationError, ErrorLocation } from '../common/validation';
import type { SecurityMonitoringStack } from '../stack/security-monitoring-stack';

/** The sources shipped when none are given: what a security team needs from every cluster. */
export function defaultSources(): SiemSource[] {
  return [SiemSource.containerLogs(), SiemSource.auditLog(), SiemSource.falcoEvents()];
}

/**
 * Resolves the sources of one pipeline: validates them, checks that log types
 * are unique, and makes the generic container log source skip the files a
 * dedicated source (Falco) ships, so nothing is shipped twice. Inside a stack,
 * sources follow its Falco namespace and its audit policy's event size limit.
 */
export function resolveSources(where: ErrorLocation, given: SiemSource[], stack: SecurityMonitoringStack | undefined): SourceSpec[] {
  const facts = { falcoNamespace: stack?.falcoNamespace ?? 'falco', auditMaxEventBytes: stack?.auditPolicy?.maxEventBytes };
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
