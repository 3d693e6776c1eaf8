import { ApiObject, Chart, JsonPatch } from 'cdk8s';

/**
 * Marks an object as cluster-scoped (Namespace, ClusterRole, ...). A cdk8s
 * `Chart` with a `namespace` stamps it on every object, which the API server
 * rejects for cluster-scoped kinds; this removes it again.
 */
export function clusterScoped<T extends ApiObject>(obj: T): T {
  if (Chart.of(obj).namespace !== undefined) {
    obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return obj;
}
