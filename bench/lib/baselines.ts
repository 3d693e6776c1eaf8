/**
 * The floors our synth time is compared against, measured on the very
 * documents our constructs produced:
 * - serialization floor: plain `yaml` stringify of the documents;
 * - framework floor: the same documents emitted as raw cdk8s `ApiObject`s in a
 *   fresh App, without our constructs or validation.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { stringify } from 'yaml';

export function serializationFloor(documents: any[]): string {
  return documents.map((d) => stringify(d)).join('---\n');
}

export function frameworkFloor(documents: any[]): string {
  const app = new App({ outdir: '/nonexistent' });
  const chart = new Chart(app, 'raw');
  documents.forEach((d, i) => {
    const { apiVersion, kind, metadata, ...rest } = d;
    new ApiObject(chart, `o${i}`, { apiVersion, kind, metadata, ...rest });
  });
  return app.synthYaml();
}
