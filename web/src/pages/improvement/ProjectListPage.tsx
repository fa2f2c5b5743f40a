import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import * as api from '../../api';
import type { ProjectStatus } from '../../api/types';
import { ProjectStatusBadge } from '../../components/improvement/ProjectStatusBadge';
import { ErrorAlert, Icon, PageHeader, Spinner } from '../../components/ui';
import { useAuth } from '../../lib/auth';
import { useApi, useTitle } from '../../lib/hooks';
import { PROJECT_STATUSES, PROJECT_STATUS_LABEL } from '../../lib/improvement';
import { useReference } from '../../lib/reference';
import { fmtDate } from '../../lib/time';

/** /improvement — improvement projects, active first, then newest; filtered by status, metric and location. */
export function ProjectListPage() {
  useTitle('Improvement projects');
  const { can } = useAuth();
  const ref = useReference();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = (PROJECT_STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as ProjectStatus) : '';
  const metric = params.get('metric_key') ?? '';
  const location = params.get('location_id') ?? '';

  const update = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  const metrics = useApi((signal) => api.listMetrics({ signal }), []);
  const res = useApi(
    (signal) => api.listImprovementProjects({ status, metric_key: metric || undefined, location_id: location || undefined }, { signal }),
    [status, metric, location],
  );
  const items = res.data?.items ?? [];
  const filtered = !!(status || metric || location);
  const defs = metrics.data?.items ?? [];
  const open = (id: string | number) => navigate(`/improvement/${encodeURIComponent(String(id))}`);
  const newQs = new URLSearchParams();
  if (metric) newQs.set('metric_key', metric);
  if (location) newQs.set('location_id', location);

  return (
    <div className="page page-wide">
      <PageHeader title="Improvement projects" sub="Aims on a service metric, tested in plan–do–study–act cycles and drawn on the metric’s chart.">
        {can('improvement.write') && (
          <Link className="btn btn-primary" to={`/improvement/new${newQs.toString() ? `?${newQs}` : ''}`}>
            <Icon name="plus" /> New project
          </Link>
        )}
      </PageHeader>

      <div className="toolbar" role="search" aria-label="Filter projects">
        <div className="field inline">
          <label htmlFor="ip-f-status">Status</label>
          <select id="ip-f-status" value={status} onChange={(e) => update({ status: e.target.value })}>
            <option value="">Any status</option>
            {PROJECT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {PROJECT_STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="ip-f-metric">Metric</label>
          <select id="ip-f-metric" value={metric} onChange={(e) => update({ metric_key: e.target.value })}>
            <option value="">All metrics</option>
            {metric && !defs.some((m) => m.key === metric) && <option value={metric}>{metric}</option>}
            {defs.map((m) => (
              <option key={m.key} value={m.key}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="ip-f-location">Location</label>
          <select id="ip-f-location" value={location} onChange={(e) => update({ location_id: e.target.value })}>
            <option value="">Any location</option>
            {location && !ref.locations.some((l) => String(l.id) === location) && <option value={location}>Location {location}</option>}
            {ref.locations.map((l) => (
              <option key={String(l.id)} value={String(l.id)}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        {filtered && (
          <button type="button" className="btn btn-link" onClick={() => update({ status: null, metric_key: null, location_id: null })}>
            Clear filters
          </button>
        )}
      </div>

      <ErrorAlert error={metrics.error} title="Could not load the metrics" onRetry={metrics.reload} />
      {res.loading && <Spinner label="Loading projects…" />}
      <ErrorAlert error={res.error} title="Could not load the projects" onRetry={res.reload} />
      {res.data && !res.loading && (
        <section aria-labelledby="ip-list-h">
          <h2 id="ip-list-h" className="sr-only">
            Projects
          </h2>
          {items.length === 0 ? (
            <div className="empty-box">
              <p>{filtered ? 'No project matches these filters.' : 'No improvement projects yet.'}</p>
            </div>
          ) : (
            <div className="table-wrap">
              <table className="table table-hover project-table">
                <caption className="sr-only">Improvement projects, active first, then newest</caption>
                <thead>
                  <tr>
                    <th scope="col">Project</th>
                    <th scope="col">Metric</th>
                    <th scope="col">Location</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Status</th>
                    <th scope="col">Dates</th>
                    <th scope="col" className="num">
                      Cycles
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((p) => (
                    <tr key={String(p.id)} onClick={() => open(p.id)}>
                      <th scope="row" className="project-title">
                        <Link to={`/improvement/${encodeURIComponent(String(p.id))}`} onClick={(e) => e.stopPropagation()}>
                          {p.title}
                        </Link>
                      </th>
                      <td>{p.metric_name || defs.find((m) => m.key === p.metric_key)?.name || p.metric_key}</td>
                      <td>{p.location_id === null || p.location_id === undefined ? 'All locations' : p.location_name || ref.location(p.location_id)?.name || `Location ${p.location_id}`}</td>
                      <td>{p.owner || <span className="muted">—</span>}</td>
                      <td>
                        <ProjectStatusBadge status={p.status} />
                      </td>
                      <td>
                        {fmtDate(p.start_date)} – {p.end_date ? fmtDate(p.end_date) : <span className="muted">no end date</span>}
                      </td>
                      <td className="num">{p.cycles?.length ?? 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
