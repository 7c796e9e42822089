import type { ReactElement } from 'react';
import type { ChatMessageView } from '../../../electron/api/contract.js';

/** Hours and minutes in the user's own format: when a message was sent. */
export function chatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

const STATE_TEXT: Record<ChatMessageView['state'], string> = { sending: 'Sending…', sent: '', failed: 'Not delivered' };

/**
 * One message. Everything in it came from the network, so all of it is text
 * React escapes; a link is a button that asks before anything opens.
 */
export function ChatMessage({ message, onLink }: { message: ChatMessageView; onLink: (url: string) => void }): ReactElement {
  const classes = ['chat-message', message.own ? 'chat-own' : '', message.mentionsMe ? 'chat-mention' : '', `chat-${message.state}`].filter(Boolean).join(' ');
  return (
    <li className={classes}>
      <div className="chat-meta">
        <span className="chat-sender">{message.senderName}</span>
        <time className="chat-time" dateTime={new Date(message.sentAt).toISOString()}>
          {chatTime(message.sentAt)}
        </time>
        {message.mentionsMe && <span className="chat-tag">mentions you</span>}
        {STATE_TEXT[message.state] && <span className={`chat-state chat-state-${message.state}`}>{STATE_TEXT[message.state]}</span>}
      </div>
      <p className="chat-text">
        {message.parts === null ? (
          <em className="chat-unreadable">This message could not be read.</em>
        ) : (
          message.parts.map((part, index) =>
            part.kind === 'text' ? (
              <span key={index}>{part.text}</span>
            ) : (
              <button key={index} type="button" className="chat-link" onClick={() => onLink(part.url)}>
                {part.text}
              </button>
            ),
          )
        )}
      </p>
    </li>
  );
}
