/**
 * Choosing production or the sandbox from the environment: the sandbox only when asked for or when nothing at
 * all is configured; a half-configured WeCom, or storage without credentials, stops start-up with what is
 * missing; a misspelt variable is named with the known one it resembles.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv, unknownVariables } from '../../src/config/env.js';
import { chooseMode } from '../../src/config/mode.js';

const AES = 'a'.repeat(43);
const mode = (vars: Record<string, string>) => chooseMode(loadEnv(vars));
const refusal = (vars: Record<string, string>): string => {
  try {
    mode(vars);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('choosing the sandbox', () => {
  it('runs the sandbox with nothing configured (implicit) or with ZHUCUN_SANDBOX=1 (explicit)', () => {
    expect(mode({})).toEqual({ sandbox: true, implicit: true });
    expect(mode({ PORT: '3001', HOST: '127.0.0.1', LOG_LEVEL: 'debug', ZHUCUN_SANDBOX: '' })).toEqual({
      sandbox: true,
      implicit: true,
    });
    expect(mode({ ZHUCUN_SANDBOX: '1', REDIS_URL: 'redis://x' })).toEqual({ sandbox: true, implicit: false });
    expect(mode({ ZHUCUN_SANDBOX: '1', WECOM_CORP_ID: 'ww1', WECOM_APP_TOKEN: 't', WECOM_APP_AES_KEY: AES })).toEqual({
      sandbox: true,
      implicit: false,
    });
  });

  it('runs production with one complete channel', () => {
    expect(mode({ WECOM_CORP_ID: 'ww1', WECOM_APP_TOKEN: 't', WECOM_APP_AES_KEY: AES })).toEqual({ sandbox: false });
    expect(mode({ WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: '1000002', WECOM_APP_SECRET: 's' })).toEqual({
      sandbox: false,
    });
    expect(mode({ WECOM_BOT_TOKEN: 't', WECOM_BOT_AES_KEY: AES, ZHUCUN_SANDBOX: '0' })).toEqual({ sandbox: false });
  });

  it('refuses a WeCom configuration that is not enough for a channel, naming what is missing', () => {
    expect(refusal({ WECOM_CORP_ID: 'ww1', WECOM_APP_TOKEN: 't' })).toMatch(
      /WECOM_APP_TOKEN is set but WECOM_APP_AES_KEY is not[\s\S]*ZHUCUN_SANDBOX=1/,
    );
    expect(refusal({ WECOM_APP_SECRET: 's' })).toContain('WECOM_APP_SECRET is set but WECOM_AGENT_ID is not');
    expect(refusal({ WECOM_APP_TOKEN: 't', WECOM_APP_AES_KEY: AES })).toContain(
      'WECOM_APP_TOKEN, WECOM_APP_AES_KEY are set but WECOM_CORP_ID is not',
    );
    expect(refusal({ WECOM_CORP_ID: 'ww1' })).toContain('WECOM_CORP_ID is set but neither');
    // A complete robot does not excuse a half-configured app.
    expect(refusal({ WECOM_BOT_TOKEN: 't', WECOM_BOT_AES_KEY: AES, WECOM_AGENT_ID: '1' })).toContain(
      'WECOM_AGENT_ID is set but WECOM_APP_SECRET is not',
    );
  });

  it('refuses storage or ZHUCUN_SANDBOX=0 without credentials instead of falling into the sandbox', () => {
    expect(refusal({ REDIS_URL: 'redis://db.internal:6379' })).toMatch(
      /no WeCom channel is configured[\s\S]*REDIS_URL[\s\S]*set ZHUCUN_SANDBOX=1/,
    );
    expect(refusal({ ZHUCUN_SANDBOX: '0' })).toContain('ZHUCUN_SANDBOX=0 is set');
    expect(refusal({ ADMIN_TOKEN: 'x' })).toContain('ADMIN_TOKEN');
    expect(refusal({ ZHUCUN_SANDBOX_OPEN: '1' })).toContain('only together with ZHUCUN_SANDBOX=1');
  });

  it('refuses a ZHUCUN_SANDBOX that is neither 0 nor 1', () => {
    expect(() => loadEnv({ ZHUCUN_SANDBOX: 'yes' })).toThrow(/ZHUCUN_SANDBOX: must be 0 or 1/);
  });
});

describe('unknown variables', () => {
  it('names a misspelt WECOM_/ZHUCUN_ variable with the nearest known one and refuses to start', () => {
    expect(() => loadEnv({ WECOM_CORPID: 'ww1' })).toThrow(
      'WECOM_CORPID is not a known variable: did you mean WECOM_CORP_ID?',
    );
    expect(
      unknownVariables({ ZHUCUN_NAMESPCE: 'x', ZHUCUN_SANDBOX: '1', WECOM_BOT_AESKEY: 'k', PATH: '/bin' }),
    ).toEqual([
      'WECOM_BOT_AESKEY is not a known variable: did you mean WECOM_BOT_AES_KEY?',
      'ZHUCUN_NAMESPCE is not a known variable: did you mean ZHUCUN_NAMESPACE?',
    ]);
    expect(unknownVariables({ ZHUCUN_SOMETHING_ELSE_ENTIRELY: '1' })[0]).toContain('see .env.example');
    // Set but empty (a copied .env template) changes nothing and is not reported.
    expect(unknownVariables({ WECOM_CORPID: '' })).toEqual([]);
  });
});

describe('the namespace', () => {
  it('is letters, digits, _ and - only: a namespace is every key under `<ns>:{`, so one never holds another', () => {
    expect(() => loadEnv({ ZHUCUN_NAMESPACE: 'zc:north' })).toThrow(/ZHUCUN_NAMESPACE.*letters, digits, _ or -/);
    expect(() => loadEnv({ ZHUCUN_NAMESPACE: 'zc*' })).toThrow(/ZHUCUN_NAMESPACE/);
    expect(loadEnv({ ZHUCUN_NAMESPACE: 'county_north-2' }).ZHUCUN_NAMESPACE).toBe('county_north-2');
  });
});
