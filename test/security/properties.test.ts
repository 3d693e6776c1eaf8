/**
 * Robustness: arbitrary (mostly plausible, often wrong) props either synthesize
 * to valid, secure manifests or fail with a clear ValidationError — never a
 * TypeError, never invalid YAML. Per run: 1,100 randomized stacks, 360
 * randomized standalone constructs, and every single-field mutation of a full stack.
 */
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { mutatedFullStackProps, realize, STANDALONE, stackProps, TYPED_CREDENTIAL } from './arbitraries';
import { secretMaterial, tlsVerificationOff } from './output-scan';
import { expectSecureDefaults, secureDefaultsViolations } from './secure-defaults';
import { SecurityMonitoringStack, SecurityMonitoringStackProps } from '../../src';
import { ValidationError } from '../../src/common/validation';
import { expectValidManifests, Manifest, synthYaml } from '../util';

/** Same runs on every CI run, so a failure reproduces; set FC_SEED to explore other inputs. */
const SEED = Number(process.env.FC_SEED ?? 12);

/** A deferred check of cdk8s (`node.addValidation`): "Validation failed ... [path] message". */
const CDK8S_VALIDATION = /^Validation failed with the following errors:\n(\s+\[[^\]]+\] .+\n?)+/;

/**
 * Asserts an error says where, what and with which value, and never quotes a
 * credential typed into a field; anything else (a TypeError) fails the property.
 */
export function expectClearError(error: unknown): void {
  if (error instanceof Error) expect(error.message).not.toContain(TYPED_CREDENTIAL);
  if (error instanceof ValidationError) {
    expect(error.where).not.toEqual('');
    expect(error.message).toMatch(/^.+: .+ \(got .*\): .+$/s);
    return;
  }
  if (error instanceof Error && CDK8S_VALIDATION.test(error.message)) return;
  throw error;
}

function build(props: SecurityMonitoringStackProps): string {
  const chart = Testing.chart();
  new SecurityMonitoringStack(chart, 'stack', props);
  return synthYaml(chart);
}

/** Builds the stack; returns its YAML, or undefined after checking the error is a clear one. */
function tryBuild(raw: SecurityMonitoringStackProps): string | undefined {
  try {
    return build(realize(raw) as SecurityMonitoringStackProps);
  } catch (error) {
    expectClearError(error);
    return undefined;
  }
}

const counts = { valid: 0, rejected: 0 };

test('randomized stacks: valid, secure manifests or a clear ValidationError', () => {
  fc.assert(fc.property(stackProps, (raw) => {
    const yaml = tryBuild(raw);
    if (yaml === undefined) {
      counts.rejected++;
      return;
    }
    counts.valid++;
    const documents = parseAllDocuments(yaml);
    expect(documents.flatMap((d) => d.errors)).toEqual([]);
    const manifests: Manifest[] = documents.map((d) => d.toJS());
    expectValidManifests(manifests);
    if (raw.createNamespaces === false) {
      // Namespaces are the user's then: everything but their Pod Security labels is still ours.
      expect(secureDefaultsViolations(manifests)).toEqual([]);
    } else {
      expectSecureDefaults(manifests);
    }
    expect(secretMaterial(yaml)).toEqual([]);
    expect(yaml).not.toContain(TYPED_CREDENTIAL);
    expect(tlsVerificationOff(yaml, manifests)).toEqual([]);
  }), { numRuns: 1000, seed: SEED });
  // Both outcomes must be common, or the arbitraries have drifted from the props.
  expect(counts.valid).toBeGreaterThan(150);
  expect(counts.rejected).toBeGreaterThan(150);
});

describe.each(STANDALONE)('$name on its own', ({ props, build: create }) => {
  test('valid manifests that keep the secure defaults, or a clear ValidationError', () => {
    let valid = 0;
    fc.assert(fc.property(props, (raw) => {
      let yaml: string;
      try {
        const chart = Testing.chart();
        create(chart, realize(raw));
        yaml = synthYaml(chart);
      } catch (error) {
        expectClearError(error);
        return;
      }
      valid++;
      const manifests: Manifest[] = parseAllDocuments(yaml).map((d) => d.toJS());
      expectValidManifests(manifests);
      // Outside a stack the namespaces are the user's, so Pod Security labels are not checked here.
      expect(secureDefaultsViolations(manifests)).toEqual([]);
      expect(secretMaterial(yaml)).toEqual([]);
      expect(yaml).not.toContain(TYPED_CREDENTIAL);
    }), { numRuns: 60, seed: SEED });
    expect(valid).toBeGreaterThan(10);
  });
});

test('randomized stacks synthesize byte-identically twice', () => {
  fc.assert(fc.property(stackProps, (raw) => {
    const first = tryBuild(raw);
    if (first !== undefined) expect(tryBuild(raw)).toEqual(first);
  }), { numRuns: 100, seed: SEED });
});

test('a valid full stack with any one prop replaced by a wrong value: still valid, or a clear error', () => {
  const failures: string[] = [];
  for (const [mutation, props] of mutatedFullStackProps()) {
    try {
      const yaml = tryBuild(props);
      if (yaml !== undefined) expectValidManifests(parseAllDocuments(yaml).map((d) => d.toJS()));
    } catch (error) {
      failures.push(`${mutation}: ${String(error).split('\n')[0]}`);
    }
  }
  expect(failures).toEqual([]);
});
