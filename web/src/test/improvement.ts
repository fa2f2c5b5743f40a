// Fixtures for the improvement-project pages.
import type { ImprovementProject, MetricDefinition } from '../api/types';

export const METRIC_DEFS: MetricDefinition[] = [
  { key: 'no_show_rate', name: 'No-show rate', unit: '%', group: 'Access', definition: 'Booked appointments marked as no-shows.', chart: 'p', improvement: 'decrease' },
  { key: 'cycle_time_minutes', name: 'Cycle time', unit: 'minutes', group: 'Flow', definition: 'Arrival to departure.', chart: 'xmr', improvement: 'decrease' },
];

export function makeProject(over: Partial<ImprovementProject> = {}): ImprovementProject {
  return {
    id: 5,
    title: 'Fewer no-shows at Riverside',
    aim: 'Cut the no-show rate from 12% to 8% by June.',
    metric_key: 'no_show_rate',
    metric_name: 'No-show rate',
    location_id: 1,
    location_name: 'Riverside Clinic',
    owner: 'Pat Manager',
    start_date: '2026-01-12',
    end_date: '2026-06-30',
    target: 8,
    status: 'active',
    created_at: '2026-01-10T09:00:00-05:00',
    created_by: 'manager',
    updated_at: '2026-01-10T09:00:00-05:00',
    cycles: [
      {
        id: 21,
        title: 'Reminder calls two days ahead',
        plan: 'Call every patient booked for Monday.',
        do_notes: 'Called 40 patients.',
        study: 'No-shows fell to 9%.',
        act: 'Adopt; try texts next.',
        start_date: '2026-01-19',
        end_date: '2026-02-01',
      },
    ],
    ...over,
  };
}
