import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy, withContentSecurityPolicy } from './content-security-policy';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name ?? '', values];
    }),
  );
}

describe('buildContentSecurityPolicy', () => {
  it('lets the page connect only to the configured server, over HTTP and WebSocket', () => {
    const policy = directives(buildContentSecurityPolicy('http://127.0.0.1:4000'));
    expect(policy.get('connect-src')).toEqual(['http://127.0.0.1:4000', 'ws://127.0.0.1:4000']);
  });

  it('uses the secure WebSocket scheme for an https server', () => {
    const policy = directives(buildContentSecurityPolicy('https://desk.example:8443'));
    expect(policy.get('connect-src')).toEqual(['https://desk.example:8443', 'wss://desk.example:8443']);
  });

  it('runs only scripts of the page origin and forbids plugins, framing, forms and base rewrites', () => {
    const policy = directives(buildContentSecurityPolicy('http://127.0.0.1:4000'));
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect([...policy.values()].flat()).not.toContain("'unsafe-eval'");
  });
});

describe('withContentSecurityPolicy', () => {
  it('adds the policy to a response that has none, leaving the other headers alone', () => {
    const headers = withContentSecurityPolicy({ 'content-type': ['text/html'] }, "default-src 'none'");
    expect(headers).toEqual({
      'content-type': ['text/html'],
      'Content-Security-Policy': ["default-src 'none'"],
    });
  });

  it("keeps the server's own policy beside ours, whatever the header's case", () => {
    const headers = withContentSecurityPolicy(
      { 'content-security-policy': ["script-src 'self'"] },
      "default-src 'none'",
    );
    expect(headers).toEqual({ 'content-security-policy': ["script-src 'self'", "default-src 'none'"] });
  });

  it('copes with a response without headers', () => {
    expect(withContentSecurityPolicy(undefined, 'x')).toEqual({ 'Content-Security-Policy': ['x'] });
  });
});
