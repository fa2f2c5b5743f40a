import { useState } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../../api';
import type { SurveyVersion } from '../../api/types';
import { ErrorAlert, Spinner } from '../ui';
import { useAuth } from '../../lib/auth';
import { useApi } from '../../lib/hooks';
import { boxAnswers, fmtCount, kindLabel } from '../../lib/surveys';
import { fmtDateTime } from '../../lib/time';

/** The Questions tab: a read-only view of one version (the latest unless another is chosen). */
export function QuestionsView({ survey }: { survey: SurveyVersion }) {
  const { can } = useAuth();
  const versions = survey.versions?.length ? [...survey.versions].sort((a, b) => b - a) : [survey.version];
  const [version, setVersion] = useState<number>(survey.version);
  const other = useApi((signal) => api.getSurveyVersion(survey.id, version, { signal }), [survey.id, version], version !== survey.version);
  const v = version === survey.version ? survey : other.data;
  const next = Math.max(...versions) + 1;

  return (
    <div className="questions-view">
      <div className="section-head qv-head">
        <div className="field inline">
          <label htmlFor="qv-version">Show version</label>
          <select id="qv-version" value={String(version)} onChange={(e) => setVersion(Number(e.target.value))}>
            {versions.map((n) => (
              <option key={n} value={String(n)}>
                Version {n}
                {n === survey.version ? ' (latest)' : ''}
              </option>
            ))}
          </select>
        </div>
        {can('surveys.manage') && (
          <Link className="btn" to={`/surveys/${encodeURIComponent(survey.id)}/edit`}>
            Edit questions<span className="muted small"> (makes version {next})</span>
          </Link>
        )}
      </div>
      <p className="muted small">
        Versions: {versions.slice().reverse().join(', ')}. A version never changes once made; each response keeps the version it answered.
      </p>
      {other.loading && version !== survey.version && <Spinner label={`Loading version ${version}…`} />}
      <ErrorAlert error={version !== survey.version ? other.error : null} title={`Could not load version ${version}`} onRetry={other.reload} />
      {v && (!other.loading || version === survey.version) && (
        <section aria-labelledby="qv-h">
          <h3 id="qv-h">
            {v.title} — version {v.version}
          </h3>
          <p className="muted small">
            Made {fmtDateTime(v.created_at)}
            {v.created_by ? ` by ${v.created_by}` : ''} · {fmtCount(v.responses)} responses{v.active ? ' · the active survey' : ''}
          </p>
          <ol className="qv-items">
            {v.items.map((it) => (
              <li key={it.id} className="qv-item">
                <div className="qv-text">{it.text}</div>
                <dl className="dl-inline small">
                  <div>
                    <dt>Id</dt>
                    <dd className="mono">{it.id}</dd>
                  </div>
                  <div>
                    <dt>Answer</dt>
                    <dd>{kindLabel(it.kind)}</dd>
                  </div>
                  {it.measure_id && (
                    <div>
                      <dt>Measure</dt>
                      <dd>{v.measures.find((m) => m.id === it.measure_id)?.name ?? it.measure_id}</dd>
                    </div>
                  )}
                  {it.boxes && (
                    <div>
                      <dt>Top box</dt>
                      <dd>{boxAnswers(it.boxes.top, it.options ?? [])}</dd>
                    </div>
                  )}
                </dl>
              </li>
            ))}
          </ol>
          {v.measures.length > 0 && (
            <>
              <h3 className="subhead">Measures</h3>
              <ul className="plain-list">
                {v.measures.map((m) => (
                  <li key={m.id}>
                    <strong>{m.name}</strong> <span className="muted small mono">{m.id}</span>{' '}
                    <span className="block muted small">Questions: {m.item_ids.join(', ')}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </div>
  );
}
