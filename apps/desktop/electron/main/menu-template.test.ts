import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { ACCELERATORS, type MenuState, menuTemplate } from './menu-template';
import type { ThemeSource } from './theme';
import { toggledTheme } from './theme';

const linux: MenuState = { platform: 'linux', theme: 'system', devTools: false };

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function build(state: MenuState = linux) {
  const calls: string[] = [];
  const template = menuTemplate(state, {
    exportReport: () => calls.push('export'),
    setTheme: (source: ThemeSource) => calls.push(`theme:${source}`),
    toggleTheme: () => calls.push('toggle'),
  });
  const items = flatten(template);
  const byLabel = (label: string) => items.find((i) => i.label === label);
  const byRole = (role: MenuItemConstructorOptions['role']) => items.find((i) => i.role === role);
  // Electron calls click with the item, window and event; the actions ignore them.
  const click = (item: MenuItemConstructorOptions | undefined) =>
    (item?.click as (() => void) | undefined)?.();
  return { template, items, byLabel, byRole, click, calls };
}

describe('menuTemplate', () => {
  it('binds the shell shortcuts: reload, zoom, theme toggle, export', () => {
    const { byRole, byLabel } = build();
    expect(byRole('reload')?.accelerator).toBe(ACCELERATORS.reload);
    expect(byRole('forceReload')?.accelerator).toBe(ACCELERATORS.forceReload);
    expect(byRole('zoomIn')?.accelerator).toBe(ACCELERATORS.zoomIn);
    expect(byRole('zoomOut')?.accelerator).toBe(ACCELERATORS.zoomOut);
    expect(byRole('resetZoom')?.accelerator).toBe(ACCELERATORS.resetZoom);
    expect(byLabel('Toggle Dark/Light')?.accelerator).toBe(ACCELERATORS.toggleTheme);
    expect(byLabel('Export Client Report as PDF…')?.accelerator).toBe(ACCELERATORS.exportReport);
  });

  it('binds no shortcut twice', () => {
    const accelerators = build().items.flatMap((i) => (i.accelerator ? [i.accelerator] : []));
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('runs the actions from their items', () => {
    const { byLabel, click, calls } = build();
    click(byLabel('Export Client Report as PDF…'));
    click(byLabel('Dark'));
    click(byLabel('Follow System'));
    click(byLabel('Toggle Dark/Light'));
    expect(calls).toEqual(['export', 'theme:dark', 'theme:system', 'toggle']);
  });

  it('checks the theme in use', () => {
    const { byLabel } = build({ ...linux, theme: 'light' });
    expect(byLabel('Light')?.checked).toBe(true);
    expect(byLabel('Dark')?.checked).toBe(false);
    expect(byLabel('Follow System')?.checked).toBe(false);
  });

  it('has the developer tools only in the dev build', () => {
    expect(build().byRole('toggleDevTools')).toBeUndefined();
    expect(build({ ...linux, devTools: true }).byRole('toggleDevTools')).toBeDefined();
  });

  it('follows the platform: the app menu and Close on macOS, Quit elsewhere', () => {
    const mac = build({ ...linux, platform: 'darwin' });
    expect(mac.template[0]?.role).toBe('appMenu');
    expect(mac.byRole('close')).toBeDefined();
    expect(build().byRole('quit')).toBeDefined();
    expect(build().byRole('appMenu')).toBeUndefined();
  });

  it('keeps the Edit menu, which copy and paste need on macOS', () => {
    expect(build({ ...linux, platform: 'darwin' }).byRole('editMenu')).toBeDefined();
  });
});

describe('toggledTheme', () => {
  it('switches to the opposite of what is shown', () => {
    expect(toggledTheme(true)).toBe('light');
    expect(toggledTheme(false)).toBe('dark');
  });
});
