import type { ReactElement, ReactNode } from 'react';
import { Icon, type IconName } from '../components/Icon.js';
import { LevelMeter } from '../components/LevelMeter.js';

export interface MemberRowProps {
  name: string;
  isSelf: boolean;
  talking: boolean;
  muted: boolean;
  deafened: boolean;
  /** Muted for us only (peers). */
  localMuted?: boolean;
  levelDb: number;
  thresholdDb?: number | null;
  quality: ReactNode;
  controls?: ReactNode;
}

/** One person in the member list: who, whether they speak, their state, link and (for peers) our controls. */
export function MemberRow({ name, isSelf, talking, muted, deafened, localMuted = false, levelDb, thresholdDb, quality, controls }: MemberRowProps): ReactElement {
  const states = [talking ? 'speaking' : null, muted ? 'muted' : null, deafened ? 'deafened' : null, localMuted ? 'muted by you' : null].filter(
    (s): s is string => s !== null,
  );
  return (
    <li className={`member${talking ? ' member-talking' : ''}${isSelf ? ' member-self' : ''}`}>
      <div className="member-main">
        <span className="avatar" aria-hidden="true">
          {Array.from(name)[0]?.toUpperCase() ?? '?'}
        </span>
        <span className="member-name">
          {name}
          {isSelf && <span className="member-you"> (you)</span>}
          {states.length > 0 && <span className="visually-hidden">, {states.join(', ')}</span>}
        </span>
        <span className="member-icons">
          {muted && <StateIcon icon="micOff" title="Muted" />}
          {deafened && <StateIcon icon="headphonesOff" title="Deafened" />}
          {localMuted && <StateIcon icon="speakerOff" title="Muted by you" />}
        </span>
        {quality}
      </div>
      <div className="member-extra">
        <LevelMeter levelDb={levelDb} label={isSelf ? 'Your microphone level' : `${name}'s level`} active={talking} thresholdDb={thresholdDb} />
        {controls}
      </div>
    </li>
  );
}

/** The row's hidden text already says the state; this is the picture of it, with a hover name. */
function StateIcon({ icon, title }: { icon: IconName; title: string }): ReactElement {
  return (
    <span className="state-icon" title={title}>
      <Icon name={icon} />
    </span>
  );
}
