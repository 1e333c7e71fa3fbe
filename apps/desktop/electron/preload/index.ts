import { contextBridge, ipcRenderer } from 'electron';
import { createDesktopBridge } from './bridge';

// The preload runs sandboxed: it may use contextBridge and ipcRenderer, nothing of Node.js. It is
// bundled into one CommonJS file because a sandboxed preload cannot load other files.
contextBridge.exposeInMainWorld(
  'tickfolio',
  createDesktopBridge((channel, ...args) => ipcRenderer.invoke(channel, ...args)),
);
