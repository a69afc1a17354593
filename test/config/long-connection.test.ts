/**
 * WECOM_BOT_MODE=long-connection: its settings are read into the production platform's channels, and every
 * wrong or missing value stops start-up naming the variable and what to do.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv, longConnectionSettings } from '../../src/config/env.js';
import { chooseMode } from '../../src/config/mode.js';
import { productionPlatform } from '../../src/platform/production.js';

const AES = 'a'.repeat(43);
const LC = { WECOM_BOT_MODE: 'long-connection', WECOM_BOT_ID: 'aib123', WECOM_BOT_SECRET: 'sec' };
const refusal = (vars: Record<string, string>): string => {
  try {
    chooseMode(loadEnv(vars));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('the long connection settings', () => {
  it('run production with the long connection alone, on WeCom unless told otherwise', () => {
    const env = loadEnv(LC);
    expect(chooseMode(env)).toEqual({ sandbox: false });
    expect(longConnectionSettings(env)).toEqual({
      botId: 'aib123',
      secret: 'sec',
      wsUrl: 'wss://openws.work.weixin.qq.com',
    });
    const own = loadEnv({ ...LC, WECOM_BOT_WS_URL: 'wss://ws.county.example:8443/aibot' });
    expect(productionPlatform(own).channels.longConnection).toEqual({
      botId: 'aib123',
      secret: 'sec',
      wsUrl: 'wss://ws.county.example:8443/aibot',
    });
  });

  it('keep the app callbacks beside the long connection', () => {
    const env = loadEnv({ ...LC, WECOM_CORP_ID: 'ww1', WECOM_APP_TOKEN: 't', WECOM_APP_AES_KEY: AES });
    const channels = productionPlatform(env).channels;
    expect(channels.app).toBeDefined();
    expect(channels.longConnection).toBeDefined();
    expect(channels.robot).toBeUndefined();
  });

  it('default to callbacks, with no long connection', () => {
    expect(longConnectionSettings(loadEnv({ WECOM_BOT_TOKEN: 't', WECOM_BOT_AES_KEY: AES }))).toBeUndefined();
  });

  it('refuse wrong and missing values, naming the variable', () => {
    expect(refusal({ WECOM_BOT_MODE: 'websocket' })).toContain('WECOM_BOT_MODE: must be callback');
    expect(refusal({ WECOM_BOT_MODE: 'long-connection', WECOM_BOT_ID: 'aib123' })).toContain(
      'WECOM_BOT_SECRET: must be set with WECOM_BOT_MODE=long-connection',
    );
    expect(refusal({ WECOM_BOT_MODE: 'long-connection' })).toMatch(
      /WECOM_BOT_ID: must be set[\s\S]*WECOM_BOT_SECRET: must be set/,
    );
    expect(refusal({ WECOM_BOT_ID: 'aib123', WECOM_BOT_SECRET: 'sec' })).toContain(
      'WECOM_BOT_ID: is set but WECOM_BOT_MODE is not long-connection',
    );
    expect(refusal({ ...LC, WECOM_BOT_TOKEN: 't', WECOM_BOT_AES_KEY: AES })).toContain(
      'the robot answers over the long connection, not callbacks',
    );
    expect(refusal({ ...LC, WECOM_BOT_WS_URL: 'https://openws.work.weixin.qq.com' })).toContain(
      'WECOM_BOT_WS_URL: must be a ws:// or wss:// URL',
    );
  });
});
