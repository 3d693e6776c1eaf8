/**
 * The actionners of Falco Talon 0.3.0 (the default image), as its source
 * declares them (`actionners/<category>/<name>/<name>.go`): the parameter keys
 * (`mapstructure` tags), the required ones (`validate:"required"`), and whether
 * the action's result goes to an output (`RequireOutput`, `AllowOutput`),
 * and whether the rule's next actions run after it (`Continue`).
 * Talon rejects a rules file with an unknown actionner or a missing required
 * parameter at start-up; an unknown parameter key it ignores silently, so a
 * typo would change what the action does without a word. Custom actionners
 * are checked against this table.
 */
export interface TalonActionnerSpec {
  /** Parameter keys the actionner reads. */
  readonly parameters: readonly string[];
  /** Keys it refuses to run without. */
  readonly required: readonly string[];
  /** `required`: the action fails without an output; `allowed`: optional; `none`: an output is ignored. */
  readonly output: 'required' | 'allowed' | 'none';
  /** It acts through the Kubernetes API, so Talon's ClusterRole must grant what it does. */
  readonly kubernetesApi: boolean;
  /** Why the rule's next actions do not run after it (`Continue: false`). @default - they run */
  readonly endsRule?: TalonRuleEnd;
}

/**
 * Why Talon stops a rule after an actionner whose `Continue` is false: it
 * removed what the next actions would act on (an action after it is a
 * mistake), or it is merely Talon's default (the action can say `continue`).
 */
export enum TalonRuleEnd {
  REMOVES_TARGET = 'removes its target',
  BY_DEFAULT = 'by default',
}

const k8s = (parameters: string[], required: string[] = [], output: TalonActionnerSpec['output'] = 'none', endsRule?: TalonRuleEnd): TalonActionnerSpec =>
  ({ parameters, required, output, kubernetesApi: true, ...(endsRule ? { endsRule } : {}) });

export const TALON_ACTIONNERS: Readonly<Record<string, TalonActionnerSpec>> = {
  'kubernetes:terminate': k8s(['min_healthy_replicas', 'ignore_daemonsets', 'ignore_statefulsets', 'ignore_standalone_pods', 'grace_period_seconds'],
    [], 'none', TalonRuleEnd.REMOVES_TARGET),
  'kubernetes:label': k8s(['labels', 'level'], ['labels']),
  'kubernetes:annotation': k8s(['annotations', 'level'], ['annotations']),
  'kubernetes:networkpolicy': k8s(['allow_cidr', 'allow_namespaces']),
  'kubernetes:exec': k8s(['command', 'shell'], ['command']),
  'kubernetes:script': k8s(['script', 'file', 'shell']),
  'kubernetes:log': k8s(['tail_lines'], [], 'allowed'),
  'kubernetes:delete': k8s([], [], 'none', TalonRuleEnd.REMOVES_TARGET),
  'kubernetes:cordon': k8s([]),
  'kubernetes:drain': k8s(['min_healthy_replicas', 'wait_period_excluded_namespaces', 'ignore_errors', 'ignore_daemonsets', 'ignore_statefulsets', 'max_wait_period']),
  'kubernetes:download': k8s(['file'], ['file'], 'required'),
  'kubernetes:tcpdump': k8s(['image', 'duration', 'snaplen'], [], 'required', TalonRuleEnd.BY_DEFAULT),
  'kubernetes:sysdig': k8s(['image', 'scope', 'duration', 'buffer_size'], [], 'required', TalonRuleEnd.BY_DEFAULT),
  'calico:networkpolicy': k8s(['allow_cidr', 'allow_namespaces', 'order']),
  'cilium:networkpolicy': k8s(['allow_cidr', 'allow_namespaces']),
  'aws:lambda': {
    parameters: ['aws_lambda_name', 'aws_lambda_alias_or_version', 'aws_lambda_invocation_type'],
    required: ['aws_lambda_name'],
    output: 'none',
    kubernetesApi: false,
  },
  'gcp:function': {
    parameters: ['gcp_function_name', 'gcp_function_location', 'gcp_function_timeout'],
    required: ['gcp_function_name', 'gcp_function_location'],
    output: 'none',
    kubernetesApi: false,
  },
};

/** Categories whose actionners act through the Kubernetes API (Calico's and Cilium's policies are Kubernetes objects). */
export const KUBERNETES_API_CATEGORIES: readonly string[] = ['kubernetes', 'calico', 'cilium'];
