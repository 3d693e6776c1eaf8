import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { FalcoDeployment, FalcoDeploymentProps, FalcoPlugin } from '../../src';
import { findObject, Manifest, synth } from '../util';

export function falcoIn(props?: FalcoDeploymentProps): FalcoDeployment {
  return new FalcoDeployment(Testing.chart(), 'falco', props);
}

/** The Falco DaemonSet's pod spec and falco container. */
export function falcoPod(manifests: Manifest[]) {
  const spec = findObject(manifests, 'DaemonSet').spec.template;
  return { template: spec, pod: spec.spec, container: spec.spec.containers.find((c: any) => c.name === 'falco') };
}

/** falco.yaml as Falco reads it. */
export function falcoYaml(manifests: Manifest[]): any {
  return parse(findObject(manifests, 'ConfigMap', 'falco').data['falco.yaml']);
}

export function synthFalco(props?: FalcoDeploymentProps) {
  const falco = falcoIn(props);
  return { falco, manifests: synth(falco) };
}

/** The cloudtrail plugin as its README configures it, installed by falcoctl. */
export const cloudtrailPlugin = (extra: Record<string, unknown> = {}): FalcoPlugin => FalcoPlugin.custom({
  name: 'cloudtrail',
  source: 'aws_cloudtrail',
  openParams: 'sqs://falco-cloudtrail',
  artifact: 'cloudtrail:0.17',
  rulesArtifact: 'cloudtrail-rules:0.17',
  rulesFile: 'aws_cloudtrail_rules.yaml',
  requires: [FalcoPlugin.json()],
  ...extra,
});
