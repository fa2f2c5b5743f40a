// Fixtures for the survey pages.
import type { SurveyKindInfo, SurveyScores, SurveyVersion } from '../api/types';

const zeroToTen = Array.from({ length: 11 }, (_, v) => ({ value: v, label: String(v) }));
export const KINDS: { items: SurveyKindInfo[] } = {
  items: [
    {
      kind: 'frequency',
      scored: true,
      options: [
        { value: 1, label: 'Never' },
        { value: 2, label: 'Sometimes' },
        { value: 3, label: 'Usually' },
        { value: 4, label: 'Always' },
      ],
      default_boxes: { top: [4], middle: [3], bottom: [1, 2], top_label: 'Always', middle_label: 'Usually', bottom_label: 'Sometimes or never' },
    },
    {
      kind: 'yes_no',
      scored: true,
      options: [
        { value: 0, label: 'No' },
        { value: 1, label: 'Yes' },
      ],
      default_boxes: { top: [1], middle: [], bottom: [0], top_label: 'Yes', middle_label: '', bottom_label: 'No' },
    },
    {
      kind: 'rating_0_10',
      scored: true,
      options: zeroToTen,
      default_boxes: { top: [9, 10], middle: [7, 8], bottom: [0, 1, 2, 3, 4, 5, 6], top_label: '9–10', middle_label: '7–8', bottom_label: '0–6' },
    },
    {
      kind: 'nps',
      scored: true,
      options: zeroToTen,
      default_boxes: { top: [9, 10], middle: [7, 8], bottom: [0, 1, 2, 3, 4, 5, 6], top_label: 'Promoters', middle_label: 'Passives', bottom_label: 'Detractors' },
    },
    { kind: 'free_text', scored: false, options: [], default_boxes: null },
  ],
};

const freq = KINDS.items[0];
const nps = KINDS.items[3];
export const SURVEY: SurveyVersion = {
  id: 'outpatient',
  version: 2,
  title: 'Outpatient experience',
  created_at: '2026-02-01T09:00:00-05:00',
  created_by: 'manager',
  active: true,
  responses: 148,
  items: [
    { id: 'nurse_courtesy', text: 'How often did nurses treat you with courtesy and respect?', kind: 'frequency', measure_id: 'nurse_comm', boxes: freq.default_boxes, options: freq.options },
    { id: 'nurse_listen', text: 'How often did nurses listen carefully to you?', kind: 'frequency', measure_id: 'nurse_comm', boxes: freq.default_boxes, options: freq.options },
    { id: 'recommend_nps', text: 'How likely are you to recommend us to a friend?', kind: 'nps', measure_id: null, boxes: nps.default_boxes, options: nps.options },
    { id: 'comment', text: 'Is there anything else you want to tell us?', kind: 'free_text', measure_id: null, boxes: null, options: [] },
  ],
  measures: [{ id: 'nurse_comm', name: 'Communication with nurses', item_ids: ['nurse_courtesy', 'nurse_listen'] }],
  versions: [1, 2],
};

const overall = {
  responses: 148,
  items: [
    { item_id: 'nurse_courtesy', text: SURVEY.items[0].text, measure_id: 'nurse_comm', kind: 'frequency' as const, answered: 140, top: 80, middle: 15, bottom: 5, linear_mean: 90.2 },
    { item_id: 'nurse_listen', text: SURVEY.items[1].text, measure_id: 'nurse_comm', kind: 'frequency' as const, answered: 138, top: 65, middle: 25, bottom: 10, linear_mean: 84.6 },
    { item_id: 'recommend_nps', text: SURVEY.items[2].text, measure_id: null, kind: 'nps' as const, answered: 120, top: 60, middle: 25, bottom: 15, linear_mean: 81 },
    { item_id: 'comment', text: SURVEY.items[3].text, measure_id: null, kind: 'free_text' as const, answered: 37, top: null, middle: null, bottom: null, linear_mean: null },
  ],
  measures: [{ measure_id: 'nurse_comm', name: 'Communication with nurses', top: 72.5, middle: 20, bottom: 7.5, linear_mean: 87.4 }],
  nps: [{ item_id: 'recommend_nps', promoters: 60, passives: 25, detractors: 15, nps: 45 }],
};

export const SCORES: SurveyScores = {
  survey_id: 'outpatient',
  version: 2,
  from: '2026-01-01',
  to: '2026-03-31',
  group_by: 'department',
  responses: 148,
  invitations: 400,
  response_rate: 0.37,
  overall,
  groups: [
    {
      key: 'Cardiology',
      label: 'Cardiology',
      responses: 90,
      invitations: 200,
      response_rate: 0.45,
      scores: { ...overall, measures: [{ ...overall.measures[0], top: 81 }] },
    },
    {
      key: 'Emergency',
      label: 'Emergency',
      responses: 58,
      invitations: 200,
      response_rate: 0.29,
      scores: { ...overall, measures: [{ ...overall.measures[0], top: 59 }] },
    },
  ],
};

export const surveyPerms = {
  manager: ['patient.read', 'analytics.read', 'cases.read', 'surveys.manage', 'surveys.send'],
  coordinator: ['patient.read', 'cases.read', 'surveys.send'],
};
