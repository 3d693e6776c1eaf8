import { isIP } from 'net';
import { FieldType } from './field-catalogue';

/** The field types each single-field transformer takes (libsinsp `sinsp_filter_transformer`). */
export const STRING_TRANSFORMERS: Record<string, FieldType[]> = {
  tolower: [FieldType.STRING],
  toupper: [FieldType.STRING],
  b64: [FieldType.STRING, FieldType.BUFFER],
  basename: [FieldType.STRING],
  len: [FieldType.STRING, FieldType.LIST, FieldType.BUFFER],
};

/**
 * Whether a regex needs the regex operator, as libsinsp judges it: `^`/`$`
 * at the ends and `.*`-style wildcards at either end do not count.
 */
export function needsRegex(v: string): boolean {
  const special = '.+*?^$()[]{}|\\';
  for (let i = 0; i < v.length; i++) {
    if ((i === 0 && v[i] === '^') || (i === v.length - 1 && v[i] === '$')) continue;
    if (((i === 0 && v.length > 1) || i === v.length - 2) && v[i] === '.' && '+*?'.includes(v[i + 1] ?? '')) {
      i++;
      continue;
    }
    if (special.includes(v[i])) return true;
  }
  return false;
}

/** Why Falco cannot read `value` as a value of `type`, if it cannot. */
export function valueProblem(type: FieldType, value: string): { what: string; fix: string } | undefined {
  switch (type) {
    case FieldType.INTEGER:
    case FieldType.DOUBLE:
      if (/^[+-]?[0-9]+$/.test(value)) return undefined;
      return {
        what: 'a decimal integer',
        fix: /^0[xX][0-9a-fA-F]+$/.test(value) ? `write the number in decimal (${parseInt(value, 16)})` : 'write a decimal integer such as 42',
      };
    case FieldType.BOOL:
      return value === 'true' || value === 'false' ? undefined : { what: 'true or false', fix: 'write true or false' };
    case FieldType.IPADDR:
      return isIP(value) ? undefined : { what: 'an IP address', fix: 'write an IPv4 or IPv6 address such as 10.0.0.1' };
    case FieldType.IPNET: {
      const [ip, bits, extra] = value.split('/');
      const max = isIP(ip) === 4 ? 32 : 128;
      const ok = isIP(ip) !== 0 && extra === undefined && bits !== undefined && /^[0-9]+$/.test(bits) && Number(bits) <= max;
      return ok ? undefined : { what: 'an IP network', fix: 'write a network in CIDR notation such as 10.0.0.0/8' };
    }
    default:
      return undefined;
  }
}

/** Byte strings as bcontains and bstartswith take them: pairs of hex digits. */
const HEX_BYTES = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * Why Falco cannot use `value` with `operator` whatever the field's type:
 * bcontains and bstartswith take hex bytes ("bcontains and bstartswith operator
 * support hex strings only").
 */
export function operatorValueProblem(operator: string, value: string): { what: string; fix: string } | undefined {
  if ((operator === 'bcontains' || operator === 'bstartswith') && !HEX_BYTES.test(value)) {
    return { what: 'hex bytes', fix: 'write the bytes as pairs of hex digits, e.g. 7f454c46 for the four bytes that start an ELF file' };
  }
  return undefined;
}
