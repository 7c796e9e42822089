import type { ReactElement } from 'react';
import { SILENCE_DB } from '../../../electron/api/contract.js';
import { formatDb, meterFraction } from '../format.js';

export interface LevelMeterProps {
  /** dBFS, SILENCE_DB for silence. */
  levelDb: number;
  label: string;
  /** A held peak, drawn as a tick. */
  peakDb?: number | undefined;
  /** The voice gate's threshold, drawn as a line across the meter. */
  thresholdDb?: number | null | undefined;
  /** Coloured as "being heard" (gate open / audio playing). */
  active?: boolean;
  size?: 'small' | 'large';
}

/** A horizontal level meter; screen readers get it as a meter with the level in dB. */
export function LevelMeter({ levelDb, label, peakDb, thresholdDb, active = false, size = 'small' }: LevelMeterProps): ReactElement {
  const shownDb = Math.max(SILENCE_DB, Math.min(0, Math.round(levelDb)));
  return (
    <div
      className={`meter meter-${size}${active ? ' meter-active' : ''}`}
      role="meter"
      aria-label={label}
      aria-valuemin={SILENCE_DB}
      aria-valuemax={0}
      aria-valuenow={shownDb}
      aria-valuetext={shownDb <= SILENCE_DB ? 'silent' : formatDb(shownDb)}
    >
      {/* The bar is scaled, not resized, so a level change repaints without layout. */}
      <div className="meter-bar" style={{ transform: `scaleX(${meterFraction(levelDb)})` }} />
      {peakDb !== undefined && <div className="meter-peak" style={{ insetInlineStart: `${meterFraction(peakDb) * 100}%` }} />}
      {thresholdDb !== undefined && thresholdDb !== null && (
        <div className="meter-threshold" style={{ insetInlineStart: `${meterFraction(thresholdDb) * 100}%` }} />
      )}
    </div>
  );
}
