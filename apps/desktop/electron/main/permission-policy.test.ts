import { describe, expect, it } from 'vitest';
import { grantPermission } from './permission-policy';

describe('grantPermission', () => {
  it.each([
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'clipboard-sanitized-write',
    'openExternal',
    'fullscreen',
    'hid',
    'serial',
    'usb',
    'unknown',
  ])('refuses %s', (permission) => {
    expect(grantPermission(permission)).toBe(false);
  });
});
