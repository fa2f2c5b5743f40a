// Fixtures for the service-metrics and comments pages.
import type { CommentTrends, MetricResult, MetricsDashboard, SpcPoint } from '../api/types';

const pt = (y: number | null, over: Partial<SpcPoint> = {}): SpcPoint => ({
  subgroup: 0,
  part: 1,
  baseline: true,
  included: y !== null,
  y,
  cl: 10,
  lcl: 4,
  ucl: 16,
  sigma_signal: false,
  special_cause: 'Common Cause',
  point_type: 'common_cause',
  ...over,
});

export function makeMetric(over: Partial<MetricResult> = {}): MetricResult {
  const starts = ['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02', '2026-02-09'];
  const values = [9, 11, null, 10, 12, 18];
  return {
    key: 'no_show_rate',
    name: 'No-show rate',
    unit: '%',
    group: 'Access',
    definition: 'Booked appointments marked as no-shows, as a share of appointments due in the period.',
    improvement: 'decrease',
    series: starts.map((start, i) => ({
      start,
      numerator: values[i] === null ? 0 : values[i]!,
      denominator: values[i] === null ? 0 : 100,
      value: values[i],
    })),
    chart: {
      chart: 'p',
      points: values.map((v, i) =>
        i === 5 ? pt(v, { sigma_signal: true, special_cause: 'Above UCL', point_type: 'special_cause_concern' }) : pt(v, { subgroup: i + 1 }),
      ),
      assurance: null,
    },
    latest: 18,
    variation: 'special_cause_concern',
    assurance: null,
    ...over,
  };
}

export const DASHBOARD: MetricsDashboard = {
  interval: 'week',
  from: '2026-01-05',
  to: '2026-02-15',
  location_id: null,
  provider_id: null,
  metrics: [
    makeMetric({ key: 'complaints_per_1000_visits', name: 'Complaints per 1,000 visits', unit: 'per 1,000 visits', group: 'Relations', variation: 'common_cause', latest: 4.2, improvement: 'decrease' }),
    makeMetric(),
    makeMetric({
      key: 'cycle_time_minutes',
      name: 'Cycle time',
      unit: 'minutes',
      group: 'Flow',
      improvement: 'decrease',
      variation: 'special_cause_improvement',
      latest: 41,
    }),
    makeMetric({ key: 'lead_time_days', name: 'Lead time', unit: 'days', group: 'Access', improvement: 'neutral', chart: null, variation: null, latest: null }),
  ],
};

export const TRENDS: CommentTrends = {
  interval: 'month',
  periods: ['2026-01', '2026-02'],
  themes: [
    { period: '2026-01', key: 'Waiting', count: 5 },
    { period: '2026-02', key: 'Waiting', count: 7 },
    { period: '2026-02', key: 'Staff attitude', count: 3 },
    { period: '2026-01', key: 'Parking', count: 1 },
  ],
  sentiment: [
    { period: '2026-01', key: 'negative', count: 4 },
    { period: '2026-02', key: 'positive', count: 6 },
  ],
  units: [
    { unit: 'Riverside Clinic', key: 'negative', count: 3 },
    { unit: 'Riverside Clinic', key: 'positive', count: 7 },
    { unit: 'Hillside', key: 'negative', count: 4 },
    { unit: 'Hillside', key: 'neutral', count: 1 },
    { unit: 'Hillside', key: '', count: 2 },
  ],
  model: { loaded: true, id: 'abc123def4567890', themes: ['Waiting', 'Staff attitude', 'Parking', 'Cleanliness'], error: '' },
};

export const COMMENTS = {
  items: [
    {
      id: 91,
      source: 'survey',
      source_id: 4,
      location_id: 1,
      location_name: 'Riverside Clinic',
      department: 'Emergency',
      date: '2026-02-10',
      text: 'Waited two hours, nobody told us why.',
      themes: ['Waiting', 'Communication'],
      sentiment: 'negative',
    },
    {
      id: 92,
      source: 'case',
      source_id: 12,
      location_id: 1,
      location_name: 'Riverside Clinic',
      department: '',
      date: '2026-02-09',
      text: 'Lovely nurse.',
      themes: [],
      sentiment: null,
    },
  ],
  total: 40,
};

/** GET /api/v1/metrics/no_show_rate/records for the week of 9 Feb 2026 at Riverside Clinic. */
export const NO_SHOW_RECORDS = {
  metric: 'no_show_rate',
  kind: 'appointment',
  period_start: '2026-02-09',
  period_end: '2026-02-15',
  numerator_label: 'No-show',
  items: [
    {
      id: 501,
      at: '2026-02-09T09:30:00-05:00',
      patient_id: 12,
      patient_name: 'Ana Ruiz',
      provider_name: 'Dr. Maria Lopez',
      status: 'no_show',
      in_numerator: true,
      value: null,
      link: '/patients/12',
    },
    {
      id: 502,
      at: '2026-02-10T14:00:00-05:00',
      patient_id: 13,
      patient_name: 'Ben Okafor',
      provider_name: 'Dr. James Chen',
      status: 'completed',
      in_numerator: false,
      value: null,
      link: null,
    },
  ],
  total: 120,
};
