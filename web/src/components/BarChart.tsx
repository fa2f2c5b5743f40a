import { useId } from 'react';

export interface Bar {
  key: string;
  label: string;
  value: number | null;
  /** Extra words for the tooltip and the table, e.g. "12 cases in 4,310 visits". */
  detail?: string;
}

interface Props {
  title: string;
  bars: Bar[];
  valueLabel: string;
  format?: (v: number) => string;
  /** Summary for screen readers; defaults to highest and lowest. */
  summary?: string;
  /** Keep the caption for assistive technology only (when a visible heading already says it). */
  hideTitle?: boolean;
}

const W = 720;
const H = 260;
const M = { top: 24, right: 12, bottom: 40, left: 44 };

/** "Nice" axis maximum: 1, 2, 2.5 or 5 × 10^n at or above v. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** A simple vertical bar chart in SVG, with a data table for screen readers and anyone who prefers numbers. */
export function BarChart({ title, bars, valueLabel, format = (v) => v.toLocaleString(undefined, { maximumFractionDigits: 2 }), summary, hideTitle }: Props) {
  const uid = useId();
  const titleId = `${uid}-t`;
  const descId = `${uid}-d`;
  const values = bars.map((b) => b.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const max = niceMax(Math.max(0, ...values));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const step = bars.length ? plotW / bars.length : plotW;
  const bw = Math.max(4, Math.min(56, step * 0.64));
  const y = (v: number) => M.top + plotH - (v / max) * plotH;
  const ticks = [0, max / 2, max];
  const auto = (() => {
    if (!values.length) return 'No data for this period.';
    const withV = bars.filter((b) => b.value !== null);
    const hi = withV.reduce((a, b) => ((b.value ?? 0) > (a.value ?? 0) ? b : a));
    const lo = withV.reduce((a, b) => ((b.value ?? 0) < (a.value ?? 0) ? b : a));
    return `${bars.length} bars. Highest ${hi.label}: ${format(hi.value!)}. Lowest ${lo.label}: ${format(lo.value!)}.`;
  })();
  const labelEvery = bars.length > 18 ? Math.ceil(bars.length / 12) : 1;

  return (
    <figure className="chart">
      <figcaption id={titleId} className={hideTitle ? 'sr-only' : 'chart-title'}>
        {title}
      </figcaption>
      <p id={descId} className="sr-only">
        {summary ?? auto} The same figures are in the table below the chart.
      </p>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId} aria-describedby={descId} className="chart-svg" preserveAspectRatio="xMidYMid meet">
        {ticks.map((t) => (
          <g key={t} aria-hidden="true">
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={M.left - 6} y={y(t)} dy="0.32em" textAnchor="end" className="chart-axis">
              {format(t)}
            </text>
          </g>
        ))}
        {bars.map((b, i) => {
          const cx = M.left + step * i + step / 2;
          const v = b.value;
          return (
            <g key={b.key}>
              {v !== null && Number.isFinite(v) ? (
                <>
                  <rect x={cx - bw / 2} y={y(v)} width={bw} height={Math.max(0, M.top + plotH - y(v))} className="chart-bar" rx={2}>
                    <title>{`${b.label}: ${format(v)} ${valueLabel}${b.detail ? ` (${b.detail})` : ''}`}</title>
                  </rect>
                  {bars.length <= 18 && (
                    <text x={cx} y={y(v) - 5} textAnchor="middle" className="chart-value" aria-hidden="true">
                      {format(v)}
                    </text>
                  )}
                </>
              ) : (
                <text x={cx} y={M.top + plotH - 5} textAnchor="middle" className="chart-axis" aria-hidden="true">
                  –
                </text>
              )}
              {i % labelEvery === 0 && (
                <text x={cx} y={H - M.bottom + 16} textAnchor="middle" className="chart-axis" aria-hidden="true">
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
        <line x1={M.left} x2={W - M.right} y1={M.top + plotH} y2={M.top + plotH} className="chart-baseline" aria-hidden="true" />
      </svg>
      <details className="chart-table">
        <summary>Show the figures as a table</summary>
        <table className="table table-dense">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col" className="num">
                {valueLabel}
              </th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.key}>
                <th scope="row">{b.label}</th>
                <td className="num">{b.value === null ? '—' : format(b.value)}</td>
                <td>{b.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
