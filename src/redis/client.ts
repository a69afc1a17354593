import type { Cluster, Redis } from 'ioredis';

/** A connection to a single Redis server or to a Redis Cluster; the rest of the code accepts either. */
export type RedisClient = Redis | Cluster;

export function isCluster(client: RedisClient): client is Cluster {
  return (client as Cluster).isCluster === true;
}
