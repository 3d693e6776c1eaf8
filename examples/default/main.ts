/**
 * The default stack: every component with its defaults, no external systems.
 * `npm run synth` writes it to dist/security-monitoring.k8s.yaml and prints
 * what it deploys.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { SecurityMonitoringStack } from '../../src';
import { synthAndDescribe } from '../run';

export function buildDefaultApp(outdir = path.join(__dirname, '..', '..', 'dist')): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'security-monitoring');
  new SecurityMonitoringStack(chart, 'stack');
  return app;
}

if (require.main === module) synthAndDescribe(buildDefaultApp());
