import * as api from '../../api';
import type { ImprovementProject } from '../../api/types';
import { useApi } from '../../lib/hooks';
import { asMetricProject, projectChartRange } from '../../lib/improvement';
import { useReference } from '../../lib/reference';
import { todayIn } from '../../lib/time';
import { SpcChartView } from '../metrics/SpcChartView';
import { ErrorAlert, Spinner } from '../ui';

/**
 * The project's metric, weekly at its location, from 12 weeks before the project to today, with this project's
 * span and cycles drawn on it (from the project as edited, so a new cycle shows at once).
 */
export function ProjectChart({ project }: { project: ImprovementProject }) {
  const ref = useReference();
  const loc = project.location_id === null || project.location_id === undefined ? undefined : ref.location(project.location_id);
  const today = todayIn(loc?.time_zone);
  const range = projectChartRange(project.start_date, today);
  const res = useApi(
    (signal) =>
      api.getMetric(
        project.metric_key,
        { location_id: project.location_id ?? undefined, interval: 'week', from: range.from, to: range.to },
        { signal },
      ),
    [project.metric_key, project.location_id, range.from, range.to],
  );
  const metric = res.data?.metric;
  const where = project.location_id === null || project.location_id === undefined ? 'all locations' : project.location_name || loc?.name || 'the location';
  return (
    <section className="panel spc-panel" aria-labelledby="ip-chart-h">
      <h2 id="ip-chart-h">{project.metric_name || metric?.name || project.metric_key} at {where}</h2>
      {res.loading && !metric && <Spinner label="Calculating the metric…" />}
      <ErrorAlert error={res.error} title="Could not load the metric" onRetry={res.reload} />
      {metric && <SpcChartView metric={metric} interval="week" from={range.from} to={range.to} projects={[asMetricProject(project)]} />}
    </section>
  );
}
