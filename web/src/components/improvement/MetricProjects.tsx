import { Link } from 'react-router-dom';
import type { Id, MetricProject } from '../../api/types';
import { useAuth } from '../../lib/auth';
import { fmtSpan } from '../../lib/improvement';
import { ProjectStatusBadge } from './ProjectStatusBadge';

/** Under a metric's chart: its improvement projects, and (with improvement.write) a link to start one. */
export function MetricProjects({ metricKey, metricName, projects, locationId }: { metricKey: string; metricName: string; projects: MetricProject[] | undefined; locationId?: Id | '' | null }) {
  const { can } = useAuth();
  const list = projects ?? [];
  const qs = new URLSearchParams({ metric_key: metricKey });
  if (locationId !== undefined && locationId !== null && locationId !== '') qs.set('location_id', String(locationId));
  const headingId = `mp-${metricKey}`;
  return (
    <section className="metric-projects" aria-labelledby={headingId}>
      <h3 id={headingId}>Improvement projects</h3>
      {list.length === 0 ? (
        <p className="muted">No improvement project on {metricName} overlaps these dates here.</p>
      ) : (
        <ul>
          {list.map((p) => (
            <li key={String(p.id)}>
              <Link to={`/improvement/${encodeURIComponent(String(p.id))}`}>{p.title}</Link> <ProjectStatusBadge status={String(p.status)} />{' '}
              <span className="muted">
                {fmtSpan(p.start_date, p.end_date)} · {p.cycles?.length ?? 0} PDSA cycle{(p.cycles?.length ?? 0) === 1 ? '' : 's'}
              </span>
            </li>
          ))}
        </ul>
      )}
      {can('improvement.write') && (
        <Link className="btn btn-small" to={`/improvement/new?${qs.toString()}`}>
          Start an improvement project
        </Link>
      )}
    </section>
  );
}
