import type { HelpTopic } from '../api/contract.js';

/** The only pages Parley ever opens in the system browser. */
const HELP_BASE = 'https://parley.invalid/docs/';
export const HELP_URLS: Record<HelpTopic, string> = {
  troubleshooting: `${HELP_BASE}troubleshooting`,
  hosting: `${HELP_BASE}hosting`,
  pushToTalk: `${HELP_BASE}push-to-talk`,
};
