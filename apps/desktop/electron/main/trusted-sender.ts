import { isAppUrl } from './app-url';

/** Who sent an IPC message: the URL of the sending frame (undefined when it is gone) and its place. */
export interface IpcSender {
  readonly frameUrl: string | undefined;
  readonly isTopFrame: boolean;
}

/**
 * Whether a bridge call comes from the desk itself: the window's top frame showing the server's /app.
 * The preload runs in every frame the window has, so an embedded frame or a page the window was
 * somehow navigated to would otherwise reach the bridge too.
 */
export function isTrustedSender(sender: IpcSender, appUrl: string): boolean {
  return sender.isTopFrame && sender.frameUrl !== undefined && isAppUrl(sender.frameUrl, appUrl);
}
