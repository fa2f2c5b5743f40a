import { fmtShare } from '../../lib/surveys';

interface Props {
  top: number | null;
  middle: number | null;
  bottom: number | null;
  labels?: [string, string, string];
  /** "box" (top/middle/bottom) or "nps" (promoters/passives/detractors): colours only. */
  tone?: 'box' | 'nps';
}

/**
 * Top / middle / bottom shares (0–100) as one horizontal bar, bottom on the left, top on the right. The bar is
 * hidden from assistive technology: the same values are always shown as text next to it.
 */
export function StackedBar({ top, middle, bottom, labels = ['Top box', 'Middle box', 'Bottom box'], tone = 'box' }: Props) {
  if (top === null && middle === null && bottom === null) return <span className="muted small">No answers</span>;
  const parts: { key: string; v: number; label: string }[] = [
    { key: 'bottom', v: bottom ?? 0, label: labels[2] },
    { key: 'middle', v: middle ?? 0, label: labels[1] },
    { key: 'top', v: top ?? 0, label: labels[0] },
  ];
  const title = [...parts].reverse().map((p) => `${p.label} ${fmtShare(p.v)}`).join(' · ');
  return (
    <span className={`stack stack-${tone}`} aria-hidden="true" title={title}>
      {parts.map((p) =>
        p.v > 0 ? <span key={p.key} className={`stack-part stack-${p.key}`} style={{ width: `${Math.min(100, Math.max(0, p.v))}%` }} /> : null,
      )}
    </span>
  );
}
