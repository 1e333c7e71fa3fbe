import type { MenuItemConstructorOptions } from 'electron';
import type { ThemeSource } from './theme';

export interface MenuActions {
  exportReport(): void;
  setTheme(source: ThemeSource): void;
  toggleTheme(): void;
}

export interface MenuState {
  readonly platform: NodeJS.Platform;
  readonly theme: ThemeSource;
  readonly devTools: boolean;
}

/** The keyboard shortcuts the menu binds, named once so the README and the tests agree with it. */
export const ACCELERATORS = {
  exportReport: 'CmdOrCtrl+P',
  reload: 'CmdOrCtrl+R',
  forceReload: 'CmdOrCtrl+Shift+R',
  toggleTheme: 'CmdOrCtrl+Shift+L',
  zoomIn: 'CmdOrCtrl+=',
  zoomOut: 'CmdOrCtrl+-',
  resetZoom: 'CmdOrCtrl+0',
  fullScreen: 'F11',
  devTools: 'CmdOrCtrl+Shift+I',
} as const;

/**
 * The application menu. Everything the desk does on its own pages is keyboard-driven in the renderer;
 * the menu holds what only the shell can do (reload, zoom, theme, export to PDF, quit) and the Edit
 * menu, without which copy and paste shortcuts do nothing on macOS.
 */
export function menuTemplate(state: MenuState, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const themeItem = (label: string, source: ThemeSource): MenuItemConstructorOptions => ({
    label,
    type: 'radio',
    checked: state.theme === source,
    click: () => actions.setTheme(source),
  });

  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    {
      label: '&File',
      submenu: [
        {
          label: 'Export Client Report as PDF…',
          accelerator: ACCELERATORS.exportReport,
          click: () => actions.exportReport(),
        },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload', accelerator: ACCELERATORS.reload },
        { role: 'forceReload', accelerator: ACCELERATORS.forceReload },
        { type: 'separator' },
        {
          label: 'Theme',
          submenu: [
            themeItem('Follow System', 'system'),
            themeItem('Light', 'light'),
            themeItem('Dark', 'dark'),
            { type: 'separator' },
            {
              label: 'Toggle Dark/Light',
              accelerator: ACCELERATORS.toggleTheme,
              click: () => actions.toggleTheme(),
            },
          ],
        },
        { type: 'separator' },
        { role: 'resetZoom', accelerator: ACCELERATORS.resetZoom },
        { role: 'zoomIn', accelerator: ACCELERATORS.zoomIn },
        { role: 'zoomOut', accelerator: ACCELERATORS.zoomOut },
        { type: 'separator' },
        { role: 'togglefullscreen', accelerator: mac ? 'Ctrl+Cmd+F' : ACCELERATORS.fullScreen },
        ...(state.devTools
          ? [
              { type: 'separator' } as const,
              { role: 'toggleDevTools', accelerator: ACCELERATORS.devTools } as const,
            ]
          : []),
      ],
    },
    { role: 'windowMenu' },
  ];
}
