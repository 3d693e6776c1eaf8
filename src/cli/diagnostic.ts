/**
 * How serious a finding is: errors fail the check, warnings only with `--strict`;
 * notes say what was not checked (a plugin without a field table, a file skipped) and never fail.
 */
export type Severity = 'error' | 'warning' | 'note';

/** A path into a manifest object, e.g. `['spec', 'groups', 0, 'rules', 2, 'expr']`. */
export type ObjectPath = ReadonlyArray<string | number>;

/** A finding of one checker about one object, located by a path inside it. */
export interface Finding {
  /** Where in the object; the reported line is the line of this node (or of its nearest ancestor present). */
  readonly path: ObjectPath;
  /** The part of the object concerned, e.g. `rules.yaml: FalcoRule "Shell in container"`. */
  readonly item?: string;
  readonly severity: Severity;
  readonly message: string;
  /** The external tool that reported it (`promtool`, `amtool`); absent for the library's own checks. */
  readonly tool?: string;
}

/** A finding placed in a file: the `--json` output is an array of these. */
export interface CheckDiagnostic {
  readonly file: string;
  /** 1-based line in the file. */
  readonly line: number;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly item: string | null;
  readonly severity: Severity;
  readonly message: string;
  readonly tool: string | null;
}

/** `file:line object (kind/namespace/name) [item]: message` (the namespace is left out when empty). */
export function formatDiagnostic(d: CheckDiagnostic): string {
  const object = [d.kind, d.namespace, d.name].filter((part) => part !== '').join('/');
  const item = d.item === null ? '' : ` [${d.item}]`;
  const tool = d.tool === null ? '' : ` (${d.tool})`;
  return `${d.file}:${d.line} ${d.severity}${tool} ${object}${item}: ${d.message}`;
}

/** Runs one check and turns the `ValidationError` it throws into a finding; other exceptions are bugs and propagate. */
export function collect(findings: Finding[], finding: Omit<Finding, 'message'>, check: () => unknown): void {
  try {
    check();
  } catch (e) {
    if ((e as Error).name !== 'ValidationError') throw e;
    findings.push({ ...finding, message: (e as Error).message });
  }
}
