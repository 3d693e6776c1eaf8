import { validatePanelQuery } from './grafana-variables';
import { GRID_COLUMNS } from './grid-layout';
import { DashboardPanelProps, PanelKind, PanelQuery } from './panel';
import { validationError } from '../common/validation';

/** Tallest panel accepted: Grafana allows more, but taller panels are a layout mistake. */
const MAX_HEIGHT = 50;
/** Grafana names queries A..Z; more than that in one panel is not readable anyway. */
const MAX_QUERIES = 26;
const UNIT = /^[A-Za-z0-9:/_.()%-]+$/;

/** A panel with its defaults resolved and its input validated. */
export interface PanelSpec {
  readonly title: string;
  readonly kind: PanelKind;
  readonly description?: string;
  readonly unit: string;
  readonly width: number;
  readonly height: number;
  readonly queries: PanelQuery[];
}

function validateSize(where: string, field: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw validationError(where, `${field} is not a whole number of grid cells from 1 to ${max}`, value,
      `use an integer from 1 to ${max}${field === 'width' ? ` (the dashboard is ${GRID_COLUMNS} columns wide)` : ''}`);
  }
  return value;
}

/**
 * Resolves a panel's defaults and validates it: sizes fit the grid, the unit
 * is a Grafana unit id, and every query is valid PromQL.
 * @param where the dashboard, for error messages
 * @param checkQueries false only for the built-in panels, whose queries the test suite checks
 * @param labelVariables the dashboard's label-value variables a query may use (e.g. `cluster`)
 */
export function resolvePanel(where: string, props: DashboardPanelProps, checkQueries = true, labelVariables: string[] = []): PanelSpec {
  const title = typeof props.title === 'string' ? props.title.trim() : '';
  if (title === '') {
    throw validationError(where, 'panel title is empty', props.title, 'give the panel a title that says what it shows');
  }
  const at = `${where} panel "${title}"`;
  const kind = props.kind ?? PanelKind.TIME_SERIES;
  if (!Object.values(PanelKind).includes(kind)) {
    throw validationError(at, 'kind is not a PanelKind', kind, `use one of ${Object.keys(PanelKind).map((k) => `PanelKind.${k}`).join(', ')}`);
  }
  const unit = props.unit ?? 'short';
  if (!UNIT.test(unit)) {
    throw validationError(at, 'unit is not a Grafana unit id', unit, 'use a unit id such as "short", "reqps", "bytes" or "percentunit"');
  }
  const queries = props.queries ?? [];
  if (!Array.isArray(queries) || queries.length === 0 || queries.length > MAX_QUERIES) {
    throw validationError(at, `a panel needs 1 to ${MAX_QUERIES} queries`, Array.isArray(queries) ? queries.length : queries,
      'pass queries: [{ expr: "..." }], splitting larger sets over several panels');
  }
  if (checkQueries) queries.forEach((query, i) => validatePanelQuery(`${at} query ${refId(i)}`, query?.expr, labelVariables));
  return {
    title,
    kind,
    description: props.description,
    unit,
    width: validateSize(at, 'width', props.width ?? 12, GRID_COLUMNS),
    height: validateSize(at, 'height', props.height ?? 8, MAX_HEIGHT),
    // Copies of what was validated: a later change to the caller's objects must not reach the dashboard.
    queries: queries.map((query) => ({ ...query })),
  };
}

/** Grafana's query id for the i-th query of a panel: A, B, C, ... */
export function refId(index: number): string {
  return String.fromCharCode('A'.charCodeAt(0) + index);
}
