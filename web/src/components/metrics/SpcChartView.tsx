import { useId, type KeyboardEvent } from 'react';
import type { MetricInterval, MetricProject, MetricResult } from '../../api/types';
import { saveBlob } from '../../lib/download';
import { cycleMarkers, labelRows, projectBands } from '../../lib/improvement';
import {
  ASSURANCE_TEXT,
  IMPROVEMENT_TEXT,
  chartRows,
  chartScales,
  csvFileName,
  fmtNumber,
  fmtPeriod,
  fmtValue,
  latestValue,
  linePath,
  metricCsv,
  periodPhrase,
  pointTone,
  variationInfo,
} from '../../lib/spc';
import { Notice } from '../ui';
import { VariationIcon } from './VariationIcon';

const BOX = { width: 760, height: 300, top: 16, right: 16, bottom: 46, left: 64 };
/** Height of one row of PDSA labels above the plot. */
const LABEL_ROW = 13;
const LABEL_GAP = 52;

const TONE_WORDS: Record<string, string> = {
  improvement: 'special cause, improving',
  concern: 'special cause, concerning',
  neutral: 'special cause',
};

/**
 * A full SPC chart for one metric, with its definition, a data table and CSV export. Improvement projects on the
 * metric (its `projects`, or those given) are drawn as shaded spans, and each PDSA cycle as a dashed line at the
 * period holding its start date.
 *
 * With `onPoint`, each point becomes a button ("Records for the week of 9 Feb 2026: 18%", on an overlay above the
 * drawing so the chart itself stays one image) and each row of the figures table gets a "Records" button; both call
 * `onPoint` with the period's start and the activated element. `pointHint` is shown instead when there is no drill-down.
 */
