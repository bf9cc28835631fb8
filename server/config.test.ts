import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

describe('server configuration', () => {
  it('takes defaults, then the environment, then flags over the environment', () => {
    expect(readConfig([], {})).toEqual({ host: '127.0.0.1', port: 8787, dataDir: '.settledesk-server', dbSchema: 'public', logLevel: 'info', corsOrigins: [] });
    const env = { HOST: '0.0.0.0', PORT: '9000', SETTLEDESK_DATA_DIR: '/var/lib/sd', DATABASE_URL: 'postgres://u@db/sd' };
    expect(readConfig([], env)).toMatchObject({ host: '0.0.0.0', port: 9000, dataDir: '/var/lib/sd', databaseUrl: 'postgres://u@db/sd' });
    expect(readConfig(['--port', '9100', '--data-dir', '/tmp/x'], env)).toMatchObject({ host: '0.0.0.0', port: 9100, dataDir: '/tmp/x' });
  });

  it('refuses unknown flags, a bad port and a non-postgres URL with a typed error', () => {
    expect(() => readConfig(['--prot', '1'], {})).toThrow(ConfigError);
    expect(() => readConfig([], { PORT: '70000' })).toThrow(/port/);
    expect(() => readConfig([], { DATABASE_URL: 'mysql://x' })).toThrow(/databaseUrl/);
    expect(() => readConfig([], { SETTLEDESK_DB_SCHEMA: 'x; drop' })).toThrow(/dbSchema/);
  });

  it('takes the browser origins allowed to call the API, none by default', () => {
    expect(readConfig([], { SETTLEDESK_CORS_ORIGINS: 'http://127.0.0.1:5173, https://desk.example.com' }).corsOrigins).toEqual(['http://127.0.0.1:5173', 'https://desk.example.com']);
    expect(readConfig(['--cors-origins', 'https://a.example'], { SETTLEDESK_CORS_ORIGINS: 'https://b.example' }).corsOrigins).toEqual(['https://a.example']);
    expect(() => readConfig([], { SETTLEDESK_CORS_ORIGINS: 'https://desk.example.com/app' })).toThrow(/corsOrigins/);
    expect(() => readConfig([], { SETTLEDESK_CORS_ORIGINS: '*' })).toThrow(/corsOrigins/);
  });
});
