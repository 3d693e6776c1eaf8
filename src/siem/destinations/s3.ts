import { Duration } from 'cdk8s';
import { bufferLimitOf, FluentBitOutputSpec, retryLimitOf } from './output-spec';
import { requiredArgument } from '../../common/arguments';
import { validateWholeSeconds } from '../../common/duration';
import { validateInstance, validationError } from '../../common/validation';
import { SiemAwsCredentials } from '../aws-credentials';
import { SiemDestinationOptions } from '../destination-options';
import { FLUENT_BIT_STATE_DIR } from '../fluent-bit-config';
import { validateUnitSize } from '../siem-validation';

/** Compression of the objects `SiemDestination.s3` writes. */
export enum SiemS3Compression {
  /** gzip (`.gz` objects, readable by Athena and most SIEM importers). */
  GZIP = 'gzip',
  /** zstd: smaller and faster than gzip. */
  ZSTD = 'zstd',
  /** Uncompressed JSON lines. */
  NONE = 'none',
}

/** Options of `SiemDestination.s3`. */
export interface SiemS3Options extends SiemDestinationOptions {
  /** Name of the bucket. */
  readonly bucket: string;
  /** AWS region of the bucket, e.g. `eu-west-1`. */
  readonly region: string;
  /** How Fluent Bit authenticates to AWS. */
  readonly credentials: SiemAwsCredentials;
  /**
   * Object key (`s3_key_format`): starts with `/`; strftime conversions,
   * `$TAG`, `$UUID` and `$INDEX` are expanded. `$LOG_TYPE` is replaced with the
   * log type. A `$UUID` keeps two nodes from writing the same key.
   * @default '/security-logs/$LOG_TYPE/%Y/%m/%d/%H/%M-$UUID.jsonl' (plus `.gz`/`.zst` when compressed)
   */
  readonly keyFormat?: string;
  /**
   * Object compression.
   * @default SiemS3Compression.GZIP
   */
  readonly compression?: SiemS3Compression;
  /**
   * Size at which an object is completed and a new one started
   * (`total_file_size`), a Fluent Bit unit size from `1M` to `50G`.
   * @default '100M'
   */
  readonly totalFileSize?: string;
  /**
   * Longest time an object stays open before it is uploaded
   * (`upload_timeout`), from one minute to a day, in whole seconds. Bounds
   * how late logs arrive in the archive.
   * @default Duration.minutes(10)
   */
  readonly uploadTimeout?: Duration;
}

/** S3 bucket names (general purpose buckets). */
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;
/** Fluent Bit's own cap for S3 retries (`MAX_UPLOAD_ERRORS`); it refuses `no_limits` for S3. */
const S3_DEFAULT_RETRIES = 5;

const UNIT_BYTES: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };
/** Bytes of a validated Fluent Bit unit size (`512K`, `5M`, `1GB`). */
function unitBytes(size: string): number {
  const match = /^(\d+)([KMG])B?$/i.exec(size)!;
  return Number(match[1]) * UNIT_BYTES[match[2].toUpperCase()];
}

