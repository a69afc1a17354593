/**
 * Throw-away Redis servers that need credentials: test certificates made with `openssl` in a temp folder (a CA
 * and a server certificate for 127.0.0.1/localhost; nothing is committed), a TLS-only redis-server with an ACL
 * user and the `default` user off, and password-protected servers. Each helper returns a `stop` that ends the
 * processes it started and removes its folder.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../global-setup.js';
import { startRedisServer } from './cluster.js';

const run = promisify(execFile);

export interface TestCerts {
  dir: string;
  /** The CA's certificate (PEM), what REDIS_TLS_CA names. */
  ca: string;
  cert: string;
  key: string;
}

/** A CA and a server certificate signed by it, valid for 127.0.0.1 and localhost, written under `dir`. */
export async function makeCerts(dir: string): Promise<TestCerts> {
  const f = (name: string) => join(dir, name);
  await run(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=zhucun test CA'].concat([
      '-keyout',
      f('ca.key'),
      '-out',
      f('ca.crt'),
    ]),
  );
  await writeFile(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run(
    'openssl',
    ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost'].concat([
      '-keyout',
      f('server.key'),
      '-out',
      f('server.csr'),
    ]),
  );
  await run(
    'openssl',
    ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key')].concat([
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      f('server.ext'),
      '-out',
      f('server.crt'),
    ]),
  );
  return { dir, ca: f('ca.crt'), cert: f('server.crt'), key: f('server.key') };
}

/** Stop the given redis-servers (SIGTERM, wait for exit); those already gone are skipped. */
export async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (c) => {
      if (c.exitCode !== null || c.signalCode === 'SIGKILL') return;
      c.kill('SIGCONT'); // one a test stopped (SIGSTOP) could not act on SIGTERM
      c.kill('SIGTERM');
      await once(c, 'exit');
    }),
  );
}

export interface TlsRedis {
  port: number;
  certs: TestCerts;
  user: string;
  password: string;
  stop(): Promise<void>;
}

/**
 * A redis-server speaking only TLS (`--port 0 --tls-port`), clients not asked for certificates, with one ACL user
 * allowed everything and the `default` user switched off, so nothing gets in without that user's password.
 */
export async function startTlsRedis(): Promise<TlsRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'zhucun-tls-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await stopAll(children);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const certs = await makeCerts(dir);
    const port = await freePort();
    const user = 'zhucun';
    const password = 'tls-acl-secret-42';
    const conf = [
      'port 0',
      `tls-port ${port}`,
      'bind 127.0.0.1',
      `tls-cert-file ${certs.cert}`,
      `tls-key-file ${certs.key}`,
      `tls-ca-cert-file ${certs.ca}`,
      'tls-auth-clients no',
      `dir ${dir}`,
      'save ""',
      'appendonly no',
      'user default off',
      `user ${user} on >${password} ~* &* +@all`,
    ];
    await writeFile(join(dir, 'redis.conf'), conf.join('\n') + '\n', { mode: 0o600 });
    children.push(await startRedisServer([join(dir, 'redis.conf')]));
    return { port, certs, user, password, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
