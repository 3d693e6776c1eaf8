/**
 * Types and constants shared by the SIEM modules but not part of the public
 * API (not exported from the package).
 */
import { SecretKeyReference } from '../common/secret-key-reference';
import { ErrorLocation } from '../common/validation';


/** How a source's files are written. */
export enum SourceFormat {
  /** Container runtime log files (CRI or Docker JSON), from /var/log/containers: enriched with pod metadata. */
  CONTAINER = 'container',
  /** One JSON object per line (the audit log). */
  JSON = 'json',
  /** Plain text lines. */
  PLAIN = 'plain',
}

/** A source, independent of the agent that ships it. */
export interface SourceSpec {
  readonly logType: string;
  /** File or glob, below /var/log. */
  readonly path: string;
  readonly format: SourceFormat;
  /** Whether each line of a container log is a JSON object to merge into the record (Falco). */
  readonly jsonMessages: boolean;
  /**
   * Longest line, in bytes and as written on disk, the agent must read whole:
   * the read buffer is sized from it, and a longer line is skipped (and counted).
   */
  readonly maxLineBytes: number;
  /** Files this source ships from /var/log/containers, which the generic container log source must then skip. */
  readonly claimedContainerLogs?: string;
  /** Globs below /var/log/containers to skip (shipped by other sources). */
  readonly excludedPaths: string[];
}

/** Facts a source needs from its pipeline. */
export interface SourceContext {
  readonly where: ErrorLocation;
  readonly falcoNamespace: string;
  /** The stack's audit policy's `maxEventBytes`, when the pipeline belongs to a stack with one. */
  readonly auditMaxEventBytes?: number;
  /** Globs below /var/log/containers shipped by other sources. */
  readonly excludedContainerLogs: string[];
}

/** A Secret key the pod passes to Fluent Bit as an environment variable. */
export interface SecretEnv {
  readonly name: string;
  readonly secret: SecretKeyReference;
}

/** What a destination contributes to the Fluent Bit config and the pod. */
export interface RenderedDestination {
  readonly outputs: Record<string, unknown>[];
  readonly env: SecretEnv[];
  /** Annotations the agent's ServiceAccount needs (a cloud IAM role). */
  readonly serviceAccountAnnotations: Record<string, string>;
}

/** What a destination needs from its pipeline. */
export interface DestinationContext {
  readonly where: ErrorLocation;
  /** Log types of the pipeline's sources. */
  readonly logTypes: string[];
  /** Unique per destination; prefixes the names of its environment variables. */
  readonly envPrefix: string;
}
