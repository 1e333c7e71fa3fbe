import { describe, expect, it } from 'vitest';
import { BusyError } from '../not-found';
import { createImportSlots, IMPORT_RETRY_AFTER_SECONDS } from './import-slots';

describe('import slots', () => {
  it('holds each principal and the process to their bounds, and frees a slot when an import ends', () => {
    const slots = createImportSlots({ perPrincipal: 1, total: 2 });
    const leaveA = slots.enter('user:a');
    expect(() => slots.enter('user:a')).toThrow(/import\(s\) of yours are running/);
    const leaveB = slots.enter('user:b');
    expect(() => slots.enter('user:c')).toThrow(/running its 2 imports at once/);
    leaveA();
    leaveA(); // twice changes nothing
    expect(() => slots.enter('user:b')).toThrow(BusyError);
    const leaveC = slots.enter('user:c');
    leaveB();
    leaveC();
    slots.enter('user:a');
  });

  it('tells the refused caller when to come back', () => {
    const slots = createImportSlots({ perPrincipal: 1, total: 1 });
    slots.enter('user:a');
    try {
      slots.enter('user:a');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BusyError);
      expect((error as BusyError).retryAfterSeconds).toBe(IMPORT_RETRY_AFTER_SECONDS);
    }
  });
});
