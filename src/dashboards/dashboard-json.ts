import { GridLayout, GridPos } from './grid-layout';
import { PanelKind } from './panel';
import { PanelSpec, refId } from './panel-spec';

/**
 * Dashboard JSON schema version written by Grafana 10.4 and 11.0. Grafana
 * migrates older versions on load and refuses none of these fields, so
 * Grafana 10 and later read the dashboard as written.
 */
export const SCHEMA_VERSION = 39;

/** Name of the data source variable; every panel and query reads it. */
export const DATASOURCE_VARIABLE = 'datasource';

/** Panels and queries point at the data source the viewer picks, not at one fixed uid. */
const DATASOURCE = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

/** A dashboard entry: a row header or a panel, in reading order. */
export interface DashboardItem {
  readonly row?: string;
  readonly panel?: PanelSpec;
}

/** Dashboard-level settings. */
export interface DashboardSettings {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: string[];
  readonly refresh: string;
  readonly timeFrom: string;
  /** The label a "Cluster" variable selects; undefined: no such variable. */
  readonly clusterLabel?: string;
}

/**
 * The dashboard JSON model. Keys are written in a fixed order and panel ids
 * and positions follow from the order of `items`, so the same dashboard is
 * always the same bytes.
 */
export function renderDashboard(settings: DashboardSettings, items: DashboardItem[]): Record<string, unknown> {
  const layout = new GridLayout();
  const panels = items.map((item, index) => {
    const id = index + 1;
    return item.panel ? renderPanel(id, layout.place(item.panel.width, item.panel.height), item.panel)
      : { id, type: 'row', title: item.row, collapsed: false, gridPos: layout.placeRow(), panels: [] };
  });
  return {
    uid: settings.uid,
    title: settings.title,
    description: settings.description,
    tags: settings.tags,
    editable: false,
    graphTooltip: 1,
    timezone: 'browser',
    refresh: settings.refresh,
    time: { from: settings.timeFrom, to: 'now' },
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    annotations: { list: [] },
    templating: {
      list: [{
        name: DATASOURCE_VARIABLE,
        label: 'Data source',
        type: 'datasource',
        query: 'prometheus',
        current: {},
        hide: 0,
        refresh: 1,
        regex: '',
        options: [],
      }, ...(settings.clusterLabel === undefined ? [] : [clusterVariable(settings.clusterLabel)])],
    },
    panels,
  };
}

/**
 * A variable of the clusters Prometheus knows (a Thanos or Mimir in front of
 * many clusters has several), "All" by default: its `.*` also matches series
 * without the label, so the dashboard works on a Prometheus of one cluster too.
 */
function clusterVariable(label: string): Record<string, unknown> {
  const query = `label_values(up, ${label})`;
  return {
    name: label,
    label: 'Cluster',
    type: 'query',
    datasource: DATASOURCE,
    definition: query,
    query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    current: { selected: true, text: ['All'], value: ['$__all'] },
    includeAll: true,
    allValue: '.*',
    multi: true,
    hide: 0,
    // Refresh on time range change: clusters come and go.
    refresh: 2,
    regex: '',
    sort: 1,
    options: [],
  };
}

function renderPanel(id: number, gridPos: GridPos, panel: PanelSpec): Record<string, unknown> {
  const instant = panel.kind === PanelKind.TABLE;
  return {
    id,
    type: panel.kind,
    title: panel.title,
    ...(panel.description !== undefined ? { description: panel.description } : {}),
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
    options: panelOptions(panel.kind),
    targets: panel.queries.map((query, i) => ({
      refId: refId(i),
      datasource: DATASOURCE,
      expr: query.expr,
      ...(query.legend !== undefined ? { legendFormat: query.legend } : {}),
      range: !instant,
      instant,
      ...(instant ? { format: 'table' } : {}),
    })),
  };
}

/** Options that make each kind read well for security counts: latest value, descending. */
function panelOptions(kind: PanelKind): Record<string, unknown> {
  const lastValue = { calcs: ['lastNotNull'], fields: '', values: false };
  switch (kind) {
    case PanelKind.STAT:
      return { reduceOptions: lastValue, colorMode: 'value', graphMode: 'area', textMode: 'auto' };
    case PanelKind.BAR_GAUGE:
      return { reduceOptions: lastValue, orientation: 'horizontal', displayMode: 'gradient', showUnfilled: true };
    case PanelKind.TABLE:
      return { showHeader: true };
    default:
      return {
        legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
        tooltip: { mode: 'multi', sort: 'desc' },
      };
  }
}
