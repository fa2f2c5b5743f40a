import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import * as api from '../../api';
import type { ImprovementProject, MetricDefinition } from '../../api/types';
import { PdsaCycles } from '../../components/improvement/PdsaCycles';
import { ProjectChart } from '../../components/improvement/ProjectChart';
import { ProjectForm } from '../../components/improvement/ProjectForm';
import { ProjectStatusBadge } from '../../components/improvement/ProjectStatusBadge';
import { ErrorAlert, PageHeader, Spinner } from '../../components/ui';
import { useAuth } from '../../lib/auth';
import { useApi, useTitle } from '../../lib/hooks';
import { fmtSpan, projectDraft } from '../../lib/improvement';
import { fmtNumber } from '../../lib/spc';
import { fmtDateTime, todayIn } from '../../lib/time';
import { useToast } from '../../lib/toast';

function Breadcrumb({ title }: { title: string }) {
  return (
    <p className="breadcrumb">
      <Link to="/improvement">Improvement projects</Link> <span aria-hidden="true">›</span> {title}
    </p>
  );
}

/** /improvement/new — prefilled from ?metric_key=&location_id= (the metric chart's "Start an improvement project"). */
export function NewProjectPage() {
  useTitle('New improvement project');
  const { session } = useAuth();
  const { notify } = useToast();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const metrics = useApi((signal) => api.listMetrics({ signal }), []);
  const initial = {
    ...projectDraft({ metric_key: params.get('metric_key') ?? '', location_id: params.get('location_id') || null, owner: session?.user.display_name ?? '' }),
    start_date: todayIn(),
  };
  return (
    <div className="page">
      <Breadcrumb title="New project" />
      <PageHeader title="New improvement project" sub="An aim on one service metric; its PDSA cycles are added once it is saved." />
      <ErrorAlert error={metrics.error} title="Could not load the metrics" onRetry={metrics.reload} />
      <ProjectForm
        initial={initial}
        metrics={metrics.data?.items ?? []}
        metricsLoading={metrics.loading}
        submitLabel="Create project"
        onCancel={() => navigate('/improvement')}
        onSubmit={async (body) => {
          const p = await api.createImprovementProject(body);
          notify(`Project “${p.title}” created`);
          navigate(`/improvement/${encodeURIComponent(String(p.id))}`);
          return p;
        }}
      />
    </div>
  );
}

/** /improvement/:id — the project (editable with improvement.write), its PDSA cycles and its metric's chart. */
export function ProjectPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { can } = useAuth();
  const { notify } = useToast();
  const canWrite = can('improvement.write');
  const res = useApi((signal) => api.getImprovementProject(id, { signal }), [id]);
  const metrics = useApi((signal) => api.listMetrics({ signal }), []);
  const p = res.data;
  useTitle(p ? `${p.title} · Improvement` : 'Improvement project');

  return (
    <div className="page">
      <Breadcrumb title={p?.title ?? 'Project'} />
      {res.loading && !p && <Spinner label="Loading the project…" />}
      <ErrorAlert error={res.error} title="Could not load the project" onRetry={res.reload} />
      {p && (
        <>
          <PageHeader
            title={p.title}
            sub={
              <>
                <ProjectStatusBadge status={p.status} /> {p.metric_name || p.metric_key} · {p.location_id === null || p.location_id === undefined ? 'All locations' : p.location_name} ·{' '}
                {fmtSpan(p.start_date, p.end_date)}
              </>
            }
          >
            <Link className="btn" to={`/dashboard/${encodeURIComponent(p.metric_key)}${p.location_id !== null && p.location_id !== undefined ? `?location=${encodeURIComponent(String(p.location_id))}` : ''}`}>
              Open in Metrics
            </Link>
          </PageHeader>
          {canWrite ? (
            <>
              <ErrorAlert error={metrics.error} title="Could not load the metrics" onRetry={metrics.reload} />
              <ProjectForm
                key={String(p.id)}
                initial={projectDraft(p)}
                metrics={metrics.data?.items ?? []}
                metricsLoading={metrics.loading}
                submitLabel="Save project"
                onSubmit={async (body) => {
                  const saved = await api.updateImprovementProject(p.id, body);
                  res.setData(saved);
                  notify('Project saved');
                  return saved;
                }}
              />
            </>
          ) : (
            <ProjectSummary project={p} metrics={metrics.data?.items ?? []} />
          )}
          <PdsaCycles project={p} canWrite={canWrite} onChange={(x) => res.setData(x)} />
          <ProjectChart project={p} />
        </>
      )}
    </div>
  );
}

function ProjectSummary({ project: p, metrics }: { project: ImprovementProject; metrics: MetricDefinition[] }) {
  const unit = metrics.find((m) => m.key === p.metric_key)?.unit;
  return (
    <section className="panel" aria-labelledby="ip-sum-h">
      <h2 id="ip-sum-h">Project</h2>
      <dl className="dl dl-wide">
        <div>
          <dt>Aim</dt>
          <dd className="project-aim">{p.aim}</dd>
        </div>
        <div>
          <dt>Metric</dt>
          <dd>{p.metric_name || p.metric_key}</dd>
        </div>
        <div>
          <dt>Location</dt>
          <dd>{p.location_id === null || p.location_id === undefined ? 'All locations' : p.location_name}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{p.owner || '—'}</dd>
        </div>
        <div>
          <dt>Dates</dt>
          <dd>{fmtSpan(p.start_date, p.end_date, 'no end date')}</dd>
        </div>
        <div>
          <dt>Target</dt>
          <dd>{p.target === null || p.target === undefined ? '—' : `${fmtNumber(p.target, 2)}${unit ? ` ${unit}` : ''}`}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <ProjectStatusBadge status={p.status} />
          </dd>
        </div>
        {p.updated_at && (
          <div>
            <dt>Last changed</dt>
            <dd>{fmtDateTime(p.updated_at)}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
