import { ErrorLocation, validationError } from './validation';

/**
 * A Kubernetes quantity as `resource.ParseQuantity` reads it: a signed decimal
 * number, then a binary suffix (Ki ... Ei), a decimal one (n, u, m, k, M ... E)
 * or a decimal exponent (e3, E-2).
 */
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const MULTIPLIERS: Record<string, number> = {
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
};

/** A parsed quantity: its value in base units (cores, bytes) and its suffix. */
interface Quantity { readonly value: number; readonly suffix: string }

function parseQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const suffix = match[3] ?? '';
  const multiplier = /^[eE][+-]?\d+$/.test(suffix) ? 10 ** Number(suffix.slice(1)) : MULTIPLIERS[suffix];
  return { value: Number(`${match[1]}${match[2]}`) * multiplier, suffix };
}

/** Requests and limits of one container, as their props name them. */
export interface ContainerResources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
}

/**
 * Validates a container's requests and limits as the API server does (a
 * quantity, not negative, a request at most its limit), and the mistakes it
 * lets through but no container survives: memory in fractions of a byte
 * (`512m` is 0.512 bytes, not 512 MiB) and CPU in byte units.
 * @param prefix the props' path, e.g. `resources`
 */
export function validateContainerResources(where: ErrorLocation, prefix: string, resources: ContainerResources): ContainerResources {
  const parsed = {} as Record<keyof ContainerResources, Quantity>;
  for (const field of ['cpuRequest', 'memoryRequest', 'cpuLimit', 'memoryLimit'] as const) {
    const text = resources[field];
    const name = `${prefix}.${field}`;
    const quantity = typeof text === 'string' ? parseQuantity(text) : undefined;
    if (quantity === undefined) {
      throw validationError(where, `${name} is not a Kubernetes quantity`, text, 'use a quantity such as "500m", "1", "512Mi" or "2Gi"');
    }
    if (quantity.value < 0) {
      throw validationError(where, `${name} is negative, which the API server refuses`, text, 'use a quantity of 0 or more');
    }
    const memory = field.startsWith('memory');
    if (memory && !Number.isInteger(quantity.value)) {
      const number = text.slice(0, text.length - quantity.suffix.length);
      const hint = quantity.suffix === 'm' ? ` ("m" is milli: did you mean "${number}Mi"?)` : '';
      throw validationError(where, `${name} is a fraction of a byte${hint}`, text, 'write memory in bytes with a suffix such as "Mi" or "Gi", e.g. "512Mi"');
    }
    if (!memory && /i$/.test(quantity.suffix)) {
      throw validationError(where, `${name} counts CPU in ${quantity.suffix}, a byte unit (${quantity.value} cores)`, text,
        'write CPU in cores or millicores, e.g. "1", "0.5" or "500m"');
    }
    parsed[field] = quantity;
  }
  for (const resource of ['cpu', 'memory'] as const) {
    const request = `${resource}Request` as const;
    const limit = `${resource}Limit` as const;
    if (parsed[request].value > parsed[limit].value) {
      throw validationError(where, `${prefix}.${request} is more than ${prefix}.${limit} ("${resources[limit]}"), which the API server refuses`, resources[request],
        `raise ${limit} to at least "${resources[request]}", or lower ${request}`);
    }
  }
  return resources;
}
