import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import * as api from '../api';
import type { CommentSource, CommentTrends, PatientComment, Sentiment } from '../api/types';
import { Field } from '../components/Field';
import { LocationSelect } from '../components/LocationSelect';
import { Pager } from '../components/Pager';
import { Empty, ErrorAlert, Notice, PageHeader, Spinner } from '../components/ui';
import {
  PAGE_SIZE,
  SENTIMENT_LABEL,
  SOURCE_LABEL,
  commentFiltersFromParams,
  commentFiltersToParams,
  commentListQuery,
  fmtMonthLabel,
  heatColor,
  themeGrid,
  worstUnits,
  type CommentFilters,
} from '../lib/comments';
import { useAuth } from '../lib/auth';
import { useApi, useTitle } from '../lib/hooks';
import { useReference } from '../lib/reference';
import { fmtDate } from '../lib/time';

export function CommentsPage() {
  useTitle('What patients say');
  const ref = useReference();
  const { can, session } = useAuth();
  // Staff without analytics.read see their own unit's comments only (the server enforces it).
  const allUnits = can('analytics.read');
  const [params, setParams] = useSearchParams();
  const f = commentFiltersFromParams(params);
  const [d, setD] = useState<CommentFilters>(f);
  const [errs, setErrs] = useState<{ from?: string; to?: string }>({});
  const [units, setUnits] = useState<'location' | 'department'>('location');
  const paramKey = params.toString();
  useEffect(() => setD(commentFiltersFromParams(new URLSearchParams(paramKey))), [paramKey]);

  const trends = useApi(
    (signal) =>
      api.getCommentTrends(
        { from: f.from, to: f.to, location_id: f.location || undefined, source: f.source || undefined, interval: 'month', units },
        { signal },
      ),
    [f.from, f.to, f.location, f.source, units],
  );
  const list = useApi((signal) => api.listComments(commentListQuery(f), { signal }), [paramKey]);

  const apply = (next: CommentFilters) => setParams(commentFiltersToParams({ ...next, offset: next.offset ?? 0 }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const x: typeof errs = {};
    if (d.from && d.to && d.to < d.from) x.to = 'The end date is before the start date.';
    setErrs(x);
    if (x.to) {
      document.getElementById('cm-to')?.focus();
      return;
    }
    apply({ ...d, offset: 0 });
  };
  const filterTheme = (theme: string) => apply({ ...f, theme: f.theme === theme ? '' : theme, offset: 0 });

  const t = trends.data;
  const themeOptions = [...new Set([...(t?.model.themes ?? []), ...(t?.themes.map((x) => x.key) ?? []), ...(f.theme ? [f.theme] : [])])]
    .filter(Boolean)
    .sort();
  const apiField = (e: unknown) => (api.isApiError(e) && e.status === 400 ? e.field : undefined);
  const listField = apiField(list.error);
  const fieldMsg = (name: string) => (listField === name && api.isApiError(list.error) ? list.error.message : undefined);
  const me = session?.user;
  const unitName = me?.location_id ? (ref.location(me.location_id)?.name ?? 'your location') : '';
  const unit = unitName ? `${unitName}${me?.department ? `, ${me.department}` : ''}` : '';
  const locName = !allUnits ? unit || 'your unit' : f.location ? (ref.location(f.location)?.name ?? 'the location') : 'all locations';

  return (
    <div className="page page-wide">
      <PageHeader title="What patients say" sub={`${fmtDate(f.from)} – ${fmtDate(f.to)}, ${locName}.`} />
      {!allUnits && unit && <Notice>Comments about your unit: {unit}.</Notice>}
      {t && <ModelStatus model={t.model} />}
      <form className="panel form filters" onSubmit={submit} role="search" aria-label="Comment filters">
        <div className="grid grid-4">
          <Field id="cm-from" label="From" error={errs.from ?? fieldMsg('from')}>
            <input type="date" value={d.from} onChange={(e) => setD({ ...d, from: e.target.value })} />
          </Field>
          <Field id="cm-to" label="To" error={errs.to ?? fieldMsg('to')} hint="Inclusive.">
            <input type="date" value={d.to} onChange={(e) => setD({ ...d, to: e.target.value })} />
          </Field>
          {allUnits && (
            <Field id="cm-location" label="Location" error={fieldMsg('location_id')}>
              <LocationSelect value={d.location} onChange={(id) => setD({ ...d, location: id })} emptyLabel="All locations" />
            </Field>
          )}
          <Field id="cm-source" label="Source" error={fieldMsg('source')}>
            <select value={d.source} onChange={(e) => setD({ ...d, source: e.target.value as CommentSource | '' })}>
              <option value="">Cases and surveys</option>
              <option value="case">{SOURCE_LABEL.case}s</option>
              <option value="survey">Surveys</option>
            </select>
          </Field>
          <Field id="cm-sentiment" label="Sentiment" error={fieldMsg('sentiment')}>
            <select value={d.sentiment} onChange={(e) => setD({ ...d, sentiment: e.target.value as Sentiment | '' })}>
              <option value="">Any</option>
              <option value="negative">Negative</option>
              <option value="neutral">Neutral</option>
              <option value="positive">Positive</option>
            </select>
          </Field>
          <Field id="cm-theme" label="Theme" error={fieldMsg('theme')}>
            <select value={d.theme} onChange={(e) => setD({ ...d, theme: e.target.value })}>
              <option value="">Any theme</option>
              {themeOptions.map((th) => (
                <option key={th} value={th}>
                  {th}
                </option>
              ))}
            </select>
          </Field>
          <Field id="cm-q" label="Words in the comment" error={fieldMsg('q')}>
            <input type="search" value={d.q} maxLength={200} onChange={(e) => setD({ ...d, q: e.target.value })} />
          </Field>
          <div className="field field-end">
            <button type="submit" className="btn btn-primary">
              Show comments
            </button>
          </div>
        </div>
      </form>

      {trends.loading && <Spinner label="Counting themes…" />}
      {!apiField(trends.error) && <ErrorAlert error={trends.error} title="Could not load the themes" onRetry={trends.reload} />}
      {t && !trends.loading && (
        <div className={`comments-top${allUnits ? '' : ' single'}`}>
          <ThemeHeatMap trends={t} current={f.theme} onTheme={filterTheme} />
          {allUnits && <WorstUnits trends={t} units={units} onUnits={setUnits} />}
        </div>
      )}

      <section className="panel" aria-labelledby="cl-h">
        <h2 id="cl-h">Comments</h2>
        {(f.theme || f.sentiment || f.q || f.source) && (
          <div className="active-filters" aria-label="Active filters">
            <span className="muted">Showing:</span>
            {f.theme && (
              <button type="button" className="theme-chip" aria-pressed="true" onClick={() => filterTheme(f.theme)} aria-label={`Theme ${f.theme} — remove this filter`}>
                {f.theme} <span aria-hidden="true">×</span>
              </button>
            )}
            {f.sentiment && <span className={`badge sentiment sentiment-${f.sentiment}`}>{SENTIMENT_LABEL[f.sentiment]}</span>}
            {f.source && <span className="badge status-completed">{SOURCE_LABEL[f.source]}</span>}
            {f.q && <span className="badge status-completed">“{f.q}”</span>}
          </div>
        )}
        {list.loading && <Spinner label="Loading comments…" />}
        {!listField && <ErrorAlert error={list.error} title="Could not load the comments" onRetry={list.reload} />}
        {list.data && !list.loading && (
          <>
            {list.data.items.length === 0 ? (
              <Empty>No comments match these filters.</Empty>
            ) : (
              <ul className="comment-list">
                {list.data.items.map((c) => (
                  <CommentItem key={String(c.id)} c={c} current={f.theme} onTheme={filterTheme} />
                ))}
              </ul>
            )}
            <Pager
              offset={f.offset}
              limit={PAGE_SIZE}
              count={list.data.items.length}
              total={list.data.total}
              onChange={(offset) => apply({ ...f, offset })}
              label="Comment pages"
            />
          </>
        )}
      </section>
    </div>
  );
}

function ModelStatus({ model }: { model: CommentTrends['model'] }) {
  if (!model?.loaded)
    return (
      <Notice kind="warn">
        <strong>Comments are not being classified.</strong> No theme and sentiment model is loaded, so new comments are stored without themes or sentiment
        {model?.error ? ` (${model.error})` : ''}. An administrator can train and reload the model.
      </Notice>
    );
  return (
    <p className="muted small">
      Themes and sentiment are suggested by a statistical model{model.id ? ` (version ${model.id.slice(0, 12)})` : ''}; treat them as a guide, and read the comments.
    </p>
  );
}

function ThemeHeatMap({ trends, current, onTheme }: { trends: CommentTrends; current: string; onTheme: (t: string) => void }) {
  const g = themeGrid(trends);
  return (
    <section className="panel" aria-labelledby="heat-h">
      <h2 id="heat-h">Themes by month</h2>
      {g.rows.length === 0 ? (
        <Empty>No themed comments in this period.</Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table heat">
              <caption className="sr-only">Number of comments mentioning each theme, by month. Choose a theme to list its comments.</caption>
              <thead>
                <tr>
                  <th scope="col">Theme</th>
                  {g.periods.map((p) => (
                    <th key={p} scope="col" className="num">
                      {fmtMonthLabel(p)}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody>
                {g.rows.map((r) => (
                  <tr key={r.theme}>
                    <th scope="row">
                      <button type="button" className="theme-chip" aria-pressed={current === r.theme} onClick={() => onTheme(r.theme)}>
                        {r.theme}
                      </button>
                    </th>
                    {r.counts.map((n, i) => (
                      <td key={g.periods[i]} className="heat-cell" style={{ background: heatColor(n, g.max) }}>
                        {n}
                      </td>
                    ))}
                    <td className="heat-cell heat-total">{r.total}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="heat-legend" aria-hidden="true">
            Fewer <span className="sw" style={{ background: heatColor(0, 1) }} />
            <span className="sw" style={{ background: heatColor(1, 3) }} />
            <span className="sw" style={{ background: heatColor(2, 3) }} />
            <span className="sw" style={{ background: heatColor(3, 3) }} /> More
          </p>
        </>
      )}
    </section>
  );
}

function WorstUnits({ trends, units, onUnits }: { trends: CommentTrends; units: 'location' | 'department'; onUnits: (u: 'location' | 'department') => void }) {
  const rows = worstUnits(trends.units).slice(0, 10);
  return (
    <section className="panel" aria-labelledby="units-h">
      <div className="section-head units-head">
        <h2 id="units-h">Most negative {units === 'department' ? 'departments' : 'locations'}</h2>
        <div className="seg" role="group" aria-label="Group by">
          <button type="button" aria-pressed={units === 'location'} onClick={() => onUnits('location')}>
            Locations
          </button>
          <button type="button" aria-pressed={units === 'department'} onClick={() => onUnits('department')}>
            Departments
          </button>
        </div>
      </div>
      <p className="muted small">Share of classified comments that are negative, highest first.</p>
      {rows.length === 0 ? (
        <Empty>No comments in this period.</Empty>
      ) : (
        <ol className="units-list" aria-label="Units by share of negative comments">
          {rows.map((r) => {
            const pct = r.share === null ? null : Math.round(r.share * 100);
            return (
              <li key={r.unit}>
                <span>
                  <strong>{r.unit}</strong>
                  <span className="block muted small">
                    {r.negative} negative of {r.classified} classified{r.total !== r.classified ? ` (${r.total - r.classified} not classified)` : ''}
                  </span>
                </span>
                <span className="neg-bar" aria-hidden="true">
                  <span style={{ width: `${pct ?? 0}%` }} />
                </span>
                <span className="num">{pct === null ? '—' : `${pct}%`}</span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function CommentItem({ c, current, onTheme }: { c: PatientComment; current: string; onTheme: (t: string) => void }) {
  const s = c.sentiment ?? 'none';
  return (
    <li className="comment">
      <div className="comment-meta">
        <span className="nowrap">{fmtDate(c.date)}</span>
        <span className={`badge sentiment sentiment-${s}`}>{SENTIMENT_LABEL[s as keyof typeof SENTIMENT_LABEL] ?? s}</span>
        <span>{SOURCE_LABEL[c.source] ?? c.source}</span>
        <span>
          {c.location_name || 'No location'}
          {c.department ? ` · ${c.department}` : ''}
        </span>
      </div>
      <p className="comment-text">{c.text}</p>
      {c.themes.length > 0 && (
        <ul className="chip-list" aria-label="Themes">
          {c.themes.map((th) => (
            <li key={th}>
              <button
                type="button"
                className="theme-chip"
                aria-pressed={current === th}
                onClick={() => onTheme(th)}
                title={current === th ? 'Remove this theme filter' : `Show only comments about ${th}`}
              >
                {th}
              </button>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
