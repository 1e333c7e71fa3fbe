import { describe, expect, it } from 'vitest';
import { isPrivateAddress, literalAddressOf } from './webhook-address';

describe('addresses a webhook may not reach', () => {
  it('refuses this machine, private, shared, link-local, multicast and reserved addresses', () => {
    for (const address of [
      '127.0.0.1',
      '127.8.9.10',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '64:ff9b::a00:1',
      'not-an-address',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
  });

  it('lets public addresses through', () => {
    for (const address of ['93.184.216.34', '172.32.0.1', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('reads a literal host from a URL, IPv6 without its brackets, and nothing from a name', () => {
    expect(literalAddressOf(new URL('http://[::1]:8080/x'))).toBe('::1');
    expect(literalAddressOf(new URL('http://2130706433/x'))).toBe('127.0.0.1');
    expect(literalAddressOf(new URL('https://hooks.example.com/x'))).toBeUndefined();
  });
});
