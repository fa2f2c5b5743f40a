import { useId, useState } from 'react';
import * as api from '../../api';
import type { AccessReading, Id, MetricInterval } from '../../api/types';
import { useApi } from '../../lib/hooks';
import { useReference } from '../../lib/reference';
import { fmtDate, fmtDateTime, fmtTime } from '../../lib/time';
import { Empty, ErrorAlert, Spinner } from '../ui';
import { SpcChartView } from './SpcChartView';

export const THIRD_NEXT_AVAILABLE = 'third_next_available_days';
const SHOWN_ROWS = 25;

/** "3 days", "0 days", "90+ days" for a censored reading. */
export function fmtDays(r: Pick<AccessReading, 'days' | 'censored'>): string {
  if (r.censored) return `${r.days}+ days`;
  return `${r.days} ${r.days === 1 ? 'day' : 'days'}`;
}

/** The mean days per visit type, worst first. */
export function meanByType(items: AccessReading[]): { id: Id; name: string; mean: number; providers: number }[] {
  const by = new Map<string, { id: Id; name: string; sum: number; n: number }>();
  for (const r of items) {
    const k = String(r.appointment_type_id);
    const e = by.get(k) ?? { id: r.appointment_type_id, name: r.appointment_type_name, sum: 0, n: 0 };
    e.sum += r.days;
    e.n += 1;
    by.set(k, e);
  }
  return [...by.values()]
    .map((e) => ({ id: e.id, name: e.name, mean: e.sum / e.n, providers: e.n }))
    .sort((a, b) => b.mean - a.mean || a.name.localeCompare(b.name));
}

/**
 * Third next available at one location: the latest day's reading for each visit type and provider (worst first),
 * the mean by visit type as bars, a visit type's own SPC chart over the dashboard's period when one is chosen, and a
 * button that takes today's reading again.
 */
