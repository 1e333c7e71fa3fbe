/**
 * Every permission the page asks for (camera, microphone, geolocation, notifications, clipboard read,
 * MIDI, HID, …) is refused. The desk needs none of them: its notifications go through the bridge, where
 * the main process shows them itself, so no web API grants the page anything beyond what it was built
 * with. The argument is kept so the decision reads as one at the call site.
 */
export function grantPermission(_permission: string): boolean {
  return false;
}
