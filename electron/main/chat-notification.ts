import { Notification, type BrowserWindow } from 'electron';
import type { ChatMessageView } from '../api/contract.js';

/** Long enough to read at a glance; the window has the rest. */
const BODY_CHARS = 200;

/**
 * A system notification for a chat message while Parley's window is not in
 * front; a click brings the window forward. Notification text is text: on
 * Linux some notification servers read a subset of HTML in the body, so the
 * characters that make markup are swapped for look-alikes there.
 */
export function notifyChat(message: ChatMessageView, window: BrowserWindow | undefined): void {
  if ((window?.isFocused() ?? false) || !Notification.isSupported()) return;
  const text = message.parts === null ? 'A message that could not be read' : message.parts.map((part) => part.text).join('');
  const body = [...text].slice(0, BODY_CHARS).join('');
  const notification = new Notification({ title: `${message.senderName} in Parley`, body: process.platform === 'linux' ? withoutMarkup(body) : body });
  notification.on('click', () => {
    window?.show();
    window?.focus();
  });
  notification.show();
}

function withoutMarkup(text: string): string {
  return text.replace(/&/g, '＆').replace(/</g, '‹').replace(/>/g, '›');
}
