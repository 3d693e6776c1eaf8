import { requiredArgument } from '../common/arguments';
import { SecretKeyReference } from '../common/secret-key-reference';

/**
 * How the S3 archive authenticates to AWS. Static keys come only from a
 * Secret (as `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` environment
 * variables); the rendered config never holds them.
 */
export class SiemAwsCredentials {
  /**
   * Access keys from a Secret, passed as the `AWS_ACCESS_KEY_ID` and
   * `AWS_SECRET_ACCESS_KEY` environment variables. Prefer a role
   * (`irsa`, `podIdentity`): keys do not expire.
   */
  public static fromSecret(accessKeyIdSecret: SecretKeyReference, secretAccessKeySecret: SecretKeyReference): SiemAwsCredentials {
    accessKeyIdSecret = requiredArgument('SiemAwsCredentials.fromSecret', 'accessKeyIdSecret', accessKeyIdSecret, '{ secretName, key } of the Secret that holds the access key id');
    secretAccessKeySecret = requiredArgument('SiemAwsCredentials.fromSecret', 'secretAccessKeySecret', secretAccessKeySecret, '{ secretName, key } of the Secret that holds the secret access key');
    return new SiemAwsCredentials('fromSecret', undefined, accessKeyIdSecret, secretAccessKeySecret);
  }

  /**
   * IAM Roles for Service Accounts (EKS): annotates the pipeline's
   * ServiceAccount with `eks.amazonaws.com/role-arn`; the EKS webhook injects
   * a web identity token that Fluent Bit exchanges for the role's credentials.
   * @param roleArn ARN of the IAM role, e.g. `arn:aws:iam::123456789012:role/siem-archive`
   */
  public static irsa(roleArn: string): SiemAwsCredentials {
    roleArn = requiredArgument('SiemAwsCredentials.irsa', 'roleArn', roleArn, 'the ARN of the IAM role, e.g. "arn:aws:iam::123456789012:role/fluent-bit"');
    return new SiemAwsCredentials('irsa', roleArn);
  }

  /**
   * EKS Pod Identity, or any other credential the AWS default chain finds
   * (the node's instance role): nothing is rendered. Associate the role
   * with the pipeline's ServiceAccount in AWS.
   */
  public static podIdentity(): SiemAwsCredentials {
    return new SiemAwsCredentials('podIdentity');
  }

  private constructor(
    /** @internal */
    public readonly _kind: string,
    /** @internal */
    public readonly _roleArn?: string,
    /** @internal */
    public readonly _accessKeyId?: SecretKeyReference,
    /** @internal */
    public readonly _secretAccessKey?: SecretKeyReference,
  ) {}
}
