/**
 * A steady load: one request every `1000 / rate` ms, sent on schedule whatever the answers (an open model), each
 * latency measured from the moment the request was due. autocannon's `overallRate` is not steady: each of its
 * connections sends its share of the second back to back when the second starts and then waits, so "1,000 req/s"
 * there is a burst at full speed once a second, and its p99 is the p99 of a saturated server.
 */
import { Agent, request } from 'node:http';

export interface SteadyFigures {
  /** Answers per second over the run. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Requests that failed or were answered other than 2xx. */
  errors: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Post `bodies` in turn at `rate` per second to `url` (keep-alive connections, as many as needed): first for
 * `warmUpSeconds` unmeasured (the connections open), then `seconds` measured.
 */
export async function steadyLoad(
  url: string,
  bodies: readonly { path: string; body: string }[],
  opts: { rate: number; seconds: number; warmUpSeconds?: number },
): Promise<SteadyFigures> {
  const { hostname, port } = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const warmUp = Math.round(opts.rate * (opts.warmUpSeconds ?? 1));
  const total = warmUp + Math.round(opts.rate * opts.seconds);
  const interval = 1000 / opts.rate;
  const latencies: number[] = [];
  let errors = 0;
  let measuredFrom = 0;
  const send = (i: number, due: number) =>
    new Promise<void>((resolve) => {
      const b = bodies[i % bodies.length]!;
      const req = request(
        { host: hostname, port, path: b.path, method: 'POST', agent, headers: { 'content-type': 'text/xml' } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (i < warmUp) return resolve();
            if ((res.statusCode ?? 0) >= 300) errors++;
            latencies.push(performance.now() - due);
            resolve();
          });
        },
      );
      req.on('error', () => {
        if (i >= warmUp) errors++;
        resolve();
      });
      req.end(b.body);
    });
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  let next = 0;
  await new Promise<void>((resolve) => {
    // Every millisecond, send whatever has fallen due (timers are coarse; the due time, not the send, is what a
    // request's latency counts from, so a late timer shows as latency instead of hiding it).
    const tick = setInterval(() => {
      const now = performance.now();
      while (next < total && started + next * interval <= now) {
        if (next === warmUp) measuredFrom = started + next * interval;
        inFlight.push(send(next, started + next * interval));
        next++;
      }
      if (next >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  await Promise.all(inFlight);
  const elapsed = (performance.now() - measuredFrom) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? 0,
    errors,
  };
}
