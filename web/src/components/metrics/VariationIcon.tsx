import type { Improvement } from '../../api/types';
import { variationInfo, type VariationInfo } from '../../lib/spc';

const STROKE: Record<VariationInfo['tone'], string> = {
  common: '#7b8794',
  improvement: '#1b6ec2',
  concern: '#d9720b',
  neutral: '#6f3fb0',
  none: '#aab7c4',
};

/**
 * The NHS "Making Data Count" variation icon, drawn in SVG: grey circle with a flat line for common cause;
 * blue (improvement), orange (concern) or purple (neither) with an arrow up or down for a special cause.
 * The label is always shown next to it (or given as the accessible name when `showLabel` is false).
 */
export function VariationIcon({
  variation,
  improvement,
  size = 36,
  showLabel = true,
}: {
  variation: string | null | undefined;
  improvement: Improvement | string;
  size?: number;
  showLabel?: boolean;
}) {
  const info = variationInfo(variation, improvement);
  const c = STROKE[info.tone];
  return (
    <span className={`variation variation-${info.tone}`} data-tone={info.tone} data-direction={info.direction ?? 'none'}>
      <svg
        width={size}
        height={size}
        viewBox="0 0 40 40"
        focusable="false"
        role={showLabel ? undefined : 'img'}
        aria-hidden={showLabel ? true : undefined}
        aria-label={showLabel ? undefined : info.label}
        className="variation-icon"
      >
        <circle cx="20" cy="20" r="17.5" fill="#fff" stroke={c} strokeWidth="3" strokeDasharray={info.tone === 'none' ? '4 3' : undefined} />
        {info.tone === 'common' && (
          <>
            <path d="M9 20h22" stroke={c} strokeWidth="2.5" strokeLinecap="round" />
            {[11, 16, 21, 26, 30].map((x, i) => (
              <circle key={x} cx={x} cy={i % 2 ? 17 : 23} r="2" fill={c} />
            ))}
          </>
        )}
        {info.tone === 'none' && (
          <text x="20" y="25" textAnchor="middle" fontSize="14" fontWeight="700" fill={c}>
            ?
          </text>
        )}
        {info.direction === 'up' && info.tone !== 'common' && (
          <>
            <path d="M20 30V11M13 18l7-7 7 7" fill="none" stroke={c} strokeWidth="3.2" strokeLinecap="round" strokeLinejoin="round" />
            <text x="31" y="34" textAnchor="middle" fontSize="9" fontWeight="800" fill={c}>
              H
            </text>
          </>
        )}
        {info.direction === 'down' && info.tone !== 'common' && (
          <>
            <path d="M20 10v19M13 22l7 7 7-7" fill="none" stroke={c} strokeWidth="3.2" strokeLinecap="round" strokeLinejoin="round" />
            <text x="31" y="13" textAnchor="middle" fontSize="9" fontWeight="800" fill={c}>
              L
            </text>
          </>
        )}
      </svg>
      {showLabel && <span className="variation-label">{info.label}</span>}
    </span>
  );
}
