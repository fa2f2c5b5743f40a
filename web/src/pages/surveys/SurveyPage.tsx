import { Link, useParams, useSearchParams } from 'react-router-dom';
import * as api from '../../api';
import { FhirAnswersCard } from '../../components/surveys/FhirAnswersCard';
import { ImportPanel } from '../../components/surveys/ImportPanel';
import { QuestionsView } from '../../components/surveys/QuestionsView';
import { ScoresView } from '../../components/surveys/ScoresView';
import { SurveyNav } from '../../components/surveys/SurveyNav';
import { Tabs, type TabDef } from '../../components/surveys/Tabs';
import { ErrorAlert, PageHeader, Spinner } from '../../components/ui';
import { useAuth } from '../../lib/auth';
import { useApi, useTitle } from '../../lib/hooks';
import { fmtCount } from '../../lib/surveys';

/** `/surveys/:id`: Scores (analytics.read), Questions, Import (surveys.manage) as tabs; the tab is in `?tab=`. */
export function SurveyPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const res = useApi((signal) => api.getSurvey(id, { signal }), [id]);
  const s = res.data;
  useTitle(s ? `${s.title} · Surveys` : 'Survey');

  const tabs: TabDef[] = [
    ...(can('analytics.read') ? [{ key: 'scores', label: 'Scores' }] : []),
    { key: 'questions', label: 'Questions' },
    ...(can('surveys.manage') ? [{ key: 'import', label: 'Import' }] : []),
  ];
  const tab = tabs.find((t) => t.key === params.get('tab'))?.key ?? tabs[0].key;
  const choose = (k: string) => {
    const next = new URLSearchParams(params);
    next.set('tab', k);
    setParams(next, { replace: true });
  };

  return (
    <div className="page page-wide">
      <SurveyNav />
      <p className="breadcrumb">
        <Link to="/surveys">Surveys</Link> <span aria-hidden="true">›</span> {s?.title || id}
      </p>
      <PageHeader
        title={s?.title || 'Survey'}
        sub={
          s ? (
            <>
              <span className="mono">{s.id}</span> · version {s.version} · {fmtCount(s.responses)} {s.responses === 1 ? 'response' : 'responses'}{s.active ? ' · active: new invitations use it' : ''}
            </>
          ) : undefined
        }
      >
        {s && can('surveys.manage') && (
          <Link className="btn" to={`/surveys/${encodeURIComponent(s.id)}/edit`}>
            Edit questions
          </Link>
        )}
      </PageHeader>
      {res.loading && !s && <Spinner label="Loading the survey…" />}
      <ErrorAlert error={res.error} title="Could not load the survey" onRetry={res.reload} />
      {s && (
        <Tabs id="sv" label="Survey views" tabs={tabs} current={tab} onChange={choose}>
          {tab === 'scores' && <ScoresView survey={s} />}
          {tab === 'questions' && <QuestionsView survey={s} />}
          {tab === 'import' && (
            <>
              <ImportPanel survey={s} />
              <FhirAnswersCard survey={s} />
            </>
          )}
        </Tabs>
      )}
    </div>
  );
}
