// A stand-in for the parts of Electron the shell touches, recording what the shell asked of it.

type Listener = (...args: any[]) => unknown;

export class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
  ) {}
}

export class FakeWebContents {
  listeners = new Map<string, Listener[]>();
  openHandler: ((d: { url: string }) => { action: string }) | undefined;
  sent: [string, unknown][] = [];
  mainFrame = new FakeFrame("app://lifeboat/index.html");
  on(event: string, fn: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const fn of this.listeners.get(event) ?? []) fn(...args);
  }
  setWindowOpenHandler(fn: (d: { url: string }) => { action: string }): void {
    this.openHandler = fn;
  }
  send(channel: string, data: unknown): void {
    this.sent.push([channel, data]);
  }
  isDestroyed(): boolean {
    return false;
  }
}

export class FakeBrowserWindow {
  static instances: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  loaded: string | undefined;
  constructor(public options: Electron.BrowserWindowConstructorOptions & { webPreferences: Electron.WebPreferences }) {
    FakeBrowserWindow.instances.push(this);
  }
  once(): this {
    return this;
  }
  loadURL(url: string): Promise<void> {
    this.loaded = url;
    return Promise.resolve();
  }
  show(): void {}
}

export function fakeElectron() {
  const opened: string[] = [];
  const handlers = new Map<string, Listener>();
  const session = {
    requestHandler: undefined as Listener | undefined,
    checkHandler: undefined as Listener | undefined,
    headersHandler: undefined as Listener | undefined,
    setPermissionRequestHandler(fn: Listener) {
      this.requestHandler = fn;
    },
    setPermissionCheckHandler(fn: Listener) {
      this.checkHandler = fn;
    },
    webRequest: {
      onHeadersReceived: (fn: Listener) => {
        session.headersHandler = fn;
      },
    },
  };
  return {
    BrowserWindow: FakeBrowserWindow,
    shell: { openExternal: async (url: string) => void opened.push(url) },
    ipcMain: { handle: (channel: string, fn: Listener) => void handlers.set(channel, fn) },
    session,
    opened,
    handlers,
  };
}

/** An IPC invoke event as Electron would build it for a message from `contents`' frame. */
export function ipcEvent(contents: FakeWebContents, frame: FakeFrame | null = contents.mainFrame) {
  return { sender: contents, senderFrame: frame } as never;
}
