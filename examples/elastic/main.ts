/**
 * Elasticsearch via Filebeat, for teams on the Elastic stack. The Filebeat
 * pipeline is added to the stack (`addFilebeatPipeline`, which wires it as the
 * stack wires its own Fluent Bit) and ships `stack.securityLogSources()`,
 * so it reads the same audit log path and Falco container as the stack's own
 * Fluent Bit pipeline would. The password is referenced, never rendered:
 * create the Secret `elasticsearch` (key `password`) in `security-logging`.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { SecurityMonitoringStack } from '../../src';
import { synthAndDescribe } from '../run';

export function buildElasticApp(outdir = path.join(__dirname, '..', '..', 'dist', 'elastic')): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'security-monitoring');
  const stack = new SecurityMonitoringStack(chart, 'stack');
  stack.addFilebeatPipeline('filebeat', {
    elasticsearch: {
      host: 'elasticsearch.example.com',
      username: 'filebeat_writer',
      passwordSecret: { secretName: 'elasticsearch', key: 'password' },
    },
    sources: stack.securityLogSources(),
  });
  return app;
}

if (require.main === module) synthAndDescribe(buildElasticApp());
