/**
 * A custom Fluent Bit output delivers, with a real Fluent Bit: the pipeline's
 * own config with a `SiemDestination.custom` http output (its password from
 * `optionSecrets`) ships records to a local receiver, which sees every record
 * with its `log_type` and the password that Fluent Bit read from the
 * Secret-backed variable, never from the config. Live only (FLUENT_BIT_BIN):
 * what holds without the binary is the recorded `--dry-run` verdict of the
 * custom configs (fluent-bit-dry-run.test.ts).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { SiemDestination, SiemPipeline, SiemSource } from '../../src';
import { describeLive, FLUENT_BIT } from '../util/live-tools';

const PASSWORD = 'receiver-password-from-the-secret';
const RECORDS = 20;

/** The pipeline's config with its tail input replaced by `RECORDS` generated records and its state in `dir`. */
function runnableConfig(port: number, dir: string): string {
  const pipeline = new SiemPipeline(Testing.chart(), 'siem', {
    sources: [SiemSource.hostFiles({ glob: '/var/log/app/*.log', logType: 'app' })],
    destinations: [SiemDestination.custom({
      plugin: 'http',
      options: { host: '127.0.0.1', port: String(port), uri: '/ingest', format: 'json', http_user: 'shipper' },
      optionSecrets: { http_passwd: { secretName: 'receiver', key: 'password' } },
      tls: false,
    })],
  });
  const config = parse(pipeline.config);
  expect(config.pipeline.outputs[0].http_passwd).toBe('${SIEM_DEST1_HTTP_PASSWD}');
  config.service['storage.path'] = path.join(dir, 'storage');
  config.service.http_server = 'off';
  config.pipeline.inputs = [{ name: 'dummy', tag: 'app.dummy', dummy: '{"message":"shell spawned"}', samples: RECORDS, rate: 50 }];
  return stringify(config);
}

const freePort = () => new Promise<number>((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    server.close(() => resolve(port));
  });
});

describeLive(FLUENT_BIT, 'SiemDestination.custom delivers', (bin) => {
  test('every record reaches the receiver, with its log type and the password from the variable', async () => {
    const received: Array<{ authorization?: string; records: any[] }> = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        received.push({ authorization: req.headers.authorization, records: JSON.parse(body) });
        res.writeHead(200).end();
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custom-destination-'));
    fs.writeFileSync(path.join(dir, 'fluent-bit.yaml'), runnableConfig(port, dir));
    const fluentBit = spawn(bin, ['-c', path.join(dir, 'fluent-bit.yaml')], {
      env: { ...process.env, SIEM_DEST1_HTTP_PASSWD: PASSWORD }, stdio: 'ignore',
    });
    try {
      for (let waited = 0; received.flatMap((r) => r.records).length < RECORDS && waited < 20_000; waited += 200) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      fluentBit.kill('SIGTERM');
      receiver.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const records = received.flatMap((r) => r.records);
    expect(records).toHaveLength(RECORDS);
    expect(records.every((r) => r.log_type === 'app' && r.message === 'shell spawned')).toBe(true);
    expect(new Set(received.map((r) => r.authorization))).toEqual(new Set([`Basic ${Buffer.from(`shipper:${PASSWORD}`).toString('base64')}`]));
  }, 60_000);
});
