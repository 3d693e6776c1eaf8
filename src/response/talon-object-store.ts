import { k8s } from 'cdk8s-plus-28';
import { requiredArgument } from '../common/arguments';
import { SecretKeyReference, secretKeySelector } from '../common/secret-key-reference';
import { validatePort, validationError } from '../common/validation';

/** A MinIO (or other S3-compatible) server that Falco Talon uploads evidence to. */
export interface TalonMinioStoreOptions {
  /** Host name or IP address of the server, e.g. `minio.storage.svc`. */
  readonly host: string;
  /** Port of the server (with `host`, Talon's `minio.endpoint`). @default - the scheme's: 443 with TLS, 80 without */
  readonly port?: number;
  /** Access key, from a Secret in Talon's namespace. */
  readonly accessKeySecret: SecretKeyReference;
  /** Secret key, from a Secret in Talon's namespace. */
  readonly secretKeySecret: SecretKeyReference;
  /** Connect over TLS (`minio.use_ssl`). @default true */
  readonly tls?: boolean;
}

/** AWS S3 as Falco Talon's evidence store. */
export interface TalonAwsStoreOptions {
  /** AWS region (`aws.region`). */
  readonly region: string;
  /**
   * Access key id, from a Secret. Leave both keys unset to use the pod's
   * identity (IRSA, instance profile), which is preferable.
   * @default - the AWS default credential chain
   */
  readonly accessKeyIdSecret?: SecretKeyReference;
  /** Secret access key, from a Secret; required with `accessKeyIdSecret`. @default - the AWS default credential chain */
  readonly secretAccessKeySecret?: SecretKeyReference;
  /** Role to assume (`aws.role_arn`). @default - none */
  readonly roleArn?: string;
}

/** A DNS name or an IPv4 address: minio-go's endpoint is host[:port], without scheme or path. */
const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * Where Falco Talon stores the evidence its actionners collect (pod logs,
 * downloaded files, packet captures):
 * its `minio:s3` or `aws:s3` output. Credentials are passed as environment
 * variables read from Secrets, which Talon's configuration loader maps onto
 * `minio.access_key` & co., so no credential is rendered into a manifest.
 */
export class TalonObjectStore {
  /** A MinIO or S3-compatible server (Talon output `minio:s3`). */
  public static minio(options: TalonMinioStoreOptions): TalonObjectStore {
    options = requiredArgument('TalonObjectStore.minio', 'options', options,
      '{ host, accessKeySecret: { secretName, key }, secretKeySecret: { secretName, key } }');
    const where = 'TalonObjectStore.minio';
    if (typeof options.host !== 'string' || !HOST.test(options.host)) {
      throw validationError(where, 'host is not a host name or IP address', options.host,
        'use the host alone, without scheme, port or path, e.g. "minio.storage.svc", and set port apart');
    }
    const port = options.port === undefined ? undefined : validatePort(where, 'port', options.port);
    return new TalonObjectStore('minio:s3', 'minio',
      { endpoint: port === undefined ? options.host : `${options.host}:${port}`, use_ssl: options.tls ?? true },
      [
        { name: 'MINIO_ACCESS_KEY', valueFrom: { secretKeyRef: secretKeySelector(where, 'accessKeySecret', options.accessKeySecret) } },
        { name: 'MINIO_SECRET_KEY', valueFrom: { secretKeyRef: secretKeySelector(where, 'secretKeySecret', options.secretKeySecret) } },
      ]);
  }

  /** AWS S3 (Talon output `aws:s3`). */
  public static awsS3(options: TalonAwsStoreOptions): TalonObjectStore {
    options = requiredArgument('TalonObjectStore.awsS3', 'options', options, '{ region: "eu-west-1" }');
    const where = 'TalonObjectStore.awsS3';
    if (typeof options.region !== 'string' || !AWS_REGION.test(options.region)) {
      throw validationError(where, 'region is not an AWS region', options.region, 'use a region such as "eu-west-1"');
    }
    if ((options.accessKeyIdSecret === undefined) !== (options.secretAccessKeySecret === undefined)) {
      throw validationError(where, 'accessKeyIdSecret and secretAccessKeySecret must be set together',
        { accessKeyIdSecret: options.accessKeyIdSecret, secretAccessKeySecret: options.secretAccessKeySecret },
        'set both, or neither to use the pod identity');
    }
    if (options.roleArn !== undefined && !ROLE_ARN.test(options.roleArn)) {
      throw validationError(where, 'roleArn is not an IAM role ARN', options.roleArn, 'use "arn:aws:iam::<account>:role/<name>"');
    }
    const env: k8s.EnvVar[] = options.accessKeyIdSecret && options.secretAccessKeySecret ? [
      { name: 'AWS_ACCESS_KEY', valueFrom: { secretKeyRef: secretKeySelector(where, 'accessKeyIdSecret', options.accessKeyIdSecret) } },
      { name: 'AWS_SECRET_KEY', valueFrom: { secretKeyRef: secretKeySelector(where, 'secretAccessKeySecret', options.secretAccessKeySecret) } },
    ] : [];
    return new TalonObjectStore('aws:s3', 'aws', { region: options.region, ...(options.roleArn ? { role_arn: options.roleArn } : {}) }, env);
  }

  private constructor(
    /** The output target actions name (`minio:s3`, `aws:s3`). */
    public readonly target: string,
    /** @internal Top-level key of Talon's config.yaml for this store. */
    public readonly _configKey: string,
    /** @internal Non-secret settings under that key. */
    public readonly _settings: Record<string, unknown>,
    /** @internal Credential environment variables. */
    public readonly _env: k8s.EnvVar[],
  ) {}

  /**
   * @internal The settings with empty credential keys, so that Talon's
   * configuration loader knows them and takes their values from the environment.
   */
  public _config(): Record<string, unknown> {
    const credentialKeys = this._env.map((e) => e.name.slice(this._configKey.length + 1).toLowerCase());
    return { ...this._settings, ...Object.fromEntries(credentialKeys.map((k) => [k, ''])) };
  }
}
