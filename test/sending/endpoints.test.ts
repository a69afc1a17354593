import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../src/wecom/api/endpoints.js';
import { appRoutes } from '../../src/fakewecom/routes-app.js';
import { robotRoutes } from '../../src/fakewecom/routes-robot.js';

const docs = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the endpoint table', () => {
  it('links every API to its page of the official documentation', () => {
    for (const [name, ep] of Object.entries(ENDPOINTS)) {
      expect(ep.doc, name).toMatch(/^https:\/\/developer\.work\.weixin\.qq\.com\/document\/path\/\d+$/);
      expect(ep.path, name).toMatch(/^\/cgi-bin\//);
    }
  });

  it('is what the fake WeCom implements, path and method', () => {
    const fake = { ...appRoutes, ...robotRoutes };
    for (const [name, ep] of Object.entries(ENDPOINTS)) {
      expect(fake[ep.path], name).toBeDefined();
      expect(fake[ep.path]!.method, name).toBe(ep.method);
      expect(fake[ep.path]!.auth === 'token', name).toBe(ep.auth === 'token');
    }
    expect(Object.keys(fake).sort()).toEqual(
      Object.values(ENDPOINTS)
        .map((e) => e.path)
        .sort(),
    );
  });

  it('is listed row by row in the README with the same documentation page', () => {
    for (const [name, ep] of Object.entries(ENDPOINTS)) {
      const row = docs.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, name).toBeDefined();
      expect(row, name).toContain(ep.doc);
    }
  });
});
