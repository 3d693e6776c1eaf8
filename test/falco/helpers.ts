import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { FalcoDeployment, FalcoDeploymentProps } from '../../src';
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
