import { ConfigError, loadConfig } from './app-config';

const required = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/signalbox',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ADMIN_API_KEY: 'a-long-enough-admin-key',
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(required);
    expect(config).toMatchObject({
      PORT: 3000,
      ROLE: 'all',
      LOG_LEVEL: 'info',
      MAX_BODY_BYTES: 1048576,
      MIGRATIONS_RUN: true,
      RECONCILER_INTERVAL_SECONDS: 5,
    });
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.servesApi && config.consumesJobs).toBe(true);
  });

  it('converts numbers and booleans, and trims the public URL', () => {
    const config = loadConfig({
      ...required,
      PORT: '8080',
      MIGRATIONS_RUN: 'false',
      PUBLIC_URL: 'https://hooks.example.com/',
      ROLE: 'worker',
    });
    expect(config).toMatchObject({ PORT: 8080, MIGRATIONS_RUN: false, ROLE: 'worker' });
    expect(config.publicUrl).toBe('https://hooks.example.com');
    expect(config.servesApi).toBe(false);
    expect(config.consumesJobs).toBe(true);
  });

  it.each([
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ ADMIN_API_KEY: 'short' }, 'ADMIN_API_KEY'],
    [{ ROLE: 'both' }, 'ROLE'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ MAX_BODY_BYTES: '10' }, 'MAX_BODY_BYTES'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ WORKFLOW_HTTP_ALLOWED_HOSTS: 'https://hooks.example.com' }, 'WORKFLOW_HTTP_ALLOWED_HOSTS'],
    [{ WORKFLOW_HTTP_ALLOWED_HOSTS: 'a.example.com;b.example.com' }, 'WORKFLOW_HTTP_ALLOWED_HOSTS'],
  ])('refuses %j, naming the variable', (override, name) => {
    expect(() => loadConfig({ ...required, ...override })).toThrow(ConfigError);
    expect(() => loadConfig({ ...required, ...override })).toThrow(new RegExp(`^  ${name}=`, 'm'));
  });

  it('reads the http allow-list as lowercase host names', () => {
    expect(loadConfig(required).allowedHttpHosts).toEqual([]);
    const config = loadConfig({
      ...required,
      WORKFLOW_HTTP_ALLOWED_HOSTS: ' Hooks.Slack.com, *.example.com ,[::1]',
    });
    expect(config.allowedHttpHosts).toEqual(['hooks.slack.com', '*.example.com', '[::1]']);
  });

  it('runs without PostgreSQL, Redis and an admin key outside production, as one process', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      DATA_DIR: './data',
      ROLE: 'all',
    });
    expect(() => loadConfig({ ROLE: 'worker', DATABASE_URL: required.DATABASE_URL })).toThrow(
      /REDIS_URL=\(unset\): required when ROLE=worker/,
    );
    expect(() => loadConfig({ ROLE: 'api', REDIS_URL: required.REDIS_URL })).toThrow(
      /DATABASE_URL=\(unset\): required when ROLE=api/,
    );
  });

  it('requires PostgreSQL, Redis and an admin key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      [
        'Invalid configuration:',
        '  DATABASE_URL=(unset): required when NODE_ENV=production',
        '  REDIS_URL=(unset): required when NODE_ENV=production',
        '  ADMIN_API_KEY=(unset): required when NODE_ENV=production',
      ].join('\n'),
    );
    expect(loadConfig({ ...required, NODE_ENV: 'production' }).NODE_ENV).toBe('production');
  });

  it('never prints the admin key', () => {
    expect(() => loadConfig({ ...required, ADMIN_API_KEY: 'secret' })).toThrow(/ADMIN_API_KEY=\(hidden\)/);
  });
});
