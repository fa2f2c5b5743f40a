import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import * as api from '../api';
import type { MetricInterval, MetricResult } from '../api/types';
import { Field } from '../components/Field';
import { MetricProjects } from '../components/improvement/MetricProjects';
import { AccessPanel, THIRD_NEXT_AVAILABLE } from '../components/metrics/AccessPanel';
import { AlertList } from '../components/metrics/AlertList';
import { MetricRecords } from '../components/metrics/MetricRecords';
import { SpcChartView } from '../components/metrics/SpcChartView';
import { Sparkline } from '../components/metrics/Sparkline';
import { VariationIcon } from '../components/metrics/VariationIcon';
import { Empty, ErrorAlert, PageHeader, Spinner } from '../components/ui';
import { saveBlob } from '../lib/download';
import { useApi, useTitle } from '../lib/hooks';
import { useReference } from '../lib/reference';
import { INTERVAL_LABEL, defaultMetricsRange, fmtValue, latestValue } from '../lib/spc';
import { fmtDate } from '../lib/time';

const INTERVALS: MetricInterval[] = ['week', 'month', 'day'];
export const GROUP_ORDER = ['Access', 'Flow', 'Relations', 'Experience'];

/** Metrics grouped by `group`, known groups first (Access, Flow, Relations), others after in order of appearance. */
export function groupMetrics(metrics: MetricResult[]): { group: string; metrics: MetricResult[] }[] {
  const groups: string[] = [];
  for (const m of metrics) if (!groups.includes(m.group || 'Other')) groups.push(m.group || 'Other');
  groups.sort((a, b) => {
    const ia = GROUP_ORDER.indexOf(a);
    const ib = GROUP_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  return groups.map((g) => ({ group: g, metrics: metrics.filter((m) => (m.group || 'Other') === g) }));
}

export interface MetricsFilters {
  location: string;
  department: string;
  interval: MetricInterval;
  from: string;
  to: string;
}

export function filtersFromParams(p: URLSearchParams, today?: string): MetricsFilters {
  const def = defaultMetricsRange(today);
  const iv = p.get('interval') as MetricInterval | null;
  return {
    location: p.get('location') ?? '',
    department: p.get('department') ?? '',
    interval: iv && INTERVALS.includes(iv) ? iv : 'week',
    from: p.get('from') || def.from,
    to: p.get('to') || def.to,
  };
}

export function MetricsPage() {
  const { key } = useParams<{ key?: string }>();
  const ref = useReference();
  const [params, setParams] = useSearchParams();
  const q = filtersFromParams(params);
  const [d, setD] = useState(q);
  const [errs, setErrs] = useState<{ from?: string; to?: string }>({});
  // The filters, without the drill-down choice (`point`): changing the point keeps the draft filters and links.
  const filterParams = new URLSearchParams(params);
  filterParams.delete('point');
  const paramKey = filterParams.toString();
  const point = params.get('point') ?? '';
  useEffect(() => setD(filtersFromParams(new URLSearchParams(paramKey))), [paramKey]);
  const res = useApi(
    (signal) =>
      api.getMetricsDashboard(
        { interval: q.interval, from: q.from, to: q.to, location_id: q.location || undefined, department: q.department || undefined },
        { signal },
      ),
    [q.interval, q.from, q.to, q.location, q.department],
  );
  const dash = res.data;
  const selected = key ? dash?.metrics.find((m) => m.key === key) : undefined;
  useTitle(selected ? `${selected.name} · Metrics` : 'Service metrics');
  const detailRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (selected) detailRef.current?.focus();
  }, [selected?.key]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const x: typeof errs = {};
    if (!d.from) x.from = 'Choose the first day.';
    if (!d.to) x.to = 'Choose the last day.';
    else if (d.from && d.to < d.from) x.to = 'The end date is before the start date.';
    setErrs(x);
    if (x.from || x.to) {
      document.getElementById(x.from ? 'mx-from' : 'mx-to')?.focus();
      return;
    }
    const next: Record<string, string> = { interval: d.interval, from: d.from, to: d.to };
    if (d.location) next.location = d.location;
    if (d.department) next.department = d.department;
    setParams(next);
  };

  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | undefined>();
  const exportWorkbook = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      const blob = await api.getMetricsWorkbook({
        interval: q.interval,
        from: q.from,
        to: q.to,
        location_id: q.location || undefined,
        department: q.department || undefined,
      });
      saveBlob(blob, `caredesk-metrics-${dash?.from ?? q.from}-to-${dash?.to ?? q.to}.xlsx`);
    } catch (e) {
      setExportError(api.isApiError(e) ? e.message : 'Could not export the workbook.');
    } finally {
      setExporting(false);
    }
  };
  const search = paramKey ? `?${paramKey}` : '';
  const apiField = api.isApiError(res.error) && res.error.status === 400 ? res.error.field : undefined;
  const fieldMsg = (f: string) => (apiField === f && api.isApiError(res.error) ? res.error.message : undefined);
  const locName =
    (q.location ? (ref.location(q.location)?.name ?? 'the location') : 'all locations') + (q.department ? `, ${q.department}` : '');
  const departments = [...new Set(ref.providers.map((p) => p.specialty ?? '').filter(Boolean))].sort();
  const from = dash?.from ?? q.from;
  const to = dash?.to ?? q.to;

  // Drill-down from a point to its records: only at one location (the all-locations chart has too many to list).
  const spcRef = useRef<HTMLElement>(null);
  const opener = useRef<HTMLElement | SVGElement | null>(null);
  const openPoint = point && selected && q.location && selected.series.some((s) => s.start === point) ? point : '';
  const choosePoint = (start: string, el: HTMLElement | SVGElement) => {
    opener.current = el;
    const next = new URLSearchParams(params);
    next.set('point', start);
    setParams(next);
  };
  const closePoint = () => {
    const start = openPoint;
    const next = new URLSearchParams(params);
    next.delete('point');
    setParams(next);
    // Back to the point (or the table button) that opened the records; else the chart's point; else the chart heading.
    const candidates = [
      opener.current?.isConnected && [opener.current.getAttribute('data-point'), opener.current.getAttribute('data-point-row')].includes(start) ? opener.current : null,
      spcRef.current?.querySelector<SVGElement>(`[data-point="${start}"]`) ?? null,
      detailRef.current,
    ];
    opener.current = null;
    for (const el of candidates) {
      el?.focus();
      if (el && document.activeElement === el) break;
    }
  };

  return (
    <div className="page page-wide">
      <PageHeader title="Service metrics" sub={`${INTERVAL_LABEL[q.interval]}, ${fmtDate(from)} – ${fmtDate(to)}, ${locName}.`} />
      <form className="panel form filters" onSubmit={submit} role="search" aria-label="Metrics filters">
        <div className="grid grid-6">
          <Field id="mx-location" label="Location" error={fieldMsg('location_id')}>
            <select value={d.location} onChange={(e) => setD({ ...d, location: e.target.value })}>
              <option value="">All locations</option>
              {ref.locations.map((l) => (
                <option key={String(l.id)} value={String(l.id)}>
                  {l.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="mx-department" label="Department" error={fieldMsg('department')} hint="A specialty; cases and surveys by their department.">
            <select value={d.department} onChange={(e) => setD({ ...d, department: e.target.value })}>
              <option value="">All departments</option>
              {d.department && !departments.includes(d.department) && <option value={d.department}>{d.department}</option>}
              {departments.map((dep) => (
                <option key={dep} value={dep}>
                  {dep}
                </option>
              ))}
            </select>
          </Field>
          <Field id="mx-interval" label="Interval" error={fieldMsg('interval')}>
            <select value={d.interval} onChange={(e) => setD({ ...d, interval: e.target.value as MetricInterval })}>
              {INTERVALS.map((i) => (
                <option key={i} value={i}>
                  {INTERVAL_LABEL[i]}
                </option>
              ))}
            </select>
          </Field>
          <Field id="mx-from" label="From" required error={errs.from ?? fieldMsg('from')}>
            <input type="date" value={d.from} onChange={(e) => setD({ ...d, from: e.target.value })} />
          </Field>
          <Field id="mx-to" label="To" required error={errs.to ?? fieldMsg('to')} hint="Inclusive; at most 3 years.">
            <input type="date" value={d.to} onChange={(e) => setD({ ...d, to: e.target.value })} />
          </Field>
          <div className="field field-end">
            <button type="submit" className="btn btn-primary">
              Show metrics
            </button>
          </div>
        </div>
      </form>

      {dash && !res.loading && (
        <div className="toolbar-end">
          <button type="button" className="btn btn-small" onClick={exportWorkbook} disabled={exporting} aria-busy={exporting}>
            {exporting ? 'Preparing the workbook…' : 'Export all metrics (XLSX)'}
          </button>
          {exportError && (
            <span role="alert" className="field-error">
              {exportError}
            </span>
          )}
        </div>
      )}
      <OpenAlerts location={q.location} />
      {res.loading && <Spinner label="Calculating the metrics…" />}
      {!apiField && <ErrorAlert error={res.error} title="Could not load the metrics" onRetry={res.reload} />}
      {dash && !res.loading && (
        <>
          {dash.metrics.length === 0 && <Empty>No metrics are defined.</Empty>}
          {groupMetrics(dash.metrics).map((g) => (
            <section key={g.group} className="metric-group" aria-labelledby={`mg-${g.group}`}>
              <h2 id={`mg-${g.group}`} className="subhead">
                {g.group}
              </h2>
              <ul className="metric-tiles">
                {g.metrics.map((m) => (
                  <li key={m.key}>
                    <MetricTile metric={m} to={`/dashboard/${encodeURIComponent(m.key)}${search}`} current={m.key === key} />
                  </li>
                ))}
              </ul>
            </section>
          ))}
          {key && !selected && (
            <div className="panel">
              <Empty>There is no metric “{key}” on this dashboard.</Empty>
            </div>
          )}
          {selected && (
            <section className="panel spc-panel" aria-labelledby="spc-h" ref={spcRef}>
              <div className="section-head">
                <h2 id="spc-h" tabIndex={-1} ref={detailRef}>
                  {selected.name}
                </h2>
                <Link to={`/dashboard${search}`} className="btn btn-small">
                  Close chart
                </Link>
              </div>
              <SpcChartView
                metric={selected}
                interval={dash.interval ?? q.interval}
                from={from}
                to={to}
                onPoint={q.location ? choosePoint : undefined}
                selectedPoint={openPoint || undefined}
                pointHint="Choose a location to see the records behind a point."
              />
              {openPoint && (
                <MetricRecords
                  key={`${selected.key}|${q.location}|${openPoint}`}
                  metric={selected}
                  locationId={q.location}
                  department={q.department}
                  interval={dash.interval ?? q.interval}
                  start={openPoint}
                  zone={ref.location(q.location)?.time_zone}
                  onClose={closePoint}
                />
              )}
              {selected.key === THIRD_NEXT_AVAILABLE && (
                <AccessPanel
                  locationId={q.location}
                  department={q.department}
                  interval={dash.interval ?? q.interval}
                  from={from}
                  to={to}
                />
              )}
              <MetricProjects metricKey={selected.key} metricName={selected.name} projects={selected.projects} locationId={q.location} />
            </section>
          )}
        </>
      )}
    </div>
  );
}

/** The open alerts at the chosen location (every location's without one): the three newest, and a link to all. */
function OpenAlerts({ location }: { location: string }) {
  const res = useApi((signal) => api.listMetricAlerts({ status: 'open', location_id: location || undefined, limit: 3 }, { signal }), [location]);
  const total = res.data?.total ?? 0;
  if (!res.data || total === 0) return null;
  const all = `/alerts${location ? `?location_id=${encodeURIComponent(location)}` : ''}`;
  return (
    <section className="panel alerts-panel" aria-labelledby="mx-alerts-h">
      <div className="section-head">
        <h2 id="mx-alerts-h">
          {total} open alert{total === 1 ? '' : 's'}: new special causes
        </h2>
        <Link to={all} className="btn btn-small">
          All alerts and alert emails
        </Link>
      </div>
      <AlertList alerts={res.data.items} onChanged={() => res.reload()} compact />
    </section>
  );
}

function MetricTile({ metric: m, to, current }: { metric: MetricResult; to: string; current: boolean }) {
  const values = m.series.map((s) => s.value);
  const lastPoint = m.chart?.points.length ? m.chart.points[m.chart.points.length - 1] : undefined;
  return (
    <Link to={to} className={`metric-tile${current ? ' is-current' : ''}`} aria-current={current ? 'true' : undefined}>
      <span className="metric-name">{m.name}</span>
      <span className="metric-row">
        <span className="metric-value">{fmtValue(latestValue(m), m.unit)}</span>
        <Sparkline values={values} cl={lastPoint?.cl} />
      </span>
      <VariationIcon variation={m.variation} improvement={m.improvement} size={28} />
      {!m.chart && <span className="tile-sub">Too little data for limits</span>}
    </Link>
  );
}
