import { App } from 'cdk8s';
import { SecurityMonitoringStack } from '../src';

/** What every example does when run as a script: synthesize, then print what each stack deploys. */
export function synthAndDescribe(app: App): void {
  app.synth();
  for (const stack of app.node.findAll().filter((c): c is SecurityMonitoringStack => c instanceof SecurityMonitoringStack)) {
    console.log(stack.describe());
  }
  console.log(`Manifests written to ${app.outdir}`);
}
