/**
 * The county's policy file with no job made up at start (`catchUpUntil` of every job at 00:00), written to a
 * temporary file: for tests of a running app that must not depend on the time of day at which they run (a start
 * at 13:00 would otherwise make up that day's digests, summaries and notice triggers beside the test).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument, Scalar, type YAMLMap } from 'yaml';

export function policyWithoutCatchUp(): string {
  const policy = parseDocument(readFileSync('config/policy.yaml', 'utf8'));
  const catchUp = policy.get('catchUpUntil') as YAMLMap<Scalar<string>, Scalar<string>>;
  for (const pair of catchUp.items) pair.value = new Scalar('00:00');
  const file = join(mkdtempSync(join(tmpdir(), 'zhucun-policy-')), 'policy.yaml');
  writeFileSync(file, policy.toString());
  return file;
}
