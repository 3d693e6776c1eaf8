import * as fc from 'fast-check';
import { ContainerResources, validateContainerResources } from '../../src/common/quantity';
import { ValidationError } from '../../src/common/validation';

const DEFAULTS: ContainerResources = { cpuRequest: '100m', memoryRequest: '512Mi', cpuLimit: '1', memoryLimit: '1Gi' };
const check = (resources: Partial<ContainerResources>) => () => validateContainerResources('falco', 'resources', { ...DEFAULTS, ...resources });

describe('validateContainerResources', () => {
  test.each([
    ['memory in millibytes', { memoryLimit: '512m' },
      'falco: resources.memoryLimit is a fraction of a byte ("m" is milli: did you mean "512Mi"?) (got "512m"): write memory in bytes with a suffix such as "Mi" or "Gi", e.g. "512Mi"'],
    ['memory of half a byte', { memoryRequest: '0.5' },
      'falco: resources.memoryRequest is a fraction of a byte (got "0.5"): write memory in bytes with a suffix such as "Mi" or "Gi", e.g. "512Mi"'],
    ['CPU in a byte unit', { cpuLimit: '2Gi' },
      'falco: resources.cpuLimit counts CPU in Gi, a byte unit (2147483648 cores) (got "2Gi"): write CPU in cores or millicores, e.g. "1", "0.5" or "500m"'],
    ['a negative quantity', { cpuRequest: '-100m' },
      'falco: resources.cpuRequest is negative, which the API server refuses (got "-100m"): use a quantity of 0 or more'],
    ['a memory request above its limit', { memoryRequest: '2Gi' },
      'falco: resources.memoryRequest is more than resources.memoryLimit ("1Gi"), which the API server refuses (got "2Gi"): raise memoryLimit to at least "2Gi", or lower memoryRequest'],
    ['a CPU request above its limit, in other units', { cpuRequest: '1.5', cpuLimit: '1200m' },
      'falco: resources.cpuRequest is more than resources.cpuLimit ("1200m"), which the API server refuses (got "1.5"): raise cpuLimit to at least "1.5", or lower cpuRequest'],
    ['a unit the API server does not know', { memoryLimit: '1GB' },
      'falco: resources.memoryLimit is not a Kubernetes quantity (got "1GB"): use a quantity such as "500m", "1", "512Mi" or "2Gi"'],
  ])('%s', (_name, resources, message) => {
    expect(check(resources)).toThrow(message);
  });

  test.each([
    { cpuRequest: '0.1', cpuLimit: '1e0' },
    { memoryRequest: '1.5Gi', memoryLimit: '2G' },
    { memoryRequest: '1e9', memoryLimit: '1E' },
    { cpuRequest: '1', cpuLimit: '1', memoryRequest: '1Gi', memoryLimit: '1Gi' },
    { cpuRequest: '+250m', cpuLimit: '.5' },
  ])('accepts %j', (resources) => {
    expect(check(resources)).not.toThrow();
  });

  test('arbitrary quantities: accepted, or a ValidationError', () => {
    const resources = fc.record({ cpuRequest: fc.string(), memoryRequest: fc.string(), cpuLimit: fc.string(), memoryLimit: fc.string() });
    fc.assert(fc.property(resources, (generated) => {
      try {
        validateContainerResources('falco', 'resources', generated);
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
      }
    }), { seed: 7 });
  });
});
