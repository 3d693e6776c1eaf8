import { SecretKeyReference } from '../common/secret-key-reference';

/** Options every destination accepts. */
export interface SiemDestinationOptions {
  /**
   * Log types (see `SiemSourceOptions.logType`) shipped to this destination.
   * @default - every source of the pipeline
   */
  readonly logTypes?: string[];

  /**
   * Whether to connect over TLS.
   * @default true
   */
  readonly tls?: boolean;

  /**
   * Accept any server certificate (`tls.verify: off`). This makes the
   * connection open to interception: only for test endpoints with
   * self-signed certificates. Requires `tls`.
   * @default false - the certificate and host name are verified
   */
  readonly insecureSkipTlsVerify?: boolean;

  /**
   * How often Fluent Bit retries a chunk the destination did not accept before
   * dropping it (`retry_limit`). Fluent Bit's own default is a single retry,
   * which loses data in any outage longer than a minute or so.
   * @default - retry without limit (`no_limits`)
   */
  readonly retryLimit?: number;

  /**
   * Disk space for chunks waiting for this destination, per log type
   * (`storage.total_limit_size`). When full, the oldest chunks are dropped.
   * A Fluent Bit unit size such as `500M` or `2G`.
   * @default '1G'
   */
  readonly bufferLimit?: string;
}

/** Options shared by the HTTP-based destinations that take a user and a password. */
export interface SiemBasicAuthOptions {
  /**
   * User for HTTP basic authentication. Requires `passwordSecret`.
   * @default - no authentication
   */
  readonly username?: string;
  /**
   * Secret key holding the password of `username`.
   * @default - no authentication
   */
  readonly passwordSecret?: SecretKeyReference;
}
