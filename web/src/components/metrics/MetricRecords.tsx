import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../../api';
import type { Id, MetricInterval, MetricRecord, MetricResult } from '../../api/types';
import { statusLabel } from '../../lib/format';
import { useApi } from '../../lib/hooks';
import { fmtNumber, periodPhrase } from '../../lib/spc';
import { fmtDate, fmtDateTime } from '../../lib/time';
import { Pager } from '../Pager';
import { Empty, ErrorAlert, Spinner } from '../ui';

export const RECORDS_PAGE_SIZE = 50;

const KIND_LABEL: Record<string, string> = {
  appointment: 'Appointment',
  encounter: 'Visit',
  case: 'Case',
  invitation: 'Survey invitation',
  response: 'Survey response',
  access: 'Daily reading',
};
const KIND_PLURAL: Record<string, string> = {
  appointment: 'appointments',
  encounter: 'visits',
  case: 'cases',
  invitation: 'survey invitations',
  response: 'survey responses',
  access: 'daily readings',
};

/** A record's time in the location's zone; a bare date as a date; anything unreadable as given. */
export function fmtRecordTime(at: string, zone?: string): string {
  if (!at) return '';
  return at.length <= 10 ? fmtDate(at) : fmtDateTime(at, zone);
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/**
 * The records behind one point of a metric's chart at one location (GET /api/v1/metrics/{key}/records), a page of
 * 50 at a time. Takes focus when it opens; `onClose` is expected to return focus to the point.
 */
export function MetricRecords({
  metric,
  locationId,
  department,
  interval,
  start,
  zone,
  onClose,
}: {
  metric: Pick<MetricResult, 'key' | 'name' | 'unit'>;
  locationId: Id;
  /** The dashboard's department filter, if any. */
  department?: string;
  interval: MetricInterval;
  /** The period's first day (YYYY-MM-DD). */
  start: string;
  /** The location's time zone, for the records' times. */
  zone?: string;
  onClose: () => void;
}) {
  const uid = useId();
  const headingId = `${uid}-h`;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [offset, setOffset] = useState(0);
  // While another page loads, the current one stays in place (so the pager keeps focus) under a spinner.
  const res = useApi(
    (signal) =>
      api.getMetricRecords(
        metric.key,
        { location_id: locationId, department: department || undefined, interval, period_start: start, limit: RECORDS_PAGE_SIZE, offset },
        { signal },
      ),
    [metric.key, locationId, department, interval, start, offset],
  );
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const data = res.data;
  const items = data?.items ?? [];
  const showValue = items.some((r) => r.value !== null && r.value !== undefined);
  const numeratorHeader = data?.numerator_label?.trim() || 'Counts in the numerator';
  const kind = data?.kind ?? '';
  const title = `${metric.name}, ${periodPhrase(start, interval)}`;

  return (
    <section className="metric-records" aria-labelledby={headingId}>
      <div className="section-head">
        <h3 id={headingId} tabIndex={-1} ref={headingRef}>
          {title}
        </h3>
        <button type="button" className="btn btn-small" onClick={onClose}>
          Close records
        </button>
      </div>
      {res.loading && <Spinner label="Loading the records…" />}
      <ErrorAlert error={res.error} title="Could not load the records" onRetry={res.reload} />
      {data && !res.error && (
        <>
          {data.total > 0 && (
            <p className="muted small">
              {data.total.toLocaleString('en-US')} {data.total === 1 ? (KIND_LABEL[kind]?.toLowerCase() ?? 'record') : (KIND_PLURAL[kind] ?? 'records')}, oldest
              first.
            </p>
          )}
          {items.length === 0 ? (
            <Empty>No records behind this point.</Empty>
          ) : (
            <div className="table-scroll" aria-busy={res.loading}>
              <table className="table table-dense">
                <caption className="sr-only">Records behind {title}</caption>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">{kind === 'access' ? 'Reading' : 'Patient'}</th>
                    <th scope="col">Provider</th>
                    <th scope="col">{kind === 'access' ? 'Visit type' : 'Status'}</th>
                    <th scope="col">{numeratorHeader}</th>
                    {showValue && (
                      <th scope="col" className="num">
                        Value{metric.unit ? ` (${metric.unit})` : ''}
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <RecordRow key={String(r.id)} r={r} kind={kind} zone={zone} showValue={showValue} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager offset={offset} limit={RECORDS_PAGE_SIZE} count={items.length} total={data.total} onChange={setOffset} label="Record pages" />
        </>
      )}
    </section>
  );
}

function RecordRow({ r, kind, zone, showValue }: { r: MetricRecord; kind: string; zone?: string; showValue: boolean }) {
  const who = r.patient_name || `${KIND_LABEL[kind] ?? 'Record'} ${r.id}`;
  return (
    <tr>
      <td className="nowrap">{fmtRecordTime(r.at, zone)}</td>
      <td>{r.link ? <Link to={r.link}>{who}</Link> : who}</td>
      <td>{r.provider_name || '—'}</td>
      <td>{r.status ? capitalise(statusLabel(r.status)) : '—'}</td>
      <td>
        {r.in_numerator ? (
          'Yes'
        ) : (
          <>
            <span aria-hidden="true">—</span>
            <span className="sr-only">No</span>
          </>
        )}
      </td>
      {showValue && <td className="num">{fmtNumber(r.value, 2)}</td>}
    </tr>
  );
}
