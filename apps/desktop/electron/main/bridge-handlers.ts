import { z } from 'zod';
import { BRIDGE_CHANNELS, type BridgeChannel } from '../shared/channels';
import type { SessionStore } from './session-store';
import { type IpcSender, isTrustedSender } from './trusted-sender';

/** What the bridge's calls do once they are let through; the composition root wires Electron in. */
export interface BridgeServices {
  readonly sessions: SessionStore;
  notify(title: string, body: string): void;
  exportPdf(): Promise<void>;
}

export type BridgeHandler = (sender: IpcSender, args: readonly unknown[]) => Promise<unknown>;

/** A bridge call refused: the renderer's promise rejects with this message, and nothing was done. */
export class BridgeRefusal extends Error {
  override readonly name = 'BridgeRefusal';
}

/**
 * A refresh token as the server issues it: one line of printable ASCII of sane length. Anything else is
 * not a token, and would only be sealed into the user's key store as junk.
 */
const token = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[\x21-\x7e]+$/);

const argumentSchemas = {
  [BRIDGE_CHANNELS.sessionLoad]: z.tuple([]),
  [BRIDGE_CHANNELS.sessionSave]: z.tuple([token.nullable()]),
  [BRIDGE_CHANNELS.notify]: z.tuple([z.string().trim().min(1).max(120), z.string().max(1000)]),
  [BRIDGE_CHANNELS.exportPdf]: z.tuple([]),
} satisfies Record<BridgeChannel, z.ZodType>;

/**
 * The main-side handlers of the preload bridge, one a channel. Each first checks that the desk's own
 * top frame sent the call and that the arguments are exactly what the bridge sends (zod), and refuses
 * otherwise: the renderer shows a page from the network, so its calls are treated as untrusted input.
 */
export function createBridgeHandlers(
  appUrl: string,
  services: BridgeServices,
): Readonly<Record<BridgeChannel, BridgeHandler>> {
  function guarded<Channel extends BridgeChannel>(
    channel: Channel,
    run: (args: z.output<(typeof argumentSchemas)[Channel]>) => Promise<unknown>,
  ): BridgeHandler {
    return async (sender, args) => {
      if (!isTrustedSender(sender, appUrl))
        throw new BridgeRefusal(`${channel}: refused, not sent by the desk`);
      const parsed = argumentSchemas[channel].safeParse(args);
      if (!parsed.success) throw new BridgeRefusal(`${channel}: refused, invalid arguments`);
      return run(parsed.data as z.output<(typeof argumentSchemas)[Channel]>);
    };
  }

  return {
    [BRIDGE_CHANNELS.sessionLoad]: guarded(BRIDGE_CHANNELS.sessionLoad, () => services.sessions.load()),
    [BRIDGE_CHANNELS.sessionSave]: guarded(BRIDGE_CHANNELS.sessionSave, ([value]) =>
      services.sessions.save(value),
    ),
    [BRIDGE_CHANNELS.notify]: guarded(BRIDGE_CHANNELS.notify, async ([title, body]) => {
      services.notify(title, body);
    }),
    [BRIDGE_CHANNELS.exportPdf]: guarded(BRIDGE_CHANNELS.exportPdf, () => services.exportPdf()),
  };
}