export function AccessPanel({
  locationId,
  department,
  interval,
  from,
  to,
}: {
  locationId: string;
  department?: string;
  interval: MetricInterval;
  from: string;
  to: string;
}) {
  const uid = useId();
  const ref = useReference();
  const [type, setType] = useState('');
  const [showAll, setShowAll] = useState(false);
  const [taking, setTaking] = useState(false);
  const [taken, setTaken] = useState<string | undefined>();
  const [takeError, setTakeError] = useState<unknown>();
  const res = useApi(
    (signal) => api.getThirdNextAvailable({ location_id: locationId, department: department || undefined, appointment_type_id: type || undefined }, { signal }),
    [locationId, department, type],
    !!locationId,
  );
  const chart = useApi(
    (signal) => api.getMetric(THIRD_NEXT_AVAILABLE, { location_id: locationId, department: department || undefined, appointment_type_id: type, interval, from, to }, { signal }),
    [locationId, department, type, interval, from, to],
    !!locationId && !!type,
  );
  const headingId = `${uid}-h`;
  if (!locationId) {
    return (
      <section className="access-panel" aria-labelledby={headingId}>
        <h3 id={headingId}>By visit type and provider</h3>
        <Empty>Choose a location to see each visit type’s and provider’s third next available.</Empty>
      </section>
    );
  }
  const data = res.data;
  const zone = data?.time_zone;
  const items = data?.items ?? [];
  const censored = items.filter((r) => r.censored).length;
  const typeName = type ? (ref.types.find((t) => String(t.id) === type)?.name ?? 'this visit type') : '';
  const byType = meanByType(items);
  const rows = showAll ? items : items.slice(0, SHOWN_ROWS);

  const takeNow = async () => {
    setTaking(true);
    setTaken(undefined);
    setTakeError(undefined);
    try {
      const r = await api.takeAccessReading(locationId);
      setTaken(`Read again now: ${r.readings.toLocaleString('en-US')} visit type and provider pairs.`);
      res.reload();
      chart.reload();
    } catch (e) {
      setTakeError(e);
    } finally {
      setTaking(false);
    }
  };

  return (
    <section className="access-panel" aria-labelledby={headingId}>
      <div className="section-head">
        <h3 id={headingId}>By visit type and provider</h3>
        <button type="button" className="btn btn-small" onClick={takeNow} disabled={taking} aria-busy={taking}>
          {taking ? 'Reading the calendar…' : 'Take today’s reading again'}
        </button>
      </div>
      <p className="muted small" role="status" aria-live="polite">
        {taken}
      </p>
      <ErrorAlert error={takeError} title="Could not take the reading" />
      <div className="grid grid-3">
        <div className="field">
          <label htmlFor={`${uid}-type`}>Visit type</label>
          <select id={`${uid}-type`} value={type} onChange={(e) => { setType(e.target.value); setShowAll(false); }}>
            <option value="">All visit types</option>
            {ref.types
              .filter((t) => t.active !== false)
              .map((t) => (
                <option key={String(t.id)} value={String(t.id)}>
                  {t.name}
                </option>
              ))}
          </select>
        </div>
      </div>
      {res.loading && <Spinner label="Loading the readings…" />}
      <ErrorAlert error={res.error} title="Could not load the readings" onRetry={res.reload} />
      {data && !res.error && (
        <>
          {data.snapshot_date ? (
            <p>
              Read on {fmtDate(data.snapshot_date)} at {fmtTime(data.taken_at, zone)}
              {data.mean_days !== null && (
                <>
                  {' '}
                  — mean <strong>{data.mean_days.toLocaleString('en-US', { maximumFractionDigits: 1 })} days</strong> over {items.length.toLocaleString('en-US')}{' '}
                  visit type and provider pair{items.length === 1 ? '' : 's'}
                </>
              )}
              {censored > 0 && `; ${censored} with fewer than three open slots in the next ${data.horizon_days} days (counted as ${data.horizon_days})`}.
            </p>
          ) : (
            <Empty>No reading yet at this location. Readings are taken once a day; take one now with the button above.</Empty>
          )}
          {type && chart.data?.metric && (
            <SpcChartView metric={{ ...chart.data.metric, name: `${chart.data.metric.name}: ${typeName}` }} interval={interval} from={from} to={to} />
          )}
          {type && chart.loading && <Spinner label={`Charting ${typeName}…`} />}
          <ErrorAlert error={chart.error} title="Could not chart this visit type" onRetry={chart.reload} />
          {!type && byType.length > 1 && <TypeBars types={byType} />}
          {items.length === 0 && data.snapshot_date && <Empty>No readings match{type ? ` ${typeName}` : ''}{department ? ` in ${department}` : ''}.</Empty>}
          {items.length > 0 && (
            <div className="table-scroll">
              <table className="table table-dense">
                <caption className="sr-only">Third next available by visit type and provider, longest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Visit type</th>
                    <th scope="col">Provider</th>
                    <th scope="col">Days</th>
                    <th scope="col">Third open slot</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={`${r.appointment_type_id}-${r.provider_id}`}>
                      <td>{r.appointment_type_name}</td>
                      <td>
                        {r.provider_name}
                        {r.specialty && <span className="muted"> · {r.specialty}</span>}
                      </td>
                      <td>{fmtDays(r)}</td>
                      <td>{r.third_at ? fmtDateTime(r.third_at, zone) : `Fewer than 3 open (${r.open_slots})`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {items.length > SHOWN_ROWS && (
            <button type="button" className="btn btn-small" onClick={() => setShowAll(!showAll)} aria-expanded={showAll}>
              {showAll ? `Show the ${SHOWN_ROWS} longest` : `Show all ${items.length.toLocaleString('en-US')}`}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** The mean days per visit type as horizontal bars in a table (long type names stay readable), longest first. */
function TypeBars({ types }: { types: ReturnType<typeof meanByType> }) {
  const max = Math.max(1, ...types.map((t) => t.mean));
  return (
    <table className="table table-dense hbar-table">
      <caption>Mean days to the third next available, by visit type, longest first</caption>
      <thead>
        <tr>
          <th scope="col">Visit type</th>
          <th scope="col">Mean days</th>
          <th scope="col" className="num">
            Providers
          </th>
        </tr>
      </thead>
      <tbody>
        {types.map((t) => (
          <tr key={String(t.id)}>
            <th scope="row">{t.name}</th>
            <td>
              <span className="hbar" aria-hidden="true" style={{ width: `${(t.mean / max) * 100}%` }} />
              <span className="hbar-value">{t.mean.toLocaleString('en-US', { maximumFractionDigits: 1 })}</span>
            </td>
            <td className="num">{t.providers}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
