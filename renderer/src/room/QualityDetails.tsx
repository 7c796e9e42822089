import type { ReactElement } from 'react';
import type { LinkQuality } from '../../../electron/api/contract.js';
import { useDisclosure } from '../components/use-disclosure.js';
import { GRADE_LABEL, formatMs, formatPct } from '../format.js';

export interface QualityRow {
  label: string;
  value: string;
}

export interface QualityDetailsProps {
  /** Whose link this is, for the button's name: "Ben", or "your connection". */
  owner: string;
  quality: LinkQuality;
  /** Rows beyond round trip, loss and jitter. */
  extra?: readonly QualityRow[];
}

const BAR_COUNT: Record<LinkQuality['grade'], number> = { good: 3, fair: 2, poor: 1, unknown: 0 };

/** Three bars like a phone's signal; the numbers open below on click, for keyboard users too. */
export function QualityBars({ grade }: { grade: LinkQuality['grade'] }): ReactElement {
  const lit = BAR_COUNT[grade];
  return (
    <svg className={`quality-bars quality-${grade}`} viewBox="0 0 18 16" width="1.125em" height="1em" aria-hidden="true" focusable="false">
      {[0, 1, 2].map((i) => (
        <rect key={i} x={i * 6 + 1} y={10 - i * 4} width="4" height={6 + i * 4} rx="1" className={i < lit ? 'bar-lit' : 'bar-dim'} />
      ))}
    </svg>
  );
}

export function QualityDetails({ owner, quality, extra = [] }: QualityDetailsProps): ReactElement {
  const details = useDisclosure();
  const rows: QualityRow[] = [
    { label: 'Round trip', value: formatMs(quality.rttMs) },
    { label: 'Packet loss', value: formatPct(quality.lossPct) },
    { label: 'Jitter', value: formatMs(quality.jitterMs) },
    ...extra,
  ];
  return (
    <div className="quality" onKeyDown={details.onKeyDown}>
      <button
        type="button"
        className="quality-button"
        {...details.buttonProps}
        aria-label={`Connection details for ${owner}: ${GRADE_LABEL[quality.grade]}`}
        title={`${GRADE_LABEL[quality.grade]}: round trip ${formatMs(quality.rttMs)}, loss ${formatPct(quality.lossPct)}, jitter ${formatMs(quality.jitterMs)}`}
      >
        <QualityBars grade={quality.grade} />
        <span className="quality-rtt" aria-hidden="true">
          {quality.rttMs === null ? '–' : formatMs(quality.rttMs)}
        </span>
      </button>
      <dl className="quality-details" {...details.panelProps}>
        {rows.map((row) => (
          <div key={row.label} className="quality-row">
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
