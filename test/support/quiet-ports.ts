import type { AppPorts } from '../../electron/app/controller.js';

/** What the Electron shell does for the controller, stood in for by doing nothing: for runs that never look. */
export const QUIET_PORTS: AppPorts = {
  writeClipboard: () => undefined,
  openHelp: () => undefined,
  openExternal: () => undefined,
  notifyChat: () => undefined,
  askMicrophoneAccess: async () => true,
};
