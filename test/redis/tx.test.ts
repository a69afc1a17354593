import { describe, expect, it } from 'vitest';
import { Tx, TxConflict } from '../../src/redis/tx.js';
import { useTestRedis } from '../helpers/redis.js';

const { redis, keys } = useTestRedis();
const hash = `${keys.ns}:{tx}:h`;

describe('Tx', () => {
  it('commits writes and expectations atomically', async () => {
    const tx = new Tx().expect(hash, 'a', null).hset(hash, 'a', '1').sadd(`${keys.ns}:{tx}:s`, 'x');
    await tx.commit(redis);
    expect(await redis.hget(hash, 'a')).toBe('1');
    expect(await redis.smembers(`${keys.ns}:{tx}:s`)).toEqual(['x']);
  });

  it('applies nothing and throws TxConflict when a record changed since it was read', async () => {
    const read = await redis.hget(hash, 'a');
    await redis.hset(hash, 'a', '2'); // another update wins the race
    const tx = new Tx().expect(hash, 'a', read).hset(hash, 'a', '3').hset(hash, 'b', 'side effect');
    await expect(tx.commit(redis)).rejects.toBeInstanceOf(TxConflict);
    expect(await redis.hget(hash, 'a')).toBe('2');
    expect(await redis.hget(hash, 'b')).toBeNull();
  });

  it('compares a long field read by its SHA-1: unchanged it commits, changed in one character it conflicts', async () => {
    const long = `${'记录'.repeat(400)}[{"id":"a"}]`;
    await redis.hset(hash, 'long', long);
    await new Tx().expect(hash, 'long', long).hset(hash, 'long', `${long}!`).commit(redis);
    expect(await redis.hget(hash, 'long')).toBe(`${long}!`);

    const stale = new Tx().expect(hash, 'long', long).hset(hash, 'long', 'lost');
    await expect(stale.commit(redis)).rejects.toBeInstanceOf(TxConflict);
    await redis.hset(hash, 'long', long.replace('"a"', '"b"'));
    const oneCharacter = new Tx().expect(hash, 'long', long).hset(hash, 'long', 'lost');
    await expect(oneCharacter.commit(redis)).rejects.toBeInstanceOf(TxConflict);
    expect(await redis.hget(hash, 'long')).toBe(long.replace('"a"', '"b"'));
  });

  it('keeps the first expectation of a field, so staged versions of one record in one Tx commit', async () => {
    const tx = new Tx().expect(hash, 'c', null).hset(hash, 'c', 'v1').expect(hash, 'c', 'v1').hset(hash, 'c', 'v2');
    await tx.commit(redis);
    expect(await redis.hget(hash, 'c')).toBe('v2');
  });

  it('counts a counter on in the commit, and conflicts when another update took the number', async () => {
    const counter = `${keys.ns}:{tx}:seq`;
    const tx = new Tx();
    expect(tx.next(counter, await redis.get(counter))).toBe(1);
    expect(tx.next(counter, await redis.get(counter))).toBe(2);
    await tx.commit(redis);
    expect(await redis.get(counter)).toBe('2');

    const late = new Tx();
    expect(late.next(counter, await redis.get(counter))).toBe(3);
    late.hset(hash, 'n', 'side effect');
    const other = new Tx();
    other.next(counter, '2');
    await other.commit(redis); // another update takes 3 first
    await expect(late.commit(redis)).rejects.toBeInstanceOf(TxConflict);
    expect(await redis.get(counter)).toBe('3');
    expect(await redis.hget(hash, 'n')).toBeNull();
  });

  it('commits `last` with the writes', async () => {
    await new Tx()
      .hset(hash, 'd', '1')
      .last(['set', `${keys.ns}:{tx}:cursor`, 'ok'])
      .commit(redis);
    expect(await redis.get(`${keys.ns}:{tx}:cursor`)).toBe('ok');
  });

  it('commits more arguments than one JavaScript call can take (the import of a large county)', async () => {
    const big = `${keys.ns}:{tx}:big`;
    const tx = new Tx();
    for (let i = 0; i < 60_000; i++) tx.hset(big, `f${i}`, 'v');
    await tx.commit(redis);
    expect(await redis.hlen(big)).toBe(60_000);
  });
});
