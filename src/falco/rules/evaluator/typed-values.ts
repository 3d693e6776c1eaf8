import { isIP } from 'net';
import { FieldType } from '../field-catalogue';

/**
 * Values of Falco's field types as libsinsp reads them: constants in a
 * condition (libs `value_parser.cpp` string_to_rawval) and values an event
 * carries. Integers are exact (BigInt), strings compare as bytes.
 */

/** An IPv4 or IPv6 address as bytes (4 or 16). */
export interface IpAddress {
  readonly kind: 'ip';
  readonly bytes: Buffer;
}

/** A network in CIDR notation: an address and a prefix length. */
export interface IpNetwork {
  readonly kind: 'net';
  readonly bytes: Buffer;
  readonly prefix: number;
}

export type TypedValue = string | bigint | number | boolean | Buffer | IpAddress | IpNetwork;

/** A value libsinsp cannot read for the field's type; Falco refuses the rules file or the event carries no such value. */
export class ValueError extends Error {
  constructor(public readonly reason: string) {
    super(reason);
    this.name = 'ValueError';
  }
}

/**
 * Service names `getservbyname()` resolves on the Falco image (Debian's
 * /etc/services), for port constants such as `fd.sport = https`.
 */
const SERVICES: Readonly<Record<string, number>> = {
  'ftp-data': 20,
  'ftp': 21,
  'ssh': 22,
  'telnet': 23,
  'smtp': 25,
  'domain': 53,
  'gopher': 70,
  'finger': 79,
  'http': 80,
  'kerberos': 88,
  'pop3': 110,
  'sunrpc': 111,
  'auth': 113,
  'nntp': 119,
  'ntp': 123,
  'imap2': 143,
  'snmp': 161,
  'ldap': 389,
  'https': 443,
  'microsoft-ds': 445,
  'submission': 587,
  'ldaps': 636,
  'rsync': 873,
  'imaps': 993,
  'pop3s': 995,
  'socks': 1080,
  'openvpn': 1194,
  'ms-sql-s': 1433,
  'mysql': 3306,
  'postgresql': 5432,
  'x11': 6000,
  'http-alt': 8080,
  'redis': 6379,
  'amqp': 5672,
  'mongodb': 27017,
};

const DECIMAL = /^[+-]?[0-9]+$/;

/** Reads a constant of the condition as a value of `type`, as Falco's filter compiler does. */
export function parseConstant(type: FieldType, text: string): TypedValue {
  switch (type) {
    case FieldType.INTEGER:
      if (!DECIMAL.test(text)) throw new ValueError(`"${text}" is not a decimal integer`);
      return BigInt(text);
    case FieldType.DOUBLE:
      // libsinsp reads double constants as 32-bit integers (value_parser.cpp, PT_DOUBLE).
      if (!DECIMAL.test(text)) throw new ValueError(`"${text}" is not a decimal integer (Falco reads no fractions here)`);
      return Number(text);
    case FieldType.PORT: {
      if (text === '') return 0n;
      if (/^[0-9]+$/.test(text)) return BigInt(Number(text) % 65536);
      const port = SERVICES[text];
      if (port === undefined) throw new ValueError(`"${text}" is not a port number or a known service name`);
      return BigInt(port);
    }
    case FieldType.BOOL:
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw new ValueError(`"${text}" is not true or false`);
    case FieldType.IPADDR:
      return parseAddress(text);
    case FieldType.IPNET:
      return parseNetwork(text);
    case FieldType.BUFFER:
      return Buffer.from(text, 'utf8');
    default:
      return text;
  }
}

/** bcontains and bstartswith take hex bytes (libs filter.cpp, sinsp_utils::unhex). */
export function parseHexBytes(text: string): Buffer {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(text)) throw new ValueError(`"${text}" is not hex bytes`);
  return Buffer.from(text, 'hex');
}

export function parseAddress(text: string): IpAddress {
  const family = isIP(text);
  if (family === 4) return { kind: 'ip', bytes: Buffer.from(text.split('.').map(Number)) };
  if (family === 6) return { kind: 'ip', bytes: ipv6Bytes(text) };
  throw new ValueError(`"${text}" is not an IP address`);
}

function parseNetwork(text: string): IpNetwork {
  const [address, bits, extra] = text.split('/');
  if (bits === undefined || extra !== undefined || !/^[0-9]+$/.test(bits)) throw new ValueError(`"${text}" is not a network in CIDR notation`);
  const ip = parseAddress(address);
  const prefix = Number(bits);
  if (prefix > ip.bytes.length * 8) throw new ValueError(`"${text}" has a prefix longer than the address`);
  return { kind: 'net', bytes: ip.bytes, prefix };
}

function ipv6Bytes(text: string): Buffer {
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  let normalized = text;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1].split('.').map(Number);
    normalized = text.slice(0, v4.index) + `${(b[0] * 256 + b[1]).toString(16)}:${(b[2] * 256 + b[3]).toString(16)}`;
  }
  const [head, tail] = normalized.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const bytes = Buffer.alloc(16);
  all.forEach((g, k) => bytes.writeUInt16BE(parseInt(g, 16), k * 2));
  return bytes;
}

/**
 * Reads a value an event carries for a field of `type`: numbers or their
 * decimal text for integers, booleans or "true"/"false", addresses as text.
 */
export function parseEventValue(type: FieldType, value: unknown): TypedValue {
  switch (type) {
    case FieldType.INTEGER:
    case FieldType.PORT:
      if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
      if (typeof value === 'string' && DECIMAL.test(value)) return BigInt(value);
      throw new ValueError(`${JSON.stringify(value)} is not an integer`);
    case FieldType.DOUBLE:
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && !isNaN(Number(value))) return Number(value);
      throw new ValueError(`${JSON.stringify(value)} is not a number`);
    case FieldType.BOOL:
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw new ValueError(`${JSON.stringify(value)} is not true or false`);
    case FieldType.IPADDR:
    case FieldType.IPNET:
      // An IP network field extracts the address; the constant is the network.
      if (typeof value === 'string') return parseAddress(value);
      throw new ValueError(`${JSON.stringify(value)} is not an IP address`);
    case FieldType.BUFFER:
      if (typeof value === 'string') return Buffer.from(value, 'utf8');
      throw new ValueError(`${JSON.stringify(value)} is not a string of bytes`);
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw new ValueError(`${JSON.stringify(value)} is not a string`);
  }
}

/** How a value reads in a message. */
export function showValue(value: TypedValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('utf8'));
  const address = value.bytes.length === 4 ? [...value.bytes].join('.') : formatIpv6(value.bytes);
  return value.kind === 'net' ? `${address}/${value.prefix}` : address;
}

function formatIpv6(bytes: Buffer): string {
  const groups: string[] = [];
  for (let k = 0; k < 16; k += 2) groups.push(bytes.readUInt16BE(k).toString(16));
  return groups.join(':');
}
