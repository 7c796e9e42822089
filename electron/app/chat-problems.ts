import type { ChatPostProblem } from '../net/chat/session-chat.js';

/** What the user reads when a chat message cannot be sent: in the window, and from `parley join --chat`. */
export const CHAT_PROBLEMS: Record<ChatPostProblem, string> = {
  empty: 'Type a message first.',
  tooLong: 'That message is too long: 2,000 characters at most.',
  controlCharacters: 'That message holds characters that cannot be sent (control characters).',
  tooFast: 'You are sending messages too fast. Wait a moment.',
  unavailable: "This room's relay does not carry text chat (it may run an older Parley).",
};

