import { describeLocation, ErrorLocation, validationError } from '../common/validation';
import { PromQL } from '../prometheus/promql';

const EXAMPLE = 'use a PromQL expression such as "sum by (namespace) (rate(container_network_transmit_bytes_total[5m]))"';

/**
 * Checks a feature's PromQL query before it is shipped to the detector: it must
 * parse and type-check (the shared validator), and evaluate to an instant vector
 * or a scalar, the only results Prometheus' `query_range` returns.
 */
export function validateFeatureQuery(where: ErrorLocation, field: string, query: unknown): string {
  if (typeof query !== 'string' || query.trim() === '') {
    throw validationError(where, `${field} must be a non-empty PromQL expression`, query, EXAMPLE);
  }
  const type = PromQL.typeOf(query, `${describeLocation(where)}: ${field}`);
  if (type !== 'instant vector' && type !== 'scalar') {
    throw validationError(where, `${field} evaluates to a ${type}, which query_range cannot return`, query,
      'drop the trailing range selector or wrap it in a function such as rate()');
  }
  return query;
}
