import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DeliveryContext } from './delivery-context';
import { optionalArgument, requiredArgument } from '../common/arguments';
import { goDuration } from '../common/duration';
import {
  describeLocation, validateLabelKey, validateLabels, validateLabelValue, validationError,
} from '../common/validation';
import { GrafanaDashboard } from '../imports/grafanadashboards-grafana.integreatly.org';

/**
 * The annotation kiwigrid/k8s-sidecar (the Grafana chart's dashboard sidecar)
 * reads the target directory from when the chart's
 * `sidecar.dashboards.folderAnnotation` is unset (its default).
 */
const SIDECAR_DEFAULT_FOLDER_ANNOTATION = 'k8s-sidecar-target-directory';
/** A folder name that stays one directory below the sidecar's dashboard folder. */
const FOLDER_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/;

/** Options of `DashboardDelivery.grafanaSidecar`. */
export interface GrafanaSidecarDeliveryOptions {
  /**
   * Label the sidecar watches (the Grafana chart's `sidecar.dashboards.label`).
   * @default 'grafana_dashboard'
   */
  readonly label?: string;

  /**
   * Value of the label (the chart's `sidecar.dashboards.labelValue`; when
   * that is empty, any value matches).
   * @default '1'
   */
  readonly labelValue?: string;

  /**
   * Grafana folder for the dashboard. The sidecar writes the file into a
   * directory of this name, which becomes a folder when the chart sets
   * `sidecar.dashboards.provider.foldersFromFilesStructure: true`.
   * @default - no annotation: the provider's folder
   */
  readonly folder?: string;

  /**
   * Annotation that carries `folder` (the chart's `sidecar.dashboards.folderAnnotation`).
   * @default 'k8s-sidecar-target-directory' (the sidecar's own default)
   */
  readonly folderAnnotation?: string;
}

/** Options of `DashboardDelivery.grafanaOperator`. */
export interface GrafanaOperatorDeliveryOptions {
  /** Labels of the `Grafana` instances that import the dashboard (`spec.instanceSelector.matchLabels`). */
  readonly instanceSelector: { [key: string]: string };

  /**
   * Grafana folder title (`spec.folder`); the operator creates it if missing.
   * @default - the General folder
   */
  readonly folder?: string;

  /**
   * How often the operator re-applies the dashboard (`spec.resyncPeriod`,
   * written as a Go duration: `Duration.days(1)` is `24h`).
   * @default - the operator's default (10 minutes)
   */
  readonly resyncPeriod?: Duration;

  /**
   * Let Grafana instances in other namespaces import the dashboard.
   * @default false
   */
  readonly allowCrossNamespaceImport?: boolean;
}

type Deliver = (scope: Construct, context: DeliveryContext) => ApiObject;

/**
 * How a `SecurityDashboard` reaches Grafana. Each delivery renders one
 * object holding exactly one dashboard.
 */
export class DashboardDelivery {
  /**
   * A ConfigMap that the Grafana chart's dashboard sidecar (kube-prometheus-stack
   * enables it) loads. The sidecar searches only Grafana's namespace unless the
   * chart sets `sidecar.dashboards.searchNamespace` (e.g. `ALL`).
   */
  public static grafanaSidecar(options: GrafanaSidecarDeliveryOptions = {}): DashboardDelivery {
    options = optionalArgument('DashboardDelivery.grafanaSidecar', 'options', options) ?? {};
    return new DashboardDelivery('grafanaSidecar', (scope, context) => {
      const where = `${describeLocation(scope)} grafanaSidecar`;
      const label = validateLabelKey(where, 'label', options.label ?? 'grafana_dashboard');
      const labelValue = validateLabelValue(where, 'labelValue', options.labelValue ?? '1');
      const annotations = options.folder === undefined ? undefined : {
        [validateLabelKey(where, 'folderAnnotation', options.folderAnnotation ?? SIDECAR_DEFAULT_FOLDER_ANNOTATION)]: validateFolder(where, options.folder),
      };
      return new k8s.KubeConfigMap(scope, 'config-map', {
        metadata: { name: context.name, namespace: context.namespace, labels: { ...context.labels, [label]: labelValue }, annotations },
        data: { [`${context.uid}.json`]: context.json },
      });
    });
  }

  /** A `grafana.integreatly.org/v1beta1 GrafanaDashboard` for grafana-operator v5. */
  public static grafanaOperator(options: GrafanaOperatorDeliveryOptions): DashboardDelivery {
    options = requiredArgument('DashboardDelivery.grafanaOperator', 'options', options, '{ instanceSelector: { dashboards: "grafana" } }', { requiredProps: ['instanceSelector'] });
    return new DashboardDelivery('grafanaOperator', (scope, context) => {
      const where = `${describeLocation(scope)} grafanaOperator`;
      const selector = validateLabels(where, 'instanceSelector', options?.instanceSelector);
      if (Object.keys(selector).length === 0) {
        throw validationError(where, 'instanceSelector is empty', selector,
          'pass the labels of your Grafana resource, e.g. { dashboards: "grafana" }, so only those instances import the dashboard');
      }
      // The CRD takes a Go duration (no "d" unit).
      const resyncPeriod = options.resyncPeriod === undefined ? undefined : goDuration(where, 'resyncPeriod', options.resyncPeriod, 'Duration.minutes(10)');
      return new GrafanaDashboard(scope, 'grafana-dashboard', {
        metadata: { name: context.name, namespace: context.namespace, labels: context.labels },
        spec: {
          instanceSelector: { matchLabels: selector },
          allowCrossNamespaceImport: options.allowCrossNamespaceImport,
          folder: options.folder === undefined ? undefined : validateFolder(where, options.folder),
          resyncPeriod,
          json: context.json,
        },
      });
    });
  }

  private constructor(
    /** Which factory made this delivery; one object per kind and dashboard. */
    public readonly kind: string,
    private readonly deliver: Deliver,
  ) {}

  /** @internal */
  public _render(scope: Construct, context: DeliveryContext): ApiObject {
    return this.deliver(scope, context);
  }
}

function validateFolder(where: string, folder: unknown): string {
  if (typeof folder !== 'string' || !FOLDER_NAME.test(folder)) {
    throw validationError(where, 'folder is not a valid folder name', folder,
      "use 1-63 letters, digits, spaces, '_', '.' or '-', starting with a letter or digit (no '/')");
  }
  return folder;
}
