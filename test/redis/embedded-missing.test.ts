/**
 * Without redis-server installed the embedded mode cannot start: the error says how to install it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { silentLogger as log } from '../../src/log.js';
import { openEmbeddedRedis, RedisNotInstalledError } from '../../src/redis/embedded.js';

const dataDir = await mkdtemp(join(tmpdir(), 'zhucun-noredis-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

it('tells to run the bootstrap script or apt-get when redis-server is missing', async () => {
  const err = (await openEmbeddedRedis({ dataDir, log, redisServer: 'redis-server-not-installed' }).catch(
    (e: unknown) => e,
  )) as Error;
  expect(err).toBeInstanceOf(RedisNotInstalledError);
  expect(err.message).toContain('sh scripts/bootstrap.sh');
  expect(err.message).toContain('apt-get install redis-server');
});
