/** How serious a linter finding is. */
export enum AuditDiagnosticSeverity {
  /** The policy does something harmful (e.g. writes secret values into the log); fails synth. */
  ERROR = 'error',
  /** The policy is likely not what its author meant; reported, synth goes on. */
  WARNING = 'warning',
}

/** The checks of `AuditPolicy.lint()`. */
export enum AuditLintCheck {
  /** Secrets, ConfigMaps, `serviceaccounts/token` or `tokenreviews` logged above `Metadata`: their values land in the log. */
  SECRET_LEAK = 'secret-leak',
  /** An earlier rule matches every request this rule matches, so it can never fire. */
  SHADOWED_RULE = 'shadowed-rule',
  /** A well-known resource listed under an API group it does not belong to, so the entry never matches. */
  WRONG_API_GROUP = 'wrong-api-group',
  /** A logging rule does not omit `RequestReceived`, which doubles the event volume. */
  MISSING_REQUEST_RECEIVED_OMISSION = 'missing-request-received-omission',
  /** No rule matches every request, so unexpected requests go unrecorded. */
  NO_CATCH_ALL = 'no-catch-all',
}

/** One finding of `AuditPolicy.lint()`. */
export interface AuditDiagnostic {
  /** The check that found it. */
  readonly check: AuditLintCheck;

  /** How serious it is. */
  readonly severity: AuditDiagnosticSeverity;

  /**
   * Index of the rule concerned.
   * @default - the finding is about the whole policy
   */
  readonly ruleIndex?: number;

  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** Options of `AuditPolicy.lint()`. */
export interface AuditLintOptions {
  /**
   * Severity of the secret-leak check.
   * @default AuditDiagnosticSeverity.ERROR
   */
  readonly secretLeakSeverity?: AuditDiagnosticSeverity;
}
