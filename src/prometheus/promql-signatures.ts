/**
 * Argument and result types of PromQL functions and aggregations, as
 * Prometheus' type checker enforces them. Kept as data so that adding a
 * function is one line.
 *
 * Argument codes: `v` instant vector, `m` range vector, `s` scalar,
 * `S` string; a trailing `?` makes the last argument optional, a trailing
 * `*` lets it repeat (zero or more times).
 */
export enum ValueType {
  SCALAR = 'scalar',
  VECTOR = 'instant vector',
  MATRIX = 'range vector',
  STRING = 'string',
}

export interface Signature {
  readonly args: ValueType[];
  readonly optional: boolean;
  readonly variadic: boolean;
  readonly returns: ValueType;
}

const CODES: Record<string, ValueType> = { v: ValueType.VECTOR, m: ValueType.MATRIX, s: ValueType.SCALAR, S: ValueType.STRING };

function signature(spec: string, returns: ValueType = ValueType.VECTOR): Signature {
  const optional = spec.endsWith('?');
  const variadic = spec.endsWith('*');
  const letters = optional || variadic ? spec.slice(0, -1) : spec;
  return { args: [...letters].map((c) => CODES[c]), optional, variadic, returns };
}

function table(groups: Record<string, string>, returns?: ValueType): Array<[string, Signature]> {
  return Object.entries(groups).flatMap(([spec, names]) => names.split(' ').map((name): [string, Signature] => [name, signature(spec, returns)]));
}

/**
 * Stable functions of Prometheus 3 (2.x has them too, but for newer ones such as
 * histogram_avg); the experimental ones are in `EXPERIMENTAL`, `holt_winters`
 * (removed in 3.0) is in `REMOVED`.
 */
export const FUNCTIONS: ReadonlyMap<string, Signature> = new Map([
  ...table({
    'v': 'abs absent ceil exp floor ln log2 log10 sgn sqrt sort sort_desc timestamp histogram_avg histogram_count histogram_sum '
      + 'histogram_stddev histogram_stdvar acos acosh asin asinh atan atanh cos cosh sin sinh tan tanh deg rad',
    'm': 'absent_over_time changes delta deriv idelta increase irate rate resets avg_over_time min_over_time max_over_time '
      + 'sum_over_time count_over_time stddev_over_time stdvar_over_time last_over_time present_over_time',
    'v?': 'day_of_month day_of_week day_of_year days_in_month hour minute month year',
    'vss': 'clamp',
    'vs': 'clamp_max clamp_min',
    'vs?': 'round',
    'sv': 'histogram_quantile',
    'ssv': 'histogram_fraction',
    'ms': 'predict_linear',
    'sm': 'quantile_over_time',
    'vSSSS': 'label_replace',
    // label_join(v, dst, separator, src...): no source label is valid too (dst becomes "").
    'vSSS*': 'label_join',
    's': 'vector',
  }),
  ...table({ 'v': 'scalar', '': 'time pi' }, ValueType.SCALAR),
]);

/** Aggregation operators: the parameter (if any) comes before the vector. */
export const AGGREGATIONS: ReadonlyMap<string, Signature> = new Map([
  ...table({
    v: 'sum avg count min max group stddev stdvar',
    sv: 'topk bottomk quantile',
    Sv: 'count_values',
  }),
]);

/**
 * Functions and aggregations Prometheus 3 marks experimental: without
 * `--enable-feature=promql-experimental-functions` (off in kube-prometheus-stack)
 * a rule using one fails to parse, and the whole rule group with it. They are
 * refused by name, so they have no signature here.
 */
export const EXPERIMENTAL = new Set([
  'double_exponential_smoothing', 'mad_over_time', 'sort_by_label', 'sort_by_label_desc', 'limitk', 'limit_ratio',
  'first_over_time', 'ts_of_first_over_time', 'ts_of_last_over_time', 'ts_of_max_over_time', 'ts_of_min_over_time',
  'histogram_quantiles', 'info', 'integral',
]);

/** Functions Prometheus removed, with what to use instead. */
export const REMOVED: ReadonlyMap<string, string> = new Map([
  ['holt_winters', 'Prometheus 3.0 removed it (its successor, double_exponential_smoothing, is experimental): use predict_linear() or avg_over_time()'],
]);
