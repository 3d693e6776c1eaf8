import { JsonPatch, Testing } from 'cdk8s';
import { FilebeatPipeline, SiemDestination, SiemPipeline } from '../../src';
import { findObject, synth } from '../util';

const splunk = () => SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'splunk', key: 'token' } });

describe.each([
  ['SiemPipeline', 'fluent-bit', () => new SiemPipeline(Testing.chart(), 'siem', { destinations: [splunk()] })],
  ['FilebeatPipeline', 'filebeat', () => new FilebeatPipeline(Testing.chart(), 'siem', { elasticsearch: { host: 'es.example.com' } })],
] as const)('%s escape hatches', (_name, objectName, build) => {
  test('a field the props do not model, patched on workload, reaches the DaemonSet', () => {
    const pipeline = build();
    pipeline.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'system-node-critical'));
    pipeline.configMap.metadata.addAnnotation('example.com/owner', 'security');
    const manifests = synth(pipeline);
    expect(findObject(manifests, 'DaemonSet', objectName).spec.template.spec.priorityClassName).toBe('system-node-critical');
    expect(findObject(manifests, 'ConfigMap', objectName).metadata.annotations).toEqual({ 'example.com/owner': 'security' });
  });

  test('the properties are the objects under their stable child ids', () => {
    const pipeline = build();
    expect(pipeline.workload.kind).toBe('DaemonSet');
    expect(pipeline.workload.node.id).toBe('daemon-set');
    expect(pipeline.configMap.kind).toBe('ConfigMap');
    expect(pipeline.configMap.node.id).toBe('config');
  });
});
