/**
 * Credentials typed into any field. For every public entry point of the jsii
 * assembly, each string parameter and each string prop of its struct
 * parameters (nested structs, list elements, map values and keys too) gets
 * each credential shape in turn; the secret part must appear neither in the
 * manifests nor in the returned value nor in an error message, and an error
 * must be a clear one. No prop is exempt: the library refuses a credential
 * wherever it is typed, and takes credentials only as `SecretKeyReference`s.
 */
import * as fs from 'fs';
import * as os from 'os';
import { join } from 'path';
import { argumentsWith, ENTRY_POINTS, Position, positions, run, validArguments } from './assembly-walk';
import { freshChart } from './entry-point-samples';

/** The secret part of every shape: what must never be written or quoted. */
const SECRET = 'Hunter2Zq8xK3mP9vL4w';

/** Credential shapes as users paste them, each around SECRET. */
const CREDENTIALS: ReadonlyArray<[string, string]> = [
  ['user-info in a URL', `https://alerts:${SECRET}@hooks.example.com/falco`],
  ['user-info without a scheme (a host field)', `elastic:${SECRET}@es.example.com`],
  ['a token user in a URL', `https://${SECRET}@git.example.com/platform/fleet.git`],
  ['a token query parameter', `https://hooks.example.com/ping?token=${SECRET}`],
  ['an API key query parameter', `https://es.example.com:9200/?api_key=${SECRET}`],
  ['a signed URL', `https://bucket.s3.amazonaws.com/x?X-Amz-Signature=${SECRET}`],
  ['a bearer value', `Bearer ${SECRET}`],
  ['a Slack bot token', `xoxb-1234567890-${SECRET}`],
  ['a Slack webhook URL', `https://hooks.slack.com/services/T00000000/B00000000/${SECRET}`],
  ['a GitHub token', `ghp_${SECRET}${SECRET}`],
  ['a JSON Web Token', `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.${SECRET}`],
];
/** An AWS key id is its own secret part (upper case letters and digits only). */
const AWS_KEY_ID = 'AKIAZQ8XK3MP9VL4WQ2E';

/** The value to put at a position so that the credential is a string the prop holds. */
function valueFor(position: Position, credential: string): unknown | undefined {
  const type = position.type;
  if (type.primitive === 'string' || type.primitive === 'any') return credential;
  const element = type.collection?.elementtype;
  if (type.collection?.kind === 'array' && element?.primitive === 'string') return [credential];
  if (type.collection?.kind === 'map' && (element?.primitive === 'string' || element?.primitive === 'any')) return { field: credential };
  return undefined;
}

// Entry points that write files (SecurityMonitoringFleet#synth) write them here.
const cwd = process.cwd();
beforeAll(() => process.chdir(fs.mkdtempSync(join(os.tmpdir(), 'credential-fuzz-'))));
afterAll(() => process.chdir(cwd));

test('a credential typed into any string prop of any entry point is refused and never written or quoted', async () => {
  const leaks: string[] = [];
  const walked = new Set<string>();
  let cases = 0;
  const shapes: ReadonlyArray<[string, string, string]> = [
    ...CREDENTIALS.map(([what, text]) => [what, text, SECRET] as [string, string, string]),
    ['an AWS access key id', AWS_KEY_ID, AWS_KEY_ID],
  ];
  for (const entry of ENTRY_POINTS) {
    for (const position of positions(entry, validArguments(entry, freshChart()), walked)) {
      // Map keys are strings too: a label key that is a token.
      const keyPosition = position.type.collection?.kind === 'map';
      for (const [what, credential, secretPart] of shapes) {
        const value = valueFor(position, credential);
        const variants = [value, ...(keyPosition ? [{ [credential]: 'value' }] : [])].filter((v) => v !== undefined);
        for (const variant of variants) {
          cases++;
          const outcome = await run(entry, (chart) => argumentsWith(entry, position, variant, chart));
          const where = `${entry.id}(${position.label}) with ${what}`;
          const text = 'error' in outcome ? outcome.error : outcome.output;
          if (text.includes(secretPart)) leaks.push(`${where}: ${'error' in outcome ? 'quoted in the error' : 'written into the output'}: ${text.slice(0, 200)}`);
          if ('error' in outcome && outcome.error.startsWith('NOT A CLEAR ERROR')) leaks.push(`${where}: ${outcome.error}`);
        }
      }
    }
  }
  expect(leaks).toEqual([]);
  expect(cases).toBeGreaterThan(2000);
}, 600_000);