/** The `s3` output of `SiemDestination.s3`. */
export function s3Output(options: SiemS3Options): FluentBitOutputSpec {
  options = requiredArgument('SiemDestination.s3', 'options', options, '{ bucket, region, credentials }', { requiredProps: ['bucket'] });
  const credentials = options.credentials;
  const staticKeys = credentials instanceof SiemAwsCredentials && credentials._kind === 'fromSecret';
  return {
    name: 's3',
    factory: 's3',
    options,
    secrets: staticKeys ? [
      { suffix: 'AWS_ACCESS_KEY_ID', envName: 'AWS_ACCESS_KEY_ID', field: 'credentials accessKeyIdSecret', ref: credentials._accessKeyId },
      { suffix: 'AWS_SECRET_ACCESS_KEY', envName: 'AWS_SECRET_ACCESS_KEY', field: 'credentials secretAccessKeySecret', ref: credentials._secretAccessKey },
    ] : [],
    render: (where, _env, instance) => {
      validateInstance(where, 's3 credentials', credentials, SiemAwsCredentials,
        'use SiemAwsCredentials.irsa(roleArn), SiemAwsCredentials.podIdentity() or SiemAwsCredentials.fromSecret(...)');
      if (!S3_BUCKET.test(String(options.bucket)) || String(options.bucket).includes('..')) {
        throw validationError(where, 's3 bucket is not a valid bucket name', options.bucket,
          "use 3-63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit, without the s3:// scheme");
      }
      if (!AWS_REGION.test(String(options.region))) {
        throw validationError(where, 's3 region is not an AWS region', options.region, 'use a region code such as "eu-west-1"');
      }
      if (options.tls === false) {
        throw validationError(where, 's3 tls cannot be turned off', options.tls, 'remove tls: S3 is always reached over HTTPS');
      }
      const compression = options.compression ?? SiemS3Compression.GZIP;
      if (!Object.values(SiemS3Compression).includes(compression)) {
        throw validationError(where, 's3 compression is not a SiemS3Compression', compression, 'use SiemS3Compression.GZIP, ZSTD or NONE');
      }
      const extension = { gzip: '.gz', zstd: '.zst', none: '' }[compression];
      const keyFormat = options.keyFormat ?? `/security-logs/$LOG_TYPE/%Y/%m/%d/%H/%M-$UUID.jsonl${extension}`;
      if (typeof keyFormat !== 'string' || !keyFormat.startsWith('/') || /[\s{}]/.test(keyFormat)) {
        throw validationError(where, 's3 keyFormat is not an object key format', keyFormat,
          'start it with "/" and use no spaces or braces, e.g. "/security-logs/$LOG_TYPE/%Y/%m/%d/$UUID.jsonl.gz"');
      }
      const totalFileSize = validateUnitSize(where, 's3 totalFileSize', options.totalFileSize ?? '100M');
      if (unitBytes(totalFileSize) < 1024 ** 2 || unitBytes(totalFileSize) > 50 * 1024 ** 3) {
        throw validationError(where, 's3 totalFileSize is out of range', totalFileSize, 'use a size from "1M" to "50G"');
      }
      const uploadTimeout = validateWholeSeconds(where, 's3 uploadTimeout', options.uploadTimeout ?? Duration.minutes(10), 60, 86_400, 'Duration.minutes(10)');
      return (logType) => ({
        bucket: options.bucket,
        region: options.region,
        s3_key_format: keyFormat.split('$LOG_TYPE').join(logType),
        ...(compression === SiemS3Compression.NONE ? {} : { compression }),
        total_file_size: totalFileSize,
        // Fluent Bit reads a number with an optional unit (`m`, `h`, `d`); plain numbers are seconds.
        upload_timeout: uploadTimeout % 60 === 0 ? `${uploadTimeout / 60}m` : uploadTimeout,
        // Below 2 x 5 MB Fluent Bit cannot use multipart uploads.
        ...(unitBytes(totalFileSize) < 10 * 1024 ** 2 ? { use_put_object: 'on' } : {}),
        // The root filesystem is read-only; the state directory is on the node and survives restarts.
        store_dir: `${FLUENT_BIT_STATE_DIR}/s3/${instance}-${logType.replace(/_/g, '-')}`,
      });
    },
    // S3 buffers in its own store_dir and retries a bounded number of times.
    reliabilityKeys: (where, factory, opts) => {
      const bufferLimit = bufferLimitOf(where, factory, opts);
      return {
        retry_limit: retryLimitOf(where, factory, opts, S3_DEFAULT_RETRIES),
        retry_exhausted_action: 'quarantine',
        store_dir_limit_size: bufferLimit,
        quarantine_dir_limit_size: bufferLimit,
      };
    },
    serviceAccountAnnotations: (where): Record<string, string> => {
      if (!(credentials instanceof SiemAwsCredentials) || credentials._kind !== 'irsa') return {};
      if (!IAM_ROLE_ARN.test(String(credentials._roleArn))) {
        throw validationError(where, 's3 credentials role ARN is not an IAM role ARN', credentials._roleArn,
          'use "arn:aws:iam::<12-digit account>:role/<name>", e.g. "arn:aws:iam::123456789012:role/siem-archive"');
      }
      return { 'eks.amazonaws.com/role-arn': credentials._roleArn! };
    },
  };
}
