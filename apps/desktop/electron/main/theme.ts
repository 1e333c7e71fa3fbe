/** Electron's nativeTheme.themeSource: the renderer's prefers-color-scheme follows it. */
export type ThemeSource = 'system' | 'light' | 'dark';

/**
 * The theme the toggle switches to: the opposite of what the advisor sees now, whether that came from
 * the system or an earlier choice. "Follow system" in the menu goes back to the system's.
 */
export function toggledTheme(showingDark: boolean): ThemeSource {
  return showingDark ? 'light' : 'dark';
}
