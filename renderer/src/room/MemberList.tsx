import type { ReactElement } from 'react';
import type { PeerView, RoomView, Settings } from '../../../electron/api/contract.js';
import { useApi } from '../app/api-context.js';
import { Slider } from '../components/Slider.js';
import { ToggleButton } from '../components/ToggleButton.js';
import { formatMs, formatPct, formatVolume } from '../format.js';
import { MemberRow } from './MemberRow.js';
import { QualityDetails } from './QualityDetails.js';

export interface MemberListProps {
  room: RoomView;
  settings: Settings;
}

/** Everyone in the room, you first. */
export function MemberList({ room, settings }: MemberListProps): ReactElement {
  const { self } = room;
  const count = room.peers.length + 1;
  return (
    <section className="members" aria-labelledby="members-heading">
      <h2 id="members-heading" className="section-title">
        In this room <span className="count">({count})</span>
      </h2>
      <ul className="member-list">
        <MemberRow
          name={self.name}
          isSelf
          talking={self.talking}
          muted={self.muted}
          deafened={self.deafened}
          levelDb={self.inputLevelDb}
          thresholdDb={settings.activation === 'voice' ? settings.vadThresholdDb : null}
          quality={
            <QualityDetails
              owner="your connection"
              quality={self.quality}
              extra={[
                { label: 'Sending', value: `${self.uplinkKbps.toFixed(1)} kbps` },
                { label: 'Connection', value: self.transport === 'tcp' ? 'via TCP (this network blocks UDP)' : 'UDP' },
                { label: 'Loss protection', value: self.redundancy ? 'on (the network is losing packets)' : 'off' },
              ]}
            />
          }
        />
        {room.peers.map((peer) => (
          <PeerRow key={peer.id} peer={peer} />
        ))}
      </ul>
      {room.peers.length === 0 && <p className="hint empty-room">Nobody else is here yet.</p>}
    </section>
  );
}

function PeerRow({ peer }: { peer: PeerView }): ReactElement {
  const api = useApi();
  return (
    <MemberRow
      name={peer.name}
      isSelf={false}
      talking={peer.talking}
      muted={peer.muted}
      deafened={peer.deafened}
      localMuted={peer.localMuted}
      levelDb={peer.levelDb}
      quality={
        <QualityDetails
          owner={peer.name}
          quality={peer.quality}
          extra={[
            { label: 'Late packets', value: formatPct(peer.quality.latePct) },
            { label: 'Buffer', value: formatMs(peer.quality.bufferMs) },
            { label: 'Receiving', value: `${peer.quality.kbps.toFixed(1)} kbps` },
          ]}
        />
      }
      controls={
        <div className="peer-controls">
          <Slider
            label={`Volume for ${peer.name}`}
            hideLabel
            min={0}
            max={200}
            step={5}
            value={Math.round(peer.volume * 100)}
            format={(percent) => formatVolume(percent / 100)}
            onChange={(percent) => void api.setPeerVolume(peer.name, percent / 100)}
            className="volume"
          />
          <ToggleButton
            label={`Mute ${peer.name} for me`}
            pressed={peer.localMuted}
            onToggle={(muted) => void api.setPeerMuted(peer.name, muted)}
            icon="speaker"
            pressedIcon="speakerOff"
            hideText
            className="icon-button"
          />
        </div>
      }
    />
  );
}
