// Loaded with `node --require` before a bundle of the main process or the preload: answers
// require('electron') with a recording stand-in, prints what the bundle did as JSON lines and exits once
// it has loaded its page (main) or exposed its bridge (preload). For the smoke test of the bundles,
// which run here without the Electron binary.
const Module = require('node:module');

const record = (...entry) => process.stdout.write(`${JSON.stringify(entry)}\n`);
const finish = () => setImmediate(() => process.exit(0));

const fake = {
  app: {
    enableSandbox: () => record('app.enableSandbox'),
    getPath: (name) => `/nonexistent/tickfolio-fake-electron/${name}`,
    whenReady: () => Promise.resolve(),
    on: (event) => record('app.on', event),
    quit: () => {},
    exit: (code) => {
      record('app.exit', code);
      finish();
    },
  },
  BrowserWindow: class {
    constructor(options) {
      record('new BrowserWindow', options);
      this.webContents = {
        on: (event) => record('webContents.on', event),
        setWindowOpenHandler: (handler) =>
          record('window open of a web link', handler({ url: 'https://example.com/' })),
        loadURL: (url) => {
          record('loadURL', url);
          finish();
          return Promise.resolve();
        },
        getURL: () => '',
      };
    }
    once(event) {
      record('window.once', event);
    }
    on(event) {
      record('window.on', event);
    }
  },
  session: {
    defaultSession: {
      webRequest: {
        onHeadersReceived: (listener) =>
          listener({ responseHeaders: {} }, (reply) => record('response headers', reply)),
      },
      setPermissionRequestHandler: (handler) =>
        handler(null, 'media', (granted) => record('permission request media', granted)),
      setPermissionCheckHandler: (handler) =>
        record('permission check notifications', handler(null, 'notifications')),
    },
  },
  ipcMain: { handle: (channel) => record('ipcMain.handle', channel), removeHandler: () => {} },
  Menu: {
    buildFromTemplate: (template) => template,
    setApplicationMenu: (menu) =>
      record(
        'menu',
        menu.map((item) => item.label ?? item.role),
      ),
  },
  dialog: { showErrorBox: (title, message) => record('error box', title, message) },
  shell: { openExternal: (url) => record('openExternal', url) },
  nativeTheme: {},
  Notification: {},
  net: {},
  safeStorage: {},
  contextBridge: {
    exposeInMainWorld: (name, api) => {
      record('exposeInMainWorld', name, { session: Object.keys(api.session), methods: Object.keys(api) });
      finish();
    },
  },
  ipcRenderer: { invoke: () => Promise.resolve() },
};

const load = Module._load;
Module._load = function loadWithFakeElectron(request, ...rest) {
  return request === 'electron' ? fake : load.call(this, request, ...rest);
};