export function SpcChartView({
  metric,
  interval,
  from,
  to,
  projects,
  onPoint,
  selectedPoint,
  pointHint,
}: {
  metric: MetricResult;
  interval: MetricInterval | string;
  from: string;
  to: string;
  /** Projects to draw instead of the metric answer's own `projects`. */
  projects?: MetricProject[];
  /** Drill-down: called with a period's start when its point or its table row's "Records" button is activated. */
  onPoint?: (start: string, el: HTMLElement | SVGElement) => void;
  /** The period whose records are open (marked on the chart and in the table). */
  selectedPoint?: string;
  /** Shown when there is no drill-down (`onPoint` not given), e.g. why not. */
  pointHint?: string;
}) {
  const uid = useId();
  const titleId = `${uid}-t`;
  const descId = `${uid}-d`;
  const rows = chartRows(metric);
  const drawn = projects ?? metric.projects ?? [];
  const starts = rows.map((r) => r.start);
  const markers = cycleMarkers(drawn, starts, interval);
  const bands = projectBands(drawn, starts, interval);
  const hasChart = !!metric.chart && rows.some((r) => r.point);
  const ys = rows.map((r) => (hasChart ? (r.point?.y ?? null) : r.value));
  const cls = rows.map((r) => r.point?.cl ?? null);
  const lcls = rows.map((r) => r.point?.lcl ?? null);
  const ucls = rows.map((r) => r.point?.ucl ?? null);
  const percent = metric.unit === '%';
  // Label rows need the x scale, which does not depend on the top margin: place them first, then make room.
  const xOnly = chartScales(rows.length, [], BOX, { inset: 12 }).x;
  const rowsOf = labelRows(markers.map((m) => xOnly(m.index)), LABEL_GAP);
  const labelRowCount = markers.length ? Math.max(...rowsOf) + 1 : 0;
  const extra = labelRowCount * LABEL_ROW;
  const box = { ...BOX, top: BOX.top + extra, height: BOX.height + extra };
  const s = chartScales(rows.length, [ys, cls, lcls, ucls], box, { percent, inset: 12 });
  const plotBottom = box.height - box.bottom;
  const plotLeft = box.left;
  const plotRight = box.width - box.right;
  const step = rows.length > 1 ? s.x(1) - s.x(0) : plotRight - plotLeft;
  const labelEvery = Math.max(1, Math.ceil(rows.length / 10));
  const flagged = rows.filter((r) => r.point && r.point.y !== null && pointTone(r.point) !== 'common');
  const info = variationInfo(metric.variation, metric.improvement);
  const lastCl = [...cls].reverse().find((v) => v !== null);
  const gaps = rows.filter((r) => r.value === null).length;
  const summary = [
    `${rows.length} ${interval === 'month' ? 'months' : interval === 'day' ? 'days' : 'weeks'} from ${fmtPeriod(from, interval)} to ${fmtPeriod(to, interval)}.`,
    `Latest ${fmtValue(latestValue(metric), metric.unit)}.`,
    hasChart && lastCl !== undefined ? `Centre line ${fmtValue(lastCl, metric.unit)}.` : '',
    hasChart ? `${flagged.length} point${flagged.length === 1 ? '' : 's'} flagged as special cause.` : '',
    gaps ? `${gaps} period${gaps === 1 ? '' : 's'} without data.` : '',
    info.label + '.',
    markers.length ? `PDSA cycles marked: ${markers.map((m) => m.title).join('; ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');

  const pointTitle = (i: number) => {
    const r = rows[i];
    const tone = r.point ? pointTone(r.point) : 'common';
    const words = tone !== 'common' ? `, ${TONE_WORDS[tone]}${r.point?.special_cause && r.point.special_cause !== 'Common Cause' ? ` (${r.point.special_cause})` : ''}` : '';
    return `${fmtPeriod(r.start, interval)}: ${fmtValue(ys[i], metric.unit)}${words}`;
  };
  /** Hit radius of a drill-down point: generous, but not overlapping its neighbours much. */
  const hitR = Math.max(4, Math.min(9, step / 2));

  const exportCsv = () => saveBlob(new Blob([metricCsv(metric)], { type: 'text/csv;charset=utf-8' }), csvFileName(metric, from, to));

  return (
    <div className="spc">
      <div className="spc-main">
        {!hasChart && (
          <Notice kind="info">
            Too little data for control limits yet: an SPC chart needs more periods with data. The values so far are shown without limits.
          </Notice>
        )}
        <figure className="chart">
          <figcaption id={titleId} className="chart-title">
            {metric.name} ({metric.unit}), {interval === 'month' ? 'by month' : interval === 'day' ? 'by day' : 'by week'}
          </figcaption>
          <p id={descId} className="sr-only">
            {summary} The same figures are in the table below the chart.
          </p>
          <div className="spc-plot">
            <svg viewBox={`0 0 ${box.width} ${box.height}`} role="img" aria-labelledby={titleId} aria-describedby={descId} className="chart-svg spc-svg">
              <g aria-hidden="true">
                {bands.map((b) => {
                  const x0 = Math.max(plotLeft, s.x(b.i0) - step / 2);
                  const x1 = Math.min(plotRight, s.x(b.i1) + step / 2);
                  return (
                    <rect key={`band-${b.projectId}`} x={x0} y={box.top} width={Math.max(1, x1 - x0)} height={plotBottom - box.top} className="pdsa-band" data-pdsa-band={String(b.projectId)}>
                      <title>{b.title}</title>
                    </rect>
                  );
                })}
                {s.ticks.map((t) => (
                  <g key={t}>
                    <line x1={box.left} x2={box.width - box.right} y1={s.y(t)} y2={s.y(t)} className="chart-grid" />
                    <text x={box.left - 6} y={s.y(t)} dy="0.32em" textAnchor="end" className="chart-axis">
                      {fmtNumber(t)}
                    </text>
                  </g>
                ))}
                <text transform={`translate(14 ${(box.top + plotBottom) / 2}) rotate(-90)`} textAnchor="middle" className="chart-axis chart-axis-title">
                  {metric.unit}
                </text>
                {rows.map((r, i) =>
                  i % labelEvery === 0 ? (
                    <text key={r.start} x={s.x(i)} y={plotBottom + 16} textAnchor="middle" className="chart-axis">
                      {fmtPeriod(r.start, interval, true)}
                    </text>
                  ) : null,
                )}
                <text x={(box.left + box.width - box.right) / 2} y={box.height - 6} textAnchor="middle" className="chart-axis chart-axis-title">
                  {interval === 'month' ? 'Month' : interval === 'day' ? 'Day' : 'Week starting'}
                </text>
                <line x1={box.left} x2={box.width - box.right} y1={plotBottom} y2={plotBottom} className="chart-baseline" />
                {hasChart && (
                  <>
                    <path d={linePath(ucls, s.x, s.y)} className="spc-limit" data-line="ucl" />
                    <path d={linePath(lcls, s.x, s.y)} className="spc-limit" data-line="lcl" />
                    <path d={linePath(cls, s.x, s.y)} className="spc-cl" data-line="cl" />
                  </>
                )}
                <path d={linePath(ys, s.x, s.y)} className="spc-line" data-line="y" />
              </g>
              {markers.map((m, k) => {
                const x = s.x(m.index);
                const labelY = BOX.top - 4 + rowsOf[k] * LABEL_ROW;
                const nearRight = x > plotRight - LABEL_GAP;
                return (
                  <g key={m.key} className="pdsa-marker" data-pdsa-cycle={String(m.cycleId)} data-period={m.index}>
                    <title>{m.title}</title>
                    <line x1={x} x2={x} y1={labelY + 3} y2={plotBottom} className="pdsa-line" />
                    <text x={nearRight ? x - 3 : x + 3} y={labelY} textAnchor={nearRight ? 'end' : 'start'} className="pdsa-label">
                      {m.label}
                    </text>
                  </g>
                );
              })}
              {rows.map((r, i) => {
                const y = ys[i];
                if (y === null) return null;
                const tone = r.point ? pointTone(r.point) : 'common';
                return (
                  <circle key={r.start} cx={s.x(i)} cy={s.y(y)} r={tone === 'common' ? 3 : 4.5} className={`spc-point spc-point-${tone}`} data-tone={tone}>
                    <title>{pointTitle(i)}</title>
                  </circle>
                );
              })}
            </svg>
            {onPoint && (
              <svg viewBox={`0 0 ${box.width} ${box.height}`} className="chart-svg spc-svg spc-hits" role="group" aria-label="Points of the chart: choose one to see the records behind it">
                {rows.map((r, i) => {
                  const y = ys[i];
                  if (y === null) return null;
                  const current = r.start === selectedPoint;
                  const activate = (e: KeyboardEvent<SVGCircleElement>) => {
                    if (e.key === 'Enter' || e.key === ' ' || e.key === 'Spacebar') {
                      e.preventDefault();
                      onPoint(r.start, e.currentTarget);
                    }
                  };
                  return (
                    <circle
                      key={r.start}
                      cx={s.x(i)}
                      cy={s.y(y)}
                      r={hitR}
                      className={`spc-hit${current ? ' is-current' : ''}`}
                      role="button"
                      tabIndex={0}
                      aria-label={`Records for ${periodPhrase(r.start, interval, true)}: ${fmtValue(y, metric.unit)}`}
                      aria-current={current ? 'true' : undefined}
                      data-point={r.start}
                      onClick={(e) => onPoint(r.start, e.currentTarget)}
                      onKeyDown={activate}
                    >
                      <title>{pointTitle(i)}</title>
                    </circle>
                  );
                })}
              </svg>
            )}
          </div>
          <ul className="spc-legend" aria-label="Chart key">
            <li>
              <span className="key key-line" aria-hidden="true" /> Value
            </li>
            {hasChart && (
              <>
                <li>
                  <span className="key key-cl" aria-hidden="true" /> Centre line (mean)
                </li>
                <li>
                  <span className="key key-limit" aria-hidden="true" /> Control limits (dashed)
                </li>
                <li>
                  <span className="key key-dot key-concern" aria-hidden="true" /> Special cause — concerning
                </li>
                <li>
                  <span className="key key-dot key-improvement" aria-hidden="true" /> Special cause — improving
                </li>
                <li>
                  <span className="key key-dot key-neutral" aria-hidden="true" /> Special cause — neither
                </li>
              </>
            )}
            {markers.length > 0 && (
              <li>
                <span className="key key-pdsa" aria-hidden="true" /> PDSA cycle
              </li>
            )}
            {bands.length > 0 && (
              <li>
                <span className="key key-band" aria-hidden="true" /> Improvement project
              </li>
            )}
          </ul>
        </figure>
        {!onPoint && pointHint && <p className="muted small spc-hint">{pointHint}</p>}
        <div className="spc-actions">
          <button type="button" className="btn btn-small" onClick={exportCsv}>
            Export CSV
          </button>
        </div>
        <details className="chart-table">
          <summary>Show the figures as a table</summary>
          <div className="table-scroll">
            <table className="table table-dense">
              <caption className="sr-only">{metric.name}, each period</caption>
              <thead>
                <tr>
                  <th scope="col">Start</th>
                  <th scope="col" className="num">
                    Numerator
                  </th>
                  <th scope="col" className="num">
                    Denominator
                  </th>
                  <th scope="col" className="num">
                    Value ({metric.unit})
                  </th>
                  {hasChart && <th scope="col">Signal</th>}
                  {onPoint && (
                    <th scope="col">
                      <span className="sr-only">Records</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const tone = r.point ? pointTone(r.point) : 'common';
                  return (
                    <tr key={r.start} className={onPoint && r.start === selectedPoint ? 'is-current' : undefined}>
                      <th scope="row">{fmtPeriod(r.start, interval)}</th>
                      <td className="num">{fmtNumber(r.numerator, 2)}</td>
                      <td className="num">{fmtNumber(r.denominator, 2)}</td>
                      <td className="num">{r.value === null ? 'No data' : fmtNumber(r.value, 2)}</td>
                      {hasChart && <td>{tone === 'common' ? '' : r.point?.special_cause || TONE_WORDS[tone]}</td>}
                      {onPoint && (
                        <td>
                          <button
                            type="button"
                            className="btn btn-small"
                            data-point-row={r.start}
                            aria-current={r.start === selectedPoint ? 'true' : undefined}
                            aria-label={`Records for ${periodPhrase(r.start, interval, true)}`}
                            onClick={(e) => onPoint(r.start, e.currentTarget)}
                          >
                            Records
                          </button>
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </details>
      </div>
      <aside className="spc-side" aria-label={`About ${metric.name}`}>
        <VariationIcon variation={metric.variation} improvement={metric.improvement} size={44} />
        <dl className="dl dl-stack">
          <div>
            <dt>Latest</dt>
            <dd className="spc-latest">{fmtValue(latestValue(metric), metric.unit)}</dd>
          </div>
          <div>
            <dt>Definition</dt>
            <dd>{metric.definition}</dd>
          </div>
          <div>
            <dt>Direction</dt>
            <dd>{IMPROVEMENT_TEXT[metric.improvement] ?? metric.improvement}</dd>
          </div>
          {metric.chart?.chart && (
            <div>
              <dt>Chart</dt>
              <dd>{metric.chart.chart.toUpperCase()} chart</dd>
            </div>
          )}
          {metric.assurance && (
            <div>
              <dt>Target</dt>
              <dd>{ASSURANCE_TEXT[metric.assurance] ?? metric.assurance}</dd>
            </div>
          )}
        </dl>
      </aside>
    </div>
  );
}
