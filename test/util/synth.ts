import { App, Chart, Testing, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';

/** A synthesized Kubernetes object. */
export type Manifest = Record<string, any>;

/** Synthesizes the chart that `scope` belongs to into its objects, running cdk8s validations. */
export function synth(scope: IConstruct): Manifest[] {
  return Testing.synth(Chart.of(scope));
}

/** Synthesizes the chart that `scope` belongs to into one multi-document YAML string. */
export function synthYaml(scope: IConstruct): string {
  return Yaml.stringify(...synth(scope));
}

/** Synthesizes every chart of an app to one YAML string per chart, as `cdk8s synth` writes them. */
export function synthApp(app: App): string {
  return app.synthYaml();
}

/**
 * Builds the same input twice, from scratch, and asserts the YAML is byte-identical.
 * @returns the YAML, for further assertions
 */
export function expectDeterministic(build: () => IConstruct): string {
  const first = synthYaml(build());
  const second = synthYaml(build());
  expect(second).toEqual(first);
  return first;
}

/** Finds the single object of a kind (and name, if given); fails the test otherwise. */
export function findObject(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata?.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` named "${name}"` : ''}, found ${found.length}`);
  }
  return found[0];
}
