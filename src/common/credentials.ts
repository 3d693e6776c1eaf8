/**
 * Credentials typed into plain strings. The library only ever references
 * Secrets (`SecretKeyReference`); a credential in any other string would be
 * rendered into a manifest (a ConfigMap, an env value, a CRD) or quoted in an
 * error in CI logs. These are the shapes that are a credential whatever field
 * they are in: embedded in a URL, or a token format with a recognisable prefix.
 * (A bare random string, such as a PagerDuty key of 32 hex digits, cannot be
 * told from an identifier: only the fields that take a `SecretKeyReference`
 * keep those out.)
 */

/** Query parameters that carry a credential in the URLs of the services this library talks to. */
const CREDENTIAL_QUERY_PARAMETERS = [
  'token', 'access_token', 'accesstoken', 'auth', 'auth_token', 'authtoken', 'key', 'apikey', 'api_key', 'api-key',
  'password', 'passwd', 'pwd', 'secret', 'client_secret', 'sig', 'signature', 'code', 'x-amz-signature', 'x-amz-credential',
  'x-goog-signature', 'routing_key', 'integration_key',
];

interface CredentialShape {
  /** What it is, for the error message. */
  readonly kind: string;
  /** Finds it; group 1, when present, is the secret part (the rest is shown). */
  readonly pattern: RegExp;
}

const SHAPES: readonly CredentialShape[] = [
  // scheme://user:password@host or scheme://token@host: the user-info part of a URL.
  { kind: 'user-info (user:password@)', pattern: /[a-z][a-z0-9+.-]*:\/\/([^\s/?#@"']+)@/gi },
  // user:password@host without a scheme (a host field, a broker list): the host is a dotted name or an IPv4
  // address, so a digest-pinned image (nginx:1.25@sha256:...) and PromQL's @ modifier (job:x:rate5m@1609746000.5) are not it.
  {
    kind: 'user-info (user:password@)',
    pattern: /(?<![^\s"'(=,])([A-Za-z0-9._~%!$&*+;-]+:[^\s/?#@"']+)@(?:(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|\d{1,3}(?:\.\d{1,3}){3})(?![A-Za-z0-9-])/g,
  },
  {
    kind: 'a credential query parameter',
    pattern: new RegExp(`[?&](?:${CREDENTIAL_QUERY_PARAMETERS.join('|')})=([^&#\\s"']+)`, 'gi'),
  },
  // A plain word after the scheme is prose ("Basic Interactive Reconnaissance", a rule name of falcosecurity/rules), not a credential.
  { kind: 'an Authorization header value', pattern: /\b(?:Bearer|Basic|Splunk|Token)\s+(?![A-Z]?[a-z]+\b(?![._~+/=-]))([A-Za-z0-9._~+/=-]{8,})/g },
  { kind: 'a Slack webhook path', pattern: /hooks\.slack\.com\/services\/([A-Za-z0-9/]+)/g },
  { kind: 'a Slack token', pattern: /\b(xox[abposr]-[A-Za-z0-9-]{10,})/g },
  { kind: 'a GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g },
  { kind: 'a GitLab token', pattern: /\b(glpat-[A-Za-z0-9_-]{20,})/g },
  { kind: 'an AWS access key id', pattern: /\b((?:AKIA|ASIA)[0-9A-Z]{16})\b/g },
  { kind: 'a private key', pattern: /(-----BEGIN [A-Z ]*PRIVATE KEY-----)/g },
  { kind: 'a JSON Web Token', pattern: /\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+)/g },
];

/** A credential found in a string. */
export interface FoundCredential {
  /** What it is, e.g. "user-info (user:password@)". */
  readonly kind: string;
  /** The whitespace-delimited word it is in, with the secret part masked: what an error may show. */
  readonly excerpt: string;
}

/** Cheap pre-check: every shape above contains one of these. */
const MAYBE_CREDENTIAL = /:\/\/|:[^\s@]*@|[?&][a-z_-]+=|Bearer|Basic|Splunk|Token|xox|gh[pousr]_|github_pat_|glpat-|AKIA|ASIA|PRIVATE KEY|eyJ|hooks\.slack/i;

/** The longest excerpt an error shows. */
const EXCERPT_MAX = 120;

/** The first credential in `text`; undefined when there is none. */
export function findCredential(text: string): FoundCredential | undefined {
  if (!MAYBE_CREDENTIAL.test(text)) return undefined;
  for (const shape of SHAPES) {
    shape.pattern.lastIndex = 0;
    const match = shape.pattern.exec(text);
    if (!match) continue;
    const start = text.slice(0, match.index).search(/\S*$/);
    const end = match.index + match[0].length + text.slice(match.index + match[0].length).search(/\s|$/);
    const excerpt = redactCredentials(text.slice(start, end));
    return { kind: shape.kind, excerpt: excerpt.length > EXCERPT_MAX ? `${excerpt.slice(0, EXCERPT_MAX)}...` : excerpt };
  }
  return undefined;
}

/** `text` with the secret part of every credential replaced by `***`. */
export function redactCredentials(text: string): string {
  if (!MAYBE_CREDENTIAL.test(text)) return text;
  let result = text;
  for (const { pattern } of SHAPES) {
    result = result.replace(pattern, (match: string, secret: string) => match.replace(secret, '***'));
  }
  return result;
}
