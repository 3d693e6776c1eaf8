import { ErrorLocation, validationError } from '../common/validation';

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * Checks a feature's PromQL query before it is shipped to the detector.
 *
 * TODO: PromQL.validate — replace these structural checks with the shared
 * PromQL validator (src/prometheus/) once it is merged.
 */
export function validateFeatureQuery(where: ErrorLocation, field: string, query: unknown): string {
  const fix = 'use a PromQL expression such as "sum by (namespace) (rate(container_network_transmit_bytes_total[5m]))"';
  if (typeof query !== 'string' || query.trim() === '') {
    throw validationError(where, `${field} must be a non-empty PromQL expression`, query, fix);
  }
  const open: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (CLOSING[c]) {
      open.push(CLOSING[c]);
    } else if (c === ')' || c === ']' || c === '}') {
      if (open.pop() !== c) throw validationError(where, `${field} has an unmatched "${c}" at offset ${i}`, query, fix);
    }
  }
  if (quote) throw validationError(where, `${field} has an unterminated ${quote} string`, query, fix);
  if (open.length > 0) throw validationError(where, `${field} is missing a closing "${open[open.length - 1]}"`, query, fix);
  return query;
}
