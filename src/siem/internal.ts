/**
 * Types and constants shared by the SIEM modules but not part of the public
 * API (not exported from the package).
 */
import { SiemSecretRef } from './secret-ref';
import { ErrorLocation } from '../common/validation';

/** Where the pipeline keeps its tail databases and buffered chunks inside the container. */
export const STATE_DIR = '/var/lib/fluent-bit';
/** Name of the JSON parser the config declares for sources that are JSON lines (the audit log). */
export const JSON_PARSER = 'siem_json';

/** What a source contributes to the Fluent Bit config. */
export interface RenderedSource {
  readonly logType: string;
  readonly input: Record<string, unknown>;
  readonly filters: Record<string, unknown>[];
  /** Files this source ships, which the container log source must then skip. */
  readonly claimedContainerLogs?: string;
}

/** Facts a source needs from its pipeline. */
export interface SourceContext {
  readonly where: ErrorLocation;
  readonly falcoNamespace: string;
  /** Globs below /var/log/containers shipped by other sources. */
  readonly excludedContainerLogs: string[];
}

/** A Secret key the pod passes to Fluent Bit as an environment variable. */
export interface SecretEnv {
  readonly name: string;
  readonly secret: SiemSecretRef;
}

/** What a destination contributes to the Fluent Bit config and the pod. */
export interface RenderedDestination {
  readonly outputs: Record<string, unknown>[];
  readonly env: SecretEnv[];
}

/** What a destination needs from its pipeline. */
export interface DestinationContext {
  readonly where: ErrorLocation;
  /** Log types of the pipeline's sources. */
  readonly logTypes: string[];
  /** Unique per destination; prefixes the names of its environment variables. */
  readonly envPrefix: string;
}
