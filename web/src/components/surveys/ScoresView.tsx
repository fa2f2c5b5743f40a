import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import * as api from '../../api';
import type { SurveyGroupBy, SurveyItemScore, SurveyScoreGroup, SurveyScores, SurveyVersion } from '../../api/types';
import { BarChart } from '../BarChart';
import { Field } from '../Field';
import { Empty, ErrorAlert, Spinner } from '../ui';
import { useApi } from '../../lib/hooks';
import { useReference } from '../../lib/reference';
import { GROUP_BYS, GROUP_BY_LABEL, fmtCount, fmtMean, fmtNps, fmtRate, fmtShare, npsShares } from '../../lib/surveys';
import { fmtDate } from '../../lib/time';
import { StackedBar } from './StackedBar';

export interface ScoreFilters {
  version: string;
  from: string;
  to: string;
  location: string;
  group: SurveyGroupBy | '';
}
export function scoreFiltersFromParams(p: URLSearchParams): ScoreFilters {
  const g = p.get('group') ?? '';
  return {
    version: p.get('version') ?? '',
    from: p.get('from') ?? '',
    to: p.get('to') ?? '',
    location: p.get('location') ?? '',
    group: (GROUP_BYS as string[]).includes(g) ? (g as SurveyGroupBy) : '',
  };
}

