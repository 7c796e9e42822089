import type { ReactElement } from 'react';
import type { HelpTopic } from '../../../electron/api/contract.js';
import { useApi } from '../app/api-context.js';
import { Icon } from './Icon.js';

const LABEL: Record<HelpTopic, string> = {
  troubleshooting: 'Troubleshooting',
  hosting: 'Help with hosting',
  pushToTalk: 'Help with push-to-talk',
};

/** Opens Parley's documentation on a topic in the system browser. */
export function HelpButton({ topic, className }: { topic: HelpTopic; className?: string }): ReactElement {
  const api = useApi();
  return (
    <button type="button" className={`button link-button${className ? ` ${className}` : ''}`} onClick={() => void api.openHelp(topic)}>
      <Icon name="help" />
      <span>{LABEL[topic]}</span>
    </button>
  );
}
