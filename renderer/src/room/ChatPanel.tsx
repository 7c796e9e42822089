import { useEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { CHAT_LIMITS, chatCharacters } from '../../../electron/api/chat-limits.js';
import type { ChatView } from '../../../electron/api/contract.js';
import { useApi } from '../app/api-context.js';
import { useAction } from '../app/use-action.js';
import { ErrorMessage } from '../components/Field.js';
import { ChatMessage } from './ChatMessage.js';

/** The counter shows once a message nears the limit. */
const COUNTER_FROM = CHAT_LIMITS.maxChars - 200;

/** The room's text chat: the messages, a box to write in, and a confirmation before any link opens. */
export function ChatPanel({ chat, encrypted }: { chat: ChatView; encrypted: boolean }): ReactElement {
  const api = useApi();
  const send = useAction(api.sendChat);
  const open = useAction(api.openChatLink);
  const [draft, setDraft] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const last = chat.messages.at(-1)?.key;

  // New messages scroll into view, and count as read while the window is in front.
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
    if (chat.unread > 0 && document.visibilityState === 'visible' && document.hasFocus()) void api.markChatRead();
  }, [last, chat.unread, api]);

  const characters = chatCharacters(draft);
  const submit = async (): Promise<void> => {
    if (draft.trim() === '' || send.pending) return;
    if (await send.run(draft)) setDraft('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    // Enter sends, as in every chat; Shift+Enter starts a new line.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <section className="card chat" aria-labelledby="chat-heading">
      <h2 id="chat-heading" className="section-title">
        Chat
        {chat.unread > 0 && <span className="chat-unread">{chat.unread} new</span>}
      </h2>
      {!chat.available ? (
        <p className="hint">This room's relay does not carry text chat (it may run an older Parley).</p>
      ) : (
        <>
          {!encrypted && <p className="hint chat-warning">Messages in this room are not encrypted: the relay can read them.</p>}
          {chat.messages.length === 0 ? (
            <p className="hint">No messages yet.</p>
          ) : (
            <ol className="chat-list" ref={listRef} aria-label="Messages" tabIndex={0}>
              {chat.messages.map((message) => (
                <ChatMessage key={message.key} message={message} onLink={(url) => setConfirming(url)} />
              ))}
            </ol>
          )}
          {confirming !== null && (
            <div className="chat-confirm" role="alertdialog" aria-labelledby="chat-confirm-title" aria-describedby="chat-confirm-address">
              <p id="chat-confirm-title">Open this address in your browser?</p>
              <p id="chat-confirm-address" className="chat-confirm-address">
                <code>{confirming}</code>
              </p>
              <div className="chat-confirm-actions">
                <button
                  type="button"
                  className="button primary"
                  onClick={() => {
                    const url = confirming;
                    setConfirming(null);
                    void open.run(url);
                  }}
                >
                  Open
                </button>
                <button type="button" className="button" onClick={() => setConfirming(null)}>
                  Cancel
                </button>
              </div>
            </div>
          )}
          {open.error && <ErrorMessage>{open.error.message}</ErrorMessage>}
          <form
            className="chat-compose"
            onSubmit={(event) => {
              event.preventDefault();
              void submit();
            }}
          >
            <label htmlFor="chat-draft" className="visually-hidden">
              Message
            </label>
            <textarea
              id="chat-draft"
              className="chat-draft"
              rows={2}
              value={draft}
              placeholder="Message the room"
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={onKeyDown}
              aria-invalid={characters > CHAT_LIMITS.maxChars ? true : undefined}
            />
            <button type="submit" className="button primary" disabled={send.pending || draft.trim() === '' || characters > CHAT_LIMITS.maxChars}>
              Send
            </button>
          </form>
          {characters >= COUNTER_FROM && (
            <p className={`chat-counter${characters > CHAT_LIMITS.maxChars ? ' over' : ''}`} aria-live="polite">
              {characters.toLocaleString('en-US')} / {CHAT_LIMITS.maxChars.toLocaleString('en-US')} characters
            </p>
          )}
          {send.error && <ErrorMessage>{send.error.message}</ErrorMessage>}
        </>
      )}
    </section>
  );
}
