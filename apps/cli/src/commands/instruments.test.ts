import { describe, expect, it } from 'vitest';
import type { InstrumentRequestAnswer } from '../api/types';
import { requestSentence } from './instruments';

type Instrument = NonNullable<InstrumentRequestAnswer['instrument']>;
type Request = NonNullable<InstrumentRequestAnswer['request']>;

const NETFLIX = {
  id: '00000000-0000-4000-8000-000000000001',
  symbol: 'NFLX',
  name: 'Netflix, Inc.',
  exchange: 'XNAS',
  currency: 'USD',
} as Instrument;

describe('requestSentence', () => {
  it('says whether the instrument was added, was there, or waits for an admin', () => {
    const answer = (a: { outcome: string; instrument?: Instrument; request?: Request; pricing?: string }) =>
      ({ instrument: null, request: null, pricing: null, ...a }) as InstrumentRequestAnswer;
    expect(
      requestSentence(
        answer({ outcome: 'added', instrument: NETFLIX, pricing: 'requested' }),
        'yahoo',
        'NFLX',
      ),
    ).toBe('Added NFLX (Netflix, Inc., XNAS, USD) to the catalogue; its prices are being fetched now.');
    expect(requestSentence(answer({ outcome: 'known', instrument: NETFLIX }), 'yahoo', 'NFLX')).toBe(
      'NFLX (Netflix, Inc., XNAS, USD) is in the catalogue already.',
    );
    const pending = answer({
      outcome: 'pending',
      request: { id: 'r-1' } as Request,
    });
    expect(requestSentence(pending, 'yahoo', 'NFLX')).toBe(
      'Asked for NFLX at yahoo: the request waits for an admin to approve it (request r-1).',
    );
  });
});
