import { Menu, Tray, nativeImage, type BrowserWindow } from 'electron';
import type { AppSnapshot } from '../api/contract.js';
import type { AppController } from '../app/controller.js';

/**
 * The tray icon: mute and deafen without opening the window, show the
 * window, leave, quit. Rebuilt only when what it shows changes.
 */
export class ParleyTray {
  private readonly tray: Tray;
  private shown = '';

  constructor(
    iconPath: string,
    private readonly controller: AppController,
    private readonly window: () => BrowserWindow | undefined,
    private readonly quit: () => void,
  ) {
    this.tray = new Tray(nativeImage.createFromPath(iconPath).resize({ width: 16, height: 16 }));
    this.tray.setToolTip('Parley');
    this.tray.on('click', () => this.showWindow());
  }

  private showWindow(): void {
    const window = this.window();
    window?.show();
    window?.focus();
  }

  update(snapshot: AppSnapshot): void {
    const self = snapshot.room?.self;
    const key = JSON.stringify([snapshot.room?.name ?? null, self?.muted ?? false, self?.deafened ?? false]);
    if (key === this.shown) return;
    this.shown = key;
    this.tray.setToolTip(snapshot.room ? `Parley — ${snapshot.room.name}${self?.muted ? ' (muted)' : ''}` : 'Parley');
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Show Parley', click: () => this.showWindow() },
        { type: 'separator' },
        { label: 'Mute', type: 'checkbox', checked: self?.muted ?? false, enabled: Boolean(self), click: (item) => void this.controller.setMuted(item.checked) },
        { label: 'Deafen', type: 'checkbox', checked: self?.deafened ?? false, enabled: Boolean(self), click: (item) => void this.controller.setDeafened(item.checked) },
        { label: snapshot.room?.hosting ? 'Stop hosting' : 'Leave room', enabled: Boolean(snapshot.room), click: () => void this.controller.leave() },
        { type: 'separator' },
        { label: 'Quit Parley', click: () => this.quit() },
      ]),
    );
  }

  destroy(): void {
    this.tray.destroy();
  }
}
