import { validationError } from '../common/validation';
import { PromQL } from '../prometheus/promql';

/**
 * Grafana's built-in interval variables. Grafana replaces them with a
 * duration before the query reaches Prometheus, so for validation each is
 * replaced by a duration of the same shape (`5m`): the rest of the query is
 * then checked exactly as Prometheus will see it.
 */
const INTERVAL_VARIABLES = ['__rate_interval', '__interval', '__range'];
const VALIDATION_DURATION = '5m';

/** `$name`, `${name}` and `[[name]]`: the three ways Grafana interpolates a variable. */
const VARIABLE = /\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g;

/** What a label-value variable (e.g. `$cluster`) stands for during validation: text inside a matcher's quotes. */
const VALIDATION_LABEL_VALUE = 'x';

/**
 * Validates a panel query with the same PromQL validator as the alert rules,
 * after substituting Grafana's interval variables and the dashboard's
 * label-value variables.
 * @param labelVariables the dashboard's own variables, which hold label values (e.g. `cluster`)
 * @throws ValidationError for a variable the dashboard does not define or invalid PromQL
 */
export function validatePanelQuery(where: string, expr: string, labelVariables: string[] = []): void {
  const substituted = String(expr ?? '').replace(VARIABLE, (text, braced, plain, bracketed) => {
    const name: string = braced ?? plain ?? bracketed;
    if (labelVariables.includes(name)) return VALIDATION_LABEL_VALUE;
    if (!INTERVAL_VARIABLES.includes(name)) {
      throw validationError(where, `query uses the Grafana variable "${text}" which the dashboard does not define`, expr,
        `use one of ${[...INTERVAL_VARIABLES, ...labelVariables].map((v) => `$${v}`).join(', ')} or a literal value`);
    }
    // Substituting inside a range selector keeps the brackets: `[$__rate_interval]` -> `[5m]`.
    return VALIDATION_DURATION;
  });
  PromQL.validate(substituted, where);
}
