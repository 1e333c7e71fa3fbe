/** The tones output is drawn in; pure data, so commands can pick tones without loading ink. */
export type Tone = 'up' | 'down' | 'muted' | 'accent' | 'warn' | 'error' | 'strong' | 'plain';

/** The tone of a signed change: green up, red down. */
export function toneOfSign(sign: -1 | 0 | 1): Tone {
  return sign > 0 ? 'up' : sign < 0 ? 'down' : 'plain';
}
