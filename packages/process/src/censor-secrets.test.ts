import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CENSORED, censorSecrets } from './censor-secrets';
import { createLogger } from './logger';

describe('censorSecrets', () => {
  it('censors credential keys one, two and three levels deep, and leaves the caller’s object alone', () => {
    const headers = { authorization: 'Bearer abc', accept: 'application/json' };
    const line = {
      password: 'hunter2',
      req: { headers, url: '/trpc/auth.login' },
      body: { client_secret: 'cs', nested: { token: 't' } },
      list: [{ refreshToken: 'r' }],
      count: 3,
    };
    expect(censorSecrets(line)).toEqual({
      password: CENSORED,
      req: { headers: { authorization: CENSORED, accept: 'application/json' }, url: '/trpc/auth.login' },
      body: { client_secret: CENSORED, nested: { token: CENSORED } },
      list: [{ refreshToken: CENSORED }],
      count: 3,
    });
    expect(headers.authorization).toBe('Bearer abc');
    expect(line.password).toBe('hunter2');
  });

  it('returns a line without secrets as it is (no copy)', () => {
    const line = { reqId: 'abc', principalId: 'user:1', res: { statusCode: 200 } };
    expect(censorSecrets(line)).toBe(line);
  });

  it('does not look deeper than three levels, as pino’s *.*.key paths did not', () => {
    const line = { a: { b: { c: { password: 'deep' } } } };
    expect(censorSecrets(line)).toBe(line);
  });

  it('censors an error’s own fields and keeps its message and stack', () => {
    const err = Object.assign(new Error('upstream refused'), { config: { authorization: 'Bearer x' } });
    const out = censorSecrets({ err }).err as Error & { config: { authorization: string } };
    expect(out).toBeInstanceOf(Error);
    expect(out.message).toBe('upstream refused');
    expect(out.stack).toBe(err.stack);
    expect(out.config.authorization).toBe(CENSORED);
    expect(err.config.authorization).toBe('Bearer x');
  });
});

describe('createLogger', () => {
  it('writes no credential from a line, a child’s bindings or an error', () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const log = createLogger('info', 'test', sink);
    const child = log.child({ reqId: 'r-1', cookie: 'session=s3cr3t-cookie' });
    child.info({ body: { password: 's3cr3t-password' } }, 'signed in');
    child.error({
      err: Object.assign(new Error('boom'), { headers: { authorization: 'Bearer s3cr3t-token' } }),
    });
    const text = chunks.join('');
    expect(text).toContain('"reqId":"r-1"');
    expect(text).toContain('signed in');
    expect(text).toContain('boom');
    expect(text).not.toContain('s3cr3t');
  });
});
