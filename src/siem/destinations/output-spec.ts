/**
 * The one mechanism every SIEM destination is built on, the custom one
 * included: a destination describes its Fluent Bit output plugin (its keys
 * for one log type, its credentials, and where it differs from the common
 * TLS and reliability keys), and `SiemDestination` adds what every
 * destination shares: one output per routed log type, TLS on unless turned
 * off, unlimited retries with a disk buffer, credentials as `${VARIABLE}`
 * references to Secret-backed environment variables.
 */
import { SecretKeyReference } from '../../common/secret-key-reference';
import { ErrorLocation } from '../../common/validation';
import { SiemBasicAuthOptions, SiemDestinationOptions } from '../destination-options';
import { resolveUsername } from '../destination-settings';
import { validateInteger, validateUnitSize } from '../siem-validation';

/** Keys of one output for one log type. */
export type OutputRenderer = (logType: string) => Record<string, unknown>;

/** A credential the output reads from an environment variable set from a Secret. */
export interface Credential {
  /** Suffix of the environment variable. */
  readonly suffix: string;
  /**
   * The variable's full name, for credentials a library reads from a fixed
   * variable (the AWS SDK's `AWS_ACCESS_KEY_ID`).
   * @default - `<envPrefix>_<suffix>`
   */
  readonly envName?: string;
  /** The option it comes from, for error messages. */
  readonly field: string;
  readonly ref?: SecretKeyReference;
}

/** A destination's Fluent Bit output plugin. */
export interface FluentBitOutputSpec {
  /** The Fluent Bit output plugin. */
  readonly name: string;
  /** The factory method, for error messages. */
  readonly factory: string;
  readonly options: SiemDestinationOptions;
  readonly secrets: Credential[];
  /**
   * Validates the options and renders the plugin's own keys; `env(suffix)` is
   * the `${VAR}` reference of a credential, `instance` is unique per
   * destination of the pipeline.
   */
  readonly render: (where: ErrorLocation, env: (suffix: string) => string, instance: string) => OutputRenderer;
  /**
   * The plugin's TLS keys.
   * @default - Fluent Bit's common `tls` and `tls.verify`
   */
  readonly tlsKeys?: (tls: boolean, verify: boolean) => Record<string, unknown>;
  /**
   * The plugin's retry and buffer keys.
   * @default - `retry_limit` (unlimited unless `retryLimit`) and `storage.total_limit_size`
   */
  readonly reliabilityKeys?: (where: ErrorLocation, factory: string, options: SiemDestinationOptions) => Record<string, unknown>;
  /**
   * Annotations the pipeline's ServiceAccount needs (a cloud role).
   * @default - none
   */
  readonly serviceAccountAnnotations?: (where: ErrorLocation) => Record<string, string>;
}

export function commonTlsKeys(tls: boolean, verify: boolean): Record<string, unknown> {
  return { tls: tls ? 'on' : 'off', ...(tls ? { 'tls.verify': verify ? 'on' : 'off' } : {}) };
}

export function retryLimitOf(where: ErrorLocation, factory: string, options: SiemDestinationOptions, unlimited: string | number): string | number {
  return options.retryLimit === undefined ? unlimited : validateInteger(where, `${factory} retryLimit`, options.retryLimit, 1, 1_000_000);
}

/** Retry without limit (unless `retryLimit`), buffer on disk up to `bufferLimit`. */
export function commonReliabilityKeys(where: ErrorLocation, factory: string, options: SiemDestinationOptions): Record<string, unknown> {
  return {
    'retry_limit': retryLimitOf(where, factory, options, 'no_limits'),
    'storage.total_limit_size': bufferLimitOf(where, factory, options),
  };
}

export function bufferLimitOf(where: ErrorLocation, factory: string, options: SiemDestinationOptions): string {
  return validateUnitSize(where, `${factory} bufferLimit`, options.bufferLimit ?? '1G');
}

export function passwordCredential(options: SiemBasicAuthOptions): Credential {
  return { suffix: 'PASSWORD', field: 'passwordSecret', ref: options.passwordSecret };
}

/** `http_user` and `http_passwd` (from `passwordSecret`) when a user is set. */
export function basicAuth(
  where: ErrorLocation, factory: string, options: SiemBasicAuthOptions, env: (suffix: string) => string,
): Record<string, string> {
  const username = resolveUsername(where, factory, options);
  return username === undefined ? {} : { http_user: username, http_passwd: env('PASSWORD') };
}
