import { useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router-dom';
import * as api from '../../api';
import { SurveyNav } from '../../components/surveys/SurveyNav';
import { ErrorAlert, Icon, PageHeader, Spinner } from '../../components/ui';
import { useAuth } from '../../lib/auth';
import { useApi, useTitle } from '../../lib/hooks';
import { fmtCount } from '../../lib/surveys';
import { fmtDate } from '../../lib/time';
import { useToast } from '../../lib/toast';

/** `/surveys`: the list for managers and analysts; coordinators (surveys.send only) go to the invitations. */
export function SurveysHome() {
  const { can } = useAuth();
  if (can('surveys.manage') || can('analytics.read')) return <SurveyListPage />;
  return <Navigate to="/surveys/invitations" replace />;
}

export function SurveyListPage() {
  useTitle('Surveys');
  const { can } = useAuth();
  const { notify } = useToast();
  const navigate = useNavigate();
  const res = useApi((signal) => api.listSurveys({ signal }), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const items = res.data?.items ?? [];
  const manage = can('surveys.manage');
  const hasHcahps = items.some((s) => s.id === 'hcahps');

  const createHcahps = async () => {
    setBusy(true);
    setError(null);
    try {
      const v = await api.createHcahpsSurvey();
      notify(`Survey “${v.title}” created`);
      navigate(`/surveys/${encodeURIComponent(v.id)}?tab=questions`);
    } catch (x) {
      setError(x);
      if (api.isApiError(x) && x.status === 409) res.reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <SurveyNav />
      <PageHeader title="Surveys" sub="Patient experience surveys: questions, scores and imported vendor results.">
        {manage && res.data && !hasHcahps && (
          <button type="button" className="btn" onClick={createHcahps} disabled={busy}>
            {busy ? 'Creating the HCAHPS survey…' : 'Create the HCAHPS survey'}
          </button>
        )}
        {manage && (
          <Link className="btn btn-primary" to="/surveys/new">
            <Icon name="plus" /> New survey
          </Link>
        )}
      </PageHeader>
      <ErrorAlert error={error} title="The HCAHPS survey was not created" />
      {res.loading && <Spinner label="Loading surveys…" />}
      <ErrorAlert error={res.error} title="Could not load the surveys" onRetry={res.reload} />
      {res.data && !res.loading && (
        <>
          {items.length === 0 ? (
            <div className="empty-box">
              <p>No surveys yet.</p>
              {manage && <p className="muted small">Start from the HCAHPS-style template, or build your own survey.</p>}
            </div>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">Surveys</caption>
                <thead>
                  <tr>
                    <th scope="col">Title</th>
                    <th scope="col">Id</th>
                    <th scope="col" className="num">
                      Latest version
                    </th>
                    <th scope="col">Active</th>
                    <th scope="col" className="num">
                      Responses
                    </th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((s) => (
                    <tr key={s.id}>
                      <th scope="row">
                        <Link className="row-link" to={`/surveys/${encodeURIComponent(s.id)}`}>
                          {s.title || s.id}
                        </Link>
                      </th>
                      <td className="mono">{s.id}</td>
                      <td className="num">{s.latest_version}</td>
                      <td>{s.active ? <span className="badge badge-active" title="New invitations use this survey">Active</span> : <span className="muted">No</span>}</td>
                      <td className="num">{fmtCount(s.responses)}</td>
                      <td className="nowrap">{fmtDate(s.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}
