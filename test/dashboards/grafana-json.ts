/**
 * What Grafana 10 and later need of a provisioned dashboard JSON model, as
 * one check used by the dashboard tests.
 */
export function grafanaDashboardProblems(dashboard: any): string[] {
  const problems: string[] = [];
  const fail = (message: string) => problems.push(message);
  if (typeof dashboard.title !== 'string' || dashboard.title === '') fail('title missing');
  if (typeof dashboard.uid !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(dashboard.uid)) fail(`uid ${dashboard.uid} invalid`);
  if (!Number.isInteger(dashboard.schemaVersion) || dashboard.schemaVersion < 36) fail('schemaVersion below Grafana 9.1');

  const variables: any[] = dashboard.templating?.list ?? [];
  const datasource = variables.find((v) => v.type === 'datasource' && v.query === 'prometheus');
  if (!datasource) fail('no prometheus datasource variable');
  const datasourceRef = `\${${datasource?.name}}`;

  const panels: any[] = dashboard.panels ?? [];
  const ids = panels.map((p) => p.id);
  if (new Set(ids).size !== ids.length || !ids.every(Number.isInteger)) fail(`panel ids not unique integers: ${ids}`);
  const occupied = new Map<string, string>();
  for (const panel of panels) {
    const { x, y, w, h } = panel.gridPos ?? {};
    if (![x, y, w, h].every(Number.isInteger) || x < 0 || y < 0 || w < 1 || h < 1 || x + w > 24) {
      fail(`panel "${panel.title}" gridPos ${JSON.stringify(panel.gridPos)} outside the 24-column grid`);
      continue;
    }
    for (let cx = x; cx < x + w; cx++) {
      for (let cy = y; cy < y + h; cy++) {
        const other = occupied.get(`${cx},${cy}`);
        if (other) fail(`panel "${panel.title}" overlaps "${other}" at ${cx},${cy}`);
        occupied.set(`${cx},${cy}`, panel.title);
      }
    }
    if (panel.type === 'row') continue;
    if (panel.datasource?.uid !== datasourceRef) fail(`panel "${panel.title}" does not use ${datasourceRef}`);
    if (!Array.isArray(panel.targets) || panel.targets.length === 0) fail(`panel "${panel.title}" has no targets`);
    for (const target of panel.targets ?? []) {
      if (typeof target.refId !== 'string' || typeof target.expr !== 'string') fail(`panel "${panel.title}" target without refId/expr`);
      if (target.datasource?.uid !== datasourceRef) fail(`panel "${panel.title}" target ${target.refId} does not use ${datasourceRef}`);
    }
  }
  return problems;
}

/** Every query of a dashboard, with Grafana's interval variables as Grafana would substitute them. */
export function panelQueries(dashboard: any): Array<{ title: string; expr: string }> {
  return (dashboard.panels as any[]).flatMap((p) => (p.targets ?? []).map((t: any) => ({
    title: `${p.title} ${t.refId}`,
    expr: String(t.expr).replace(/\$__(rate_interval|interval|range)/g, '1m'),
  })));
}
