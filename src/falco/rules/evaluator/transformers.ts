import { FieldType } from '../field-catalogue';
import { TypedValue } from './typed-values';

/**
 * The single-value transformers of libsinsp
 * (libs `userspace/libsinsp/sinsp_filter_transformers/*.cpp`), applied to
 * every extracted value. undefined means the transformation failed, which
 * libsinsp treats as a failed extraction (the check is false).
 */

/** C tolower/toupper in the C locale: ASCII letters only. */
function mapAscii(text: string, upper: boolean): string {
  return upper ? text.replace(/[a-z]/g, (c) => c.toUpperCase()) : text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Base64::decodeWithoutPadding (libsinsp base64.h): the standard alphabet, up to two `=` of padding; anything else fails. */
function decodeBase64(text: string): Buffer | undefined {
  const unpadded = text.replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(unpadded) || unpadded.length % 4 === 1) return undefined;
  return Buffer.from(unpadded, 'base64');
}

function asText(v: TypedValue): string {
  return Buffer.isBuffer(v) ? v.toString('latin1') : String(v);
}

/** The type a transformer returns for an argument of `type`, as libsinsp types it at compile time. */
export function transformedType(name: string, type: FieldType): FieldType {
  return name === 'len' ? FieldType.INTEGER : type;
}

/**
 * Applies `tolower`, `toupper`, `b64`, `basename` or `len` to the values of
 * one argument. `len` of a list field is the number of values.
 */
export function applyTransformer(name: string, values: TypedValue[], isList: boolean): TypedValue[] | undefined {
  switch (name) {
    case 'tolower':
    case 'toupper':
      return values.map((v) => mapAscii(asText(v), name === 'toupper'));
    case 'basename':
      return values.map((v) => {
        const text = asText(v);
        return text.slice(text.lastIndexOf('/') + 1);
      });
    case 'b64': {
      const decoded = values.map((v) => decodeBase64(asText(v)));
      if (decoded.some((d) => d === undefined)) return undefined;
      return decoded.map((d, k) => (Buffer.isBuffer(values[k]) ? d! : d!.toString('utf8')));
    }
    case 'len':
      if (isList) return [BigInt(values.length)];
      // strnlen on a string (up to a NUL), the byte count of a buffer.
      return values.map((v) => BigInt(Buffer.isBuffer(v) ? v.length : Buffer.byteLength(asText(v).split('\0')[0], 'utf8')));
    default:
      return undefined;
  }
}

/**
 * getopt(args, optstring): the options of an argument list, as libsinsp's
 * getopt transformer reads them (sinsp_filtercheck_multivalue_transformer.cpp):
 * option letters and their values in order, `?` for an unknown option; with a
 * selector (`getopt(...)[c]`), only the value of option `c` (or `c` itself).
 */
export function getopt(args: readonly string[], optstring: string, selector?: string): string[] | undefined {
  const withArgs = new Set<string>();
  const valid = new Set<string>();
  for (let k = optstring.startsWith(':') ? 1 : 0; k < optstring.length; k++) {
    const opt = optstring[k];
    if (opt === ':') continue;
    valid.add(opt);
    if (optstring[k + 1] === ':') {
      withArgs.add(opt);
      k++;
    }
  }
  const results: string[] = [];
  let selected: string | undefined;
  const emit = (option: string, value?: string) => {
    if (selector !== undefined) selected = value ?? option;
    else results.push(option, ...(value === undefined ? [] : [value]));
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--') break;
    if (arg.length > 2 && arg.startsWith('--')) continue;
    if (arg === '' || arg[0] !== '-' || arg.length === 1) break;
    for (let i = 1; i < arg.length; i++) {
      const opt = arg[i];
      if (opt === ':' || !valid.has(opt)) {
        if (selector === undefined) results.push('?');
        continue;
      }
      const matches = selector === undefined || opt === selector;
      if (!withArgs.has(opt)) {
        if (matches) emit(opt);
        continue;
      }
      let value: string | undefined;
      if (i + 1 < arg.length) value = arg.slice(i + 1);
      else if (index + 1 < args.length) value = args[++index];
      if (value === undefined) {
        if (matches) emit('');
        break;
      }
      if (matches) emit(opt, value);
      break;
    }
  }
  if (selector !== undefined) return selected === undefined ? undefined : [selected];
  return results;
}