/** The Scores tab: filters, overall box scores per measure and question, NPS, and top-box per group. */
export function ScoresView({ survey }: { survey: SurveyVersion }) {
  const ref = useReference();
  const [params, setParams] = useSearchParams();
  const f = scoreFiltersFromParams(params);
  const [d, setD] = useState<ScoreFilters>(f);
  const [errs, setErrs] = useState<{ from?: string; to?: string }>({});
  const key = `${f.version}|${f.from}|${f.to}|${f.location}|${f.group}`;
  useEffect(() => setD(scoreFiltersFromParams(params)), [key]); // eslint-disable-line react-hooks/exhaustive-deps
  const res = useApi(
    (signal) =>
      api.getSurveyScores(
        survey.id,
        { version: f.version ? Number(f.version) : undefined, from: f.from || undefined, to: f.to || undefined, location_id: f.location || undefined, group_by: f.group || undefined },
        { signal },
      ),
    [survey.id, key],
  );
  const versions = survey.versions?.length ? [...survey.versions].sort((a, b) => b - a) : [survey.version];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const x: typeof errs = {};
    if (d.from && d.to && d.to < d.from) x.to = 'The end date is before the start date.';
    setErrs(x);
    if (x.to) {
      document.getElementById('sc-to')?.focus();
      return;
    }
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(d)) {
      if (v) next.set(k, String(v));
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };

  const apiField = api.isApiError(res.error) && res.error.status === 400 ? res.error.field : undefined;
  const fieldMsg = (name: string) => (apiField === name && api.isApiError(res.error) ? res.error.message : undefined);
  const onForm = ['version', 'from', 'to', 'location_id', 'group_by'].includes(apiField ?? '');
  const s = res.data;

  return (
    <div className="scores">
      <form className="panel form filters" onSubmit={submit} role="search" aria-label="Score filters">
        <div className="grid grid-6">
          <Field id="sc-version" label="Version" error={fieldMsg('version')}>
            <select value={d.version} onChange={(e) => setD({ ...d, version: e.target.value })}>
              <option value="">Latest ({versions[0]})</option>
              {versions.map((v) => (
                <option key={v} value={String(v)}>
                  Version {v}
                </option>
              ))}
            </select>
          </Field>
          <Field id="sc-from" label="From" error={errs.from ?? fieldMsg('from')} hint="Visit date. Default: 90 days ago.">
            <input type="date" value={d.from} onChange={(e) => setD({ ...d, from: e.target.value })} />
          </Field>
          <Field id="sc-to" label="To" error={errs.to ?? fieldMsg('to')} hint="Inclusive. Default: today.">
            <input type="date" value={d.to} onChange={(e) => setD({ ...d, to: e.target.value })} />
          </Field>
          <Field id="sc-location" label="Location" error={fieldMsg('location_id')}>
            <select value={d.location} onChange={(e) => setD({ ...d, location: e.target.value })}>
              <option value="">All locations</option>
              {ref.locations.map((l) => (
                <option key={String(l.id)} value={String(l.id)}>
                  {l.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="sc-group" label="Group by" error={fieldMsg('group_by')}>
            <select value={d.group} onChange={(e) => setD({ ...d, group: e.target.value as SurveyGroupBy | '' })}>
              <option value="">No grouping</option>
              {GROUP_BYS.map((g) => (
                <option key={g} value={g}>
                  {GROUP_BY_LABEL[g]}
                </option>
              ))}
            </select>
          </Field>
          <div className="field field-end">
            <button type="submit" className="btn btn-primary">
              Show scores
            </button>
          </div>
        </div>
      </form>

      {res.loading && <Spinner label="Calculating the scores…" />}
      {!onForm && <ErrorAlert error={res.error} title="Could not load the scores" onRetry={res.reload} />}
      {s && !res.loading && <ScoresResult scores={s} survey={survey} locationName={f.location ? (ref.location(f.location)?.name ?? 'the location') : 'all locations'} />}
    </div>
  );
}

function ScoresResult({ scores: s, survey, locationName }: { scores: SurveyScores; survey: SurveyVersion; locationName: string }) {
  const o = s.overall;
  const textOf = (id: string) => o.items.find((i) => i.item_id === id)?.text ?? survey.items.find((i) => i.id === id)?.text ?? id;
  const scored = o.items.filter((i) => i.kind !== 'free_text');
  const freeText = o.items.filter((i) => i.kind === 'free_text');
  const measureIds = new Set(o.measures.map((m) => m.measure_id));
  const loose = scored.filter((i) => !i.measure_id || !measureIds.has(i.measure_id));

  return (
    <section aria-labelledby="sc-result-h">
      <h2 id="sc-result-h" className="sr-only">
        Scores
      </h2>
      <p className="muted">
        Version {s.version} · visits {fmtDate(s.from)} – {fmtDate(s.to)} · {locationName}.
      </p>
      <ul className="tiles" aria-label="Summary">
        <li className="tile">
          <span className="tile-label">Responses</span>
          <span className="tile-value">{fmtCount(s.responses)}</span>
        </li>
        <li className="tile">
          <span className="tile-label">Invitations</span>
          <span className="tile-value">{fmtCount(s.invitations)}</span>
        </li>
        <li className="tile">
          <span className="tile-label">Response rate</span>
          <span className="tile-value">{fmtRate(s.response_rate)}</span>
          {s.response_rate === null && <span className="tile-sub">No invitations in this period</span>}
        </li>
      </ul>

      {s.responses === 0 ? (
        <Empty>No responses in this period.</Empty>
      ) : (
        <>
          <section className="panel" aria-labelledby="sc-box-h">
            <h3 id="sc-box-h">Measures and questions</h3>
            <p className="muted small">
              Share of answers in the top, middle and bottom box (percent); a measure is the plain mean of its questions. Linear mean on a 0–100 scale.
            </p>
            {scored.length === 0 && o.measures.length === 0 ? (
              <Empty>No scored questions.</Empty>
            ) : (
              <div className="table-wrap">
                <table className="table table-dense box-table">
                  <caption className="sr-only">Top, middle and bottom box share and linear mean for each measure and question</caption>
                  <thead>
                    <tr>
                      <th scope="col">Measure or question</th>
                      <th scope="col" className="num">
                        Answered
                      </th>
                      <th scope="col" className="num">
                        Top box
                      </th>
                      <th scope="col" className="num">
                        Middle box
                      </th>
                      <th scope="col" className="num">
                        Bottom box
                      </th>
                      <th scope="col">
                        <span className="sr-only">Distribution (chart)</span>
                        <span aria-hidden="true">Distribution</span>
                      </th>
                      <th scope="col" className="num">
                        Linear mean
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {o.measures.map((m) => (
                      <MeasureRows key={m.measure_id} measure={m} items={scored.filter((i) => i.measure_id === m.measure_id)} />
                    ))}
                    {loose.map((i) => (
                      <ItemRow key={i.item_id} item={i} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {freeText.length > 0 && (
              <p className="small">
                Free-text questions:{' '}
                {freeText.map((i, k) => (
                  <span key={i.item_id}>
                    {k > 0 && '; '}“{i.text}” ({fmtCount(i.answered)} answered)
                  </span>
                ))}
                . <Link to="/comments?source=survey">Read the comments</Link>
              </p>
            )}
          </section>

          {o.nps.length > 0 && (
            <section className="panel" aria-labelledby="sc-nps-h">
              <h3 id="sc-nps-h">Net Promoter Score</h3>
              <p className="muted small">Promoters answer 9–10, passives 7–8, detractors 0–6. The score is the share of promoters minus the share of detractors.</p>
              <div className="table-wrap">
                <table className="table table-dense">
                  <caption className="sr-only">Net Promoter Score for each question</caption>
                  <thead>
                    <tr>
                      <th scope="col">Question</th>
                      <th scope="col" className="num">
                        Promoters
                      </th>
                      <th scope="col" className="num">
                        Passives
                      </th>
                      <th scope="col" className="num">
                        Detractors
                      </th>
                      <th scope="col">
                        <span aria-hidden="true">Distribution</span>
                        <span className="sr-only">Distribution (chart)</span>
                      </th>
                      <th scope="col" className="num">
                        NPS
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {o.nps.map((n) => {
                      const sh = npsShares(n);
                      return (
                        <tr key={n.item_id}>
                          <th scope="row">{textOf(n.item_id)}</th>
                          <td className="num">{fmtShare(sh.promoters)}</td>
                          <td className="num">{fmtShare(sh.passives)}</td>
                          <td className="num">{fmtShare(sh.detractors)}</td>
                          <td>
                            <StackedBar tone="nps" top={sh.promoters} middle={sh.passives} bottom={sh.detractors} labels={['Promoters', 'Passives', 'Detractors']} />
                          </td>
                          <td className="num nps-score">{fmtNps(n.nps)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </section>
          )}

          {s.group_by && s.groups.length > 0 && <GroupsPanel scores={s} />}
          {s.group_by && s.groups.length === 0 && (
            <section className="panel">
              <Empty>No groups with responses.</Empty>
            </section>
          )}
        </>
      )}
    </section>
  );
}

function MeasureRows({ measure: m, items }: { measure: SurveyScores['overall']['measures'][number]; items: SurveyItemScore[] }) {
  return (
    <>
      <tr className="row-measure">
        <th scope="row">{m.name || m.measure_id}</th>
        <td className="num">
          <span className="muted">—</span>
        </td>
        <td className="num">{fmtShare(m.top)}</td>
        <td className="num">{fmtShare(m.middle)}</td>
        <td className="num">{fmtShare(m.bottom)}</td>
        <td>
          <StackedBar top={m.top} middle={m.middle} bottom={m.bottom} />
        </td>
        <td className="num">{fmtMean(m.linear_mean)}</td>
      </tr>
      {items.map((i) => (
        <ItemRow key={i.item_id} item={i} nested />
      ))}
    </>
  );
}

function ItemRow({ item: i, nested }: { item: SurveyItemScore; nested?: boolean }) {
  return (
    <tr className={nested ? 'row-nested' : undefined}>
      <th scope="row">
        {i.text || i.item_id}{' '}
        <span className="block muted small mono">{i.item_id}</span>
      </th>
      <td className="num">{fmtCount(i.answered)}</td>
      <td className="num">{fmtShare(i.top)}</td>
      <td className="num">{fmtShare(i.middle)}</td>
      <td className="num">{fmtShare(i.bottom)}</td>
      <td>
        <StackedBar top={i.top} middle={i.middle} bottom={i.bottom} />
      </td>
      <td className="num">{fmtMean(i.linear_mean)}</td>
    </tr>
  );
}

interface Col {
  key: string;
  label: string;
  get: (g: SurveyScoreGroup) => number | null | undefined;
}

/** Top-box per group: a table of the measures (or, without measures, the scored questions), and a chart of the first. */
function GroupsPanel({ scores: s }: { scores: SurveyScores }) {
  const by = GROUP_BY_LABEL[s.group_by as SurveyGroupBy] ?? String(s.group_by);
  let cols: Col[] = s.overall.measures.map((m) => ({
    key: m.measure_id,
    label: m.name || m.measure_id,
    get: (g) => g.scores.measures.find((x) => x.measure_id === m.measure_id)?.top,
  }));
  if (!cols.length)
    cols = s.overall.items
      .filter((i) => i.kind !== 'free_text')
      .map((i) => ({ key: i.item_id, label: i.text || i.item_id, get: (g) => g.scores.items.find((x) => x.item_id === i.item_id)?.top }));
  const first = cols[0];
  return (
    <section className="panel" aria-labelledby="sc-groups-h">
      <h3 id="sc-groups-h">Top-box share by {by.toLowerCase()}</h3>
      <div className="table-wrap">
        <table className="table table-dense">
          <caption className="sr-only">Responses, response rate and the top-box share of each {s.overall.measures.length ? 'measure' : 'question'}, by {by.toLowerCase()}</caption>
          <thead>
            <tr>
              <th scope="col">{by}</th>
              <th scope="col" className="num">
                Responses
              </th>
              <th scope="col" className="num">
                Invitations
              </th>
              <th scope="col" className="num">
                Response rate
              </th>
              {cols.map((c) => (
                <th scope="col" className="num wrap-head" key={c.key}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {s.groups.map((g) => (
              <tr key={g.key}>
                <th scope="row">{g.label || g.key || '(none)'}</th>
                <td className="num">{fmtCount(g.responses)}</td>
                <td className="num">{fmtCount(g.invitations)}</td>
                <td className="num">{fmtRate(g.response_rate)}</td>
                {cols.map((c) => (
                  <td className="num" key={c.key}>
                    {fmtShare(c.get(g))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {first && (
        <div className="sc-chart">
          <BarChart
            title={`${first.label}: top-box share by ${by.toLowerCase()}`}
            bars={s.groups.map((g) => ({
              key: g.key,
              label: g.label || g.key || '(none)',
              value: first.get(g) ?? null,
              detail: `${fmtCount(g.responses)} responses`,
            }))}
            valueLabel="% top box"
            format={(v) => `${Math.round(v)}%`}
          />
        </div>
      )}
    </section>
  );
}
