import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import * as api from '../api';
import type { Appointment } from '../api/types';
import { AppointmentPanel } from '../components/AppointmentPanel';
import { ErrorAlert, Icon, PageHeader, Spinner } from '../components/ui';
import { hourRange, layoutColumn } from '../lib/calendar';
import { useAuth } from '../lib/auth';
import { STATUS_LABEL, statusLabel } from '../lib/format';
import { useApi, useNow, useTitle } from '../lib/hooks';
import { rememberLocation, rememberedLocation, sameId, useReference, useRooms } from '../lib/reference';
import { addDays, dateOf, dayRange, fmtDayHeading, fmtDayShort, fmtTime, minuteOfDay, todayIn, weekStart } from '../lib/time';

const PX_PER_MIN = 1.6;
const NO_ROOM = '__none__';

interface Column {
  key: string;
  title: string;
  sub?: string;
  date: string;
  filter: (a: Appointment) => boolean;
}

export function SchedulePage() {
  useTitle('Schedule');
  const { can } = useAuth();
  const ref = useReference();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'week' ? 'week' : 'day';
  const mode = params.get('mode') === 'room' ? 'room' : 'provider';
  const locationId = params.get('location') ?? '';
  const location = ref.location(locationId);
  const zone = location?.time_zone;
  const date = params.get('date') ?? todayIn(zone);
  const idsParam = params.get('ids');
  const showCancelled = params.get('cancelled') === '1';
  const [selected, setSelected] = useState<Appointment | null>(null);
  const panelRef = useRef<HTMLElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const scrolledFor = useRef('');

  const update = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  // Pick a location on first visit: remembered one, else the first.
  useEffect(() => {
    if (locationId || ref.locations.length === 0) return;
    const remembered = rememberedLocation();
    const loc = ref.locations.find((l) => sameId(l.id, remembered)) ?? ref.locations[0];
    update({ location: String(loc.id) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ref.locations, locationId]);

  const { rooms } = useRooms(locationId || null);
  const providersHere = useMemo(
    () => ref.providers.filter((p) => p.location_ids?.some((l) => sameId(l, locationId))),
    [ref.providers, locationId],
  );
  const resources = useMemo(
    () =>
      mode === 'provider'
        ? providersHere.filter((p) => p.active !== false).map((p) => ({ id: String(p.id), name: p.name, sub: p.specialty ?? '' }))
        : [
            ...rooms.filter((r) => r.active !== false).map((r) => ({ id: String(r.id), name: r.name, sub: '' })),
            { id: NO_ROOM, name: 'No room', sub: 'not assigned' },
          ],
    [mode, providersHere, rooms],
  );
  const selectedIds = useMemo(() => {
    if (!idsParam) return resources.map((r) => r.id);
    const set = new Set(idsParam.split(','));
    return resources.filter((r) => set.has(r.id)).map((r) => r.id);
  }, [idsParam, resources]);

  const days = view === 'week' ? 7 : 1;
  const startDate = view === 'week' ? weekStart(date) : date;
  const range = dayRange(startDate, zone, days);
  const appts = useApi(
    (signal) => api.listAppointments({ from: range.from, to: range.to, location: locationId }, { signal }),
    [range.from, range.to, locationId],
    !!locationId && !!location,
  );
  // Keep the calendar fresh while it is open.
  useEffect(() => {
    if (!locationId) return;
    const t = setInterval(() => appts.reload(), 60_000);
    return () => clearInterval(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [locationId]);

  const resourceOf = (a: Appointment) => (mode === 'provider' ? String(a.provider_id) : a.room_id == null ? NO_ROOM : String(a.room_id));
  const visible = (appts.data?.items ?? []).filter(
    (a) => (showCancelled || a.status !== 'cancelled') && selectedIds.includes(resourceOf(a)),
  );

  const columns: Column[] = useMemo(() => {
    if (view === 'day')
      return resources
        .filter((r) => selectedIds.includes(r.id))
        .filter((r) => r.id !== NO_ROOM || (appts.data?.items ?? []).some((a) => a.room_id == null && (showCancelled || a.status !== 'cancelled')))
        .map((r) => ({ key: r.id, title: r.name, sub: r.sub, date, filter: (a: Appointment) => resourceOf(a) === r.id }));
    return Array.from({ length: 7 }, (_, i) => {
      const d = addDays(startDate, i);
      return { key: d, title: fmtDayShort(d), date: d, filter: (a: Appointment) => dateOf(a.start, zone) === d };
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view, resources, selectedIds, date, startDate, zone, mode, appts.data, showCancelled]);

  const [h0, h1] = hourRange(visible, zone);
  const hours = Array.from({ length: h1 - h0 }, (_, i) => h0 + i);
  const height = (h1 - h0) * 60 * PX_PER_MIN;
  const now = useNow(60_000);
  const today = todayIn(zone);
  const nowIso = new Date(now).toISOString();
  const nowMin = minuteOfDay(nowIso, zone);

  // Once per day/week shown: scroll the grid to the current time (today) or the first appointment.
  useEffect(() => {
    const key = `${locationId}|${view}|${startDate}`;
    if (!appts.data || !scrollRef.current || scrolledFor.current === key) return;
    scrolledFor.current = key;
    const starts = visible.map((a) => minuteOfDay(a.start, zone));
    const target = columns.some((c) => c.date === today) ? nowMin : starts.length ? Math.min(...starts) : 8 * 60;
    scrollRef.current.scrollTop = Math.max(0, (target - h0 * 60 - 45) * PX_PER_MIN);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [appts.data, locationId, view, startDate]);

  const step = (n: number) => update({ date: addDays(date, n * days) });
  const typeColor = (a: Appointment) => ref.type(a.appointment_type_id)?.color || undefined;

  useEffect(() => {
    if (selected) panelRef.current?.focus();
  }, [selected?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const title =
    view === 'day'
      ? fmtDayHeading(date)
      : `Week of ${fmtDayShort(startDate)} – ${fmtDayShort(addDays(startDate, 6))}`;

  const toggleResource = (id: string, on: boolean) => {
    const set = new Set(selectedIds);
    if (on) set.add(id);
    else set.delete(id);
    const all = resources.every((r) => set.has(r.id));
    update({ ids: all ? null : Array.from(set).join(',') || 'none' });
  };

  return (
    <div className="page page-wide">
      <PageHeader title="Schedule" sub={location ? `${location.name} · times in ${location.time_zone}` : undefined}>
        {can('appointment.write') && (
          <Link className="btn btn-primary" to={`/schedule/book${locationId ? `?location=${encodeURIComponent(locationId)}` : ''}`}>
            <Icon name="plus" /> Book appointment
          </Link>
        )}
      </PageHeader>

      <div className="toolbar" role="toolbar" aria-label="Calendar controls">
        <div className="field inline">
          <label htmlFor="cal-location">Location</label>
          <select
            id="cal-location"
            value={locationId}
            onChange={(e) => {
              rememberLocation(e.target.value);
              update({ location: e.target.value, ids: null });
              setSelected(null);
            }}
          >
            {!locationId && <option value="">Choose…</option>}
            {ref.locations.map((l) => (
              <option key={String(l.id)} value={String(l.id)}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div className="seg" role="group" aria-label="Calendar view">
          <button type="button" aria-pressed={view === 'day'} onClick={() => update({ view: 'day' })}>
            Day
          </button>
          <button type="button" aria-pressed={view === 'week'} onClick={() => update({ view: 'week' })}>
            Week
          </button>
        </div>
        <div className="seg" role="group" aria-label="Show calendars">
          <button type="button" aria-pressed={mode === 'provider'} onClick={() => update({ mode: 'provider', ids: null })}>
            By provider
          </button>
          <button type="button" aria-pressed={mode === 'room'} onClick={() => update({ mode: 'room', ids: null })}>
            By room
          </button>
        </div>
        <div className="datenav" role="group" aria-label="Date">
          <button type="button" className="btn-icon bordered" onClick={() => step(-1)} aria-label={view === 'day' ? 'Previous day' : 'Previous week'}>
            <Icon name="chev-left" />
          </button>
          <button type="button" className="btn btn-small" onClick={() => update({ date: todayIn(zone) })}>
            Today
          </button>
          <button type="button" className="btn-icon bordered" onClick={() => step(1)} aria-label={view === 'day' ? 'Next day' : 'Next week'}>
            <Icon name="chev-right" />
          </button>
          <label htmlFor="cal-date" className="sr-only">
            Date
          </label>
          <input id="cal-date" type="date" value={date} onChange={(e) => e.target.value && update({ date: e.target.value })} />
        </div>
        <div className="check">
          <input id="cal-cancelled" type="checkbox" checked={showCancelled} onChange={(e) => update({ cancelled: e.target.checked ? '1' : null })} />
          <label htmlFor="cal-cancelled">Show cancelled</label>
        </div>
      </div>

      <div className="cal-layout">
        <fieldset className="resource-picker">
          <legend>{mode === 'provider' ? 'Providers' : 'Rooms'}</legend>
          {resources.length === 0 && <p className="muted small">{mode === 'provider' ? 'No providers at this location.' : 'No rooms at this location.'}</p>}
          {resources.length > 1 && (
            <div className="rp-all">
              <button type="button" className="btn btn-link" onClick={() => update({ ids: null })}>
                All
              </button>
              <button type="button" className="btn btn-link" onClick={() => update({ ids: 'none' })}>
                None
              </button>
            </div>
          )}
          {resources.map((r) => (
            <div className="check" key={r.id}>
              <input id={`rp-${r.id}`} type="checkbox" checked={selectedIds.includes(r.id)} onChange={(e) => toggleResource(r.id, e.target.checked)} />
              <label htmlFor={`rp-${r.id}`} title={r.sub || undefined}>
                {r.name}
              </label>
            </div>
          ))}
          <div className="legend" aria-label="Status colours">
            <h3 className="small">Status</h3>
            {(Object.keys(STATUS_LABEL) as (keyof typeof STATUS_LABEL)[]).map((s) => (
              <div key={s} className="legend-item">
                <span className={`swatch ev-${s}`} aria-hidden="true" /> {STATUS_LABEL[s]}
              </div>
            ))}
          </div>
        </fieldset>

        <section className="cal-main" aria-labelledby="cal-title">
          <div className="cal-title-row">
            <h2 id="cal-title">{title}</h2>
            {appts.loading && <Spinner inline label="Loading appointments…" />}
            {appts.data && !appts.loading && (
              <span className="muted small" aria-live="polite">
                {visible.length} appointment{visible.length === 1 ? '' : 's'}
              </span>
            )}
          </div>
          <ErrorAlert error={appts.error} title="Could not load appointments" onRetry={appts.reload} />
          {ref.loading && <Spinner label="Loading locations…" />}
          {!ref.loading && ref.locations.length === 0 && <p className="empty">No locations are set up yet. An administrator adds them under Admin.</p>}
          {columns.length === 0 && location && <p className="empty">Choose at least one {mode === 'provider' ? 'provider' : 'room'}.</p>}
          {columns.length > 0 && location && (
            <div className="cal-scroll" ref={scrollRef}>
              <div className="cal" style={{ ['--cols' as string]: columns.length }}>
                <div className="cal-head" aria-hidden="true">
                  <div className="cal-gutter-head" />
                  {columns.map((c) => (
                    <div key={c.key} className={`cal-col-head${c.date === today && view === 'week' ? ' is-today' : ''}`}>
                      <div className="cch-title">{c.title}</div>
                      {c.sub && <div className="cch-sub">{c.sub}</div>}
                    </div>
                  ))}
                </div>
                <div className="cal-body" style={{ height }}>
                  <div className="cal-gutter" aria-hidden="true">
                    {hours.map((h) => (
                      <div key={h} className="cal-hour-label" style={{ top: (h - h0) * 60 * PX_PER_MIN }}>
                        {fmtTime(`${date}T${String(h).padStart(2, '0')}:00:00`)}
                      </div>
                    ))}
                  </div>
                  {columns.map((c) => {
                    const colAppts = visible.filter(c.filter);
                    const placed = layoutColumn(colAppts, zone);
                    return (
                      <div key={c.key} className="cal-col" role="list" aria-label={`${c.title}${view === 'day' ? '' : ''}: ${colAppts.length} appointments`}>
                        {hours.map((h) => (
                          <div key={h} className="cal-hour-line" style={{ top: (h - h0) * 60 * PX_PER_MIN }} aria-hidden="true" />
                        ))}
                        {c.date === today && nowMin >= h0 * 60 && nowMin <= h1 * 60 && (
                          <div className="cal-now" style={{ top: (nowMin - h0 * 60) * PX_PER_MIN }} aria-hidden="true" />
                        )}
                        {placed.map((e) => {
                          const a = e.appt;
                          const top = (e.startMin - h0 * 60) * PX_PER_MIN;
                          const h = Math.max(18, (e.endMin - e.startMin) * PX_PER_MIN - 2);
                          const color = typeColor(a);
                          const resName =
                            view === 'week'
                              ? mode === 'provider'
                                ? a.provider_name
                                : resources.find((r) => r.id === resourceOf(a))?.name
                              : undefined;
                          return (
                            <div role="listitem" key={String(a.id)}>
                              <button
                                type="button"
                                className={`ev ev-${a.status}${selected && sameId(selected.id, a.id) ? ' ev-selected' : ''}${h < 30 ? ' ev-short' : h < 46 ? ' ev-medium' : ''}`}
                                style={{
                                  top,
                                  height: h,
                                  left: `calc(${(e.lane / e.lanes) * 100}% + 2px)`,
                                  width: `calc(${100 / e.lanes}% - 4px)`,
                                  borderLeftColor: color,
                                }}
                                aria-label={`${fmtTime(a.start, zone)} to ${fmtTime(a.end, zone)}, ${a.patient_name}, ${a.appointment_type_name}, ${
                                  a.provider_name
                                }, ${statusLabel(a.status)}${a.modality === 'telehealth' ? ', telehealth' : ''}`}
                                onClick={() => setSelected(a)}
                              >
                                <span className="ev-line">
                                  <span className="ev-time">
                                    {fmtTime(a.start, zone)}
                                    {a.modality === 'telehealth' && <Icon name="video" />}
                                  </span>
                                  <span className="ev-name">{a.patient_name}</span>
                                </span>
                                <span className="ev-type">
                                  {a.appointment_type_name}
                                  {resName ? ` · ${resName}` : ''}
                                </span>
                                <span className="ev-status">{statusLabel(a.status)}</span>
                              </button>
                            </div>
                          );
                        })}
                      </div>
                    );
                  })}
                </div>
              </div>
            </div>
          )}
        </section>

        {selected && (
          <aside className="side-panel" aria-label="Appointment details" tabIndex={-1} ref={panelRef} onKeyDown={(e) => e.key === 'Escape' && setSelected(null)}>
            <div className="side-panel-head">
              <span className="muted small">Appointment</span>
              <button type="button" className="btn-icon" aria-label="Close appointment details" onClick={() => setSelected(null)}>
                <Icon name="close" />
              </button>
            </div>
            <AppointmentPanel
              appointment={selected}
              onChanged={(a) => {
                setSelected(a);
                appts.reload();
              }}
            />
          </aside>
        )}
      </div>
    </div>
  );
}
