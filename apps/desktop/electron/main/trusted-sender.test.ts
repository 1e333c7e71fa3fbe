import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './trusted-sender';

const APP = 'https://desk.example/app/';

describe('isTrustedSender', () => {
  it("trusts the desk's top frame", () => {
    expect(isTrustedSender({ frameUrl: 'https://desk.example/app/clients/4', isTopFrame: true }, APP)).toBe(
      true,
    );
  });

  it('refuses a frame inside the desk, even of the same origin', () => {
    expect(isTrustedSender({ frameUrl: 'https://desk.example/app/', isTopFrame: false }, APP)).toBe(false);
  });

  it('refuses another origin, another path of the server, and a frame that is gone', () => {
    expect(isTrustedSender({ frameUrl: 'https://evil.example/app/', isTopFrame: true }, APP)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'https://desk.example/uploads/x.html', isTopFrame: true }, APP)).toBe(
      false,
    );
    expect(isTrustedSender({ frameUrl: undefined, isTopFrame: true }, APP)).toBe(false);
  });
});
