/**
 * Electron main: wiring only. Every decision lives in a module tested without Electron:
 * window.ts (webPreferences), security/ (navigation, permissions, CSP), app-protocol.ts (app://),
 * ipc/ (typed handlers, sender and input checks), secrets/ (safeStorage), menu.ts, notifications.ts;
 * the services behind IPC are plain Node in node/.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, net, Notification, protocol, safeStorage, session, shell } from 'electron';
import path from 'node:path';
import { SecretService } from '../node/secrets/secret-service.ts';
import { SecretVault } from '../node/secrets/secret-vault.ts';
import type { StatementSigningService } from '../node/statements/export-service.ts';
import type { DeskCommand } from '../renderer/host/host.ts';
import { createAppProtocolHandler } from './app-protocol.ts';
import { isAllowedExternalUrl } from './external-links.ts';
import { DESK_COMMAND_CHANNEL } from './ipc/commands.ts';
import { createHandlers } from './ipc/handlers.ts';
import { registerHandlers } from './ipc/register.ts';
import { APP_ORIGIN, APP_SCHEME } from './ipc-sender.ts';
import { buildMenuTemplate } from './menu.ts';
import { showDeskAlert } from './notifications.ts';
import { chooseOsCipher } from './secrets/safe-storage-cipher.ts';
import { buildContentSecurityPolicy } from './security/content-security-policy.ts';
import { guardSession } from './security/session.ts';
import { guardWebContents } from './security/web-contents.ts';
import { mainWindowOptions } from './window.ts';

// Must run before 'ready': app:// is a standard, secure origin, so the renderer is not file://.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const rendererRoot = path.join(__dirname, '..', 'renderer');
const preloadPath = path.join(__dirname, '..', 'preload', 'preload.cjs');
let mainWindow: BrowserWindow | null = null;

/** shell.openExternal, behind the allow-list wherever it is called from. */
function openExternal(url: string): boolean {
  if (!isAllowedExternalUrl(url)) return false;
  void shell.openExternal(url);
  return true;
}

function sendCommand(command: DeskCommand): void {
  mainWindow?.webContents.send(DESK_COMMAND_CHANNEL, command);
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(preloadPath));
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

async function startDesk(): Promise<void> {
  guardSession(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererRoot, contentSecurityPolicy: buildContentSecurityPolicy({ connectOrigins: [] }), fetchFile: (fileUrl) => net.fetch(fileUrl) }));
  const secrets = new SecretService(new SecretVault(path.join(app.getPath('userData'), 'secrets.json')), await chooseOsCipher(safeStorage, process.platform));
  // The organization's P12 is kept in the data folder; its passphrase only in the secret store.
  // Loaded on first use: the PDF, XLSX and signing libraries are large, and one that fails to
  // load must fail that call (with its code), not keep the desk from starting.
  let signingService: Promise<StatementSigningService> | null = null;
  const loadSigning = (): Promise<StatementSigningService> =>
    (signingService ??= import('../node/statements/export-service.ts').then(
      (module) =>
        new module.StatementSigningService({
          signingDir: path.join(app.getPath('userData'), 'signing'),
          passphrase: () => secrets.read('signing-passphrase'),
          storePassphrase: (passphrase) => secrets.store('signing-passphrase', passphrase),
          now: () => new Date(),
        }),
    ));
  const signing: Pick<StatementSigningService, 'status' | 'importP12' | 'exportSigned'> = {
    status: async () => (await loadSigning()).status(),
    importP12: async (file, passphrase) => (await loadSigning()).importP12(file, passphrase),
    exportSigned: async (documentJson, locale, target, options) => (await loadSigning()).exportSigned(documentJson, locale, target, options),
  };
  const dialogs = {
    showOpenDialog: (options: Electron.OpenDialogOptions) => (mainWindow === null ? dialog.showOpenDialog(options) : dialog.showOpenDialog(mainWindow, options)),
    showSaveDialog: (options: Electron.SaveDialogOptions) => (mainWindow === null ? dialog.showSaveDialog(options) : dialog.showSaveDialog(mainWindow, options)),
    showMessageBox: (options: Electron.MessageBoxOptions) => (mainWindow === null ? dialog.showMessageBox(options) : dialog.showMessageBox(mainWindow, options)),
  };
  registerHandlers(
    ipcMain,
    createHandlers({
      host: { version: app.getVersion(), openExternal: async (url) => openExternal(url), notify: (alert) => void showDeskAlert(Notification, alert) },
      dialogs,
      secrets,
      signing,
    }),
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ platform: process.platform, isPackaged: app.isPackaged, appName: app.getName(), sendCommand, openExternal })));
  mainWindow = createMainWindow();
}

// One desk per user: a second launch focuses the first window instead of opening another
// database and secret store beside it.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  // Every web contents, whoever creates it, is kept on the desk.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openExternal));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && mainWindow === null) mainWindow = createMainWindow();
  });
  app
    .whenReady()
    .then(startDesk)
    .catch((error: unknown) => {
      dialog.showErrorBox('SettleDesk could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
