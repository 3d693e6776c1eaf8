import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';

const CLUSTER_SCOPED = new WeakSet<ApiObject>();

/**
 * Marks an object as cluster-scoped (Namespace, ClusterRole, ...). A cdk8s
 * `Chart` with a `namespace` stamps it on every object, which the API server
 * rejects for cluster-scoped kinds; this removes it again.
 */
export function clusterScoped<T extends ApiObject>(obj: T): T {
  if (Chart.of(obj).namespace !== undefined) {
    obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  CLUSTER_SCOPED.add(obj);
  return obj;
}

/** The cluster-scoped objects under `scope`: their names are shared by every installation in the cluster. */
export function clusterScopedObjects(scope: IConstruct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && CLUSTER_SCOPED.has(c));
}
