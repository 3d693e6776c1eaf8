/**
 * Grafana panel types the library renders. Each is a core panel plugin of
 * Grafana 10 and later, so no plugin install is needed.
 */
export enum PanelKind {
  /** Lines over time (`timeseries`). */
  TIME_SERIES = 'timeseries',
  /** One big number per series, with a sparkline (`stat`). */
  STAT = 'stat',
  /** Horizontal bars, one per series, e.g. a top-10 (`bargauge`). */
  BAR_GAUGE = 'bargauge',
  /** The instant values of the query as rows (`table`). */
  TABLE = 'table',
}

/** One PromQL query of a panel. */
export interface PanelQuery {
  /**
   * The PromQL expression. Grafana's interval variables `$__rate_interval`,
   * `$__interval` and `$__range` may stand where a duration goes; no other
   * variables are defined.
   */
  readonly expr: string;

  /**
   * Legend of each series, with `{{label}}` placeholders, e.g. `{{rule_name}}`.
   * @default - Grafana's default: the series' labels
   */
  readonly legend?: string;
}

/** A panel of a `SecurityDashboard`. */
export interface DashboardPanelProps {
  /** Title shown on the panel; unique within the dashboard. */
  readonly title: string;

  /** The queries, at least one; Grafana names them A, B, C, ... */
  readonly queries: PanelQuery[];

  /**
   * How the panel draws its data. Tables query instant values; the other
   * kinds query ranges.
   * @default PanelKind.TIME_SERIES
   */
  readonly kind?: PanelKind;

  /**
   * Help text shown in the panel's info tooltip.
   * @default - none
   */
  readonly description?: string;

  /**
   * Grafana unit id of the values, e.g. `reqps`, `bytes`, `percentunit`.
   * @default 'short'
   */
  readonly unit?: string;

  /**
   * Width in grid columns (the dashboard is 24 columns wide).
   * @default 12
   */
  readonly width?: number;

  /**
   * Height in grid rows (one row is 30 pixels).
   * @default 8
   */
  readonly height?: number;
}
