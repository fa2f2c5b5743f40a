import { describe, expect, it } from 'vitest';
import { dueInfo, factsFromList, factsToList, fmtWait, hasUnbalancedBraces, noFacts, relativeTo, unknownPlaceholders } from './relations';

const NOW = Date.parse('2026-03-10T12:00:00Z');

describe('dueInfo', () => {
  it('says "Overdue" in words when the server flags it', () => {
    const d = dueInfo({ next_due: '2026-03-09T17:00:00Z', overdue: true, due_soon: false }, NOW);
    expect(d.level).toBe('overdue');
    expect(d.label).toBe('Overdue');
    expect(d.relative).toBe('19 hours ago');
  });
  it('treats a past due date as overdue even before the server catches up', () => {
    expect(dueInfo({ next_due: '2026-03-10T11:00:00Z', overdue: false, due_soon: true }, NOW).level).toBe('overdue');
  });
  it('"Due soon" when flagged and not past', () => {
    const d = dueInfo({ next_due: '2026-03-11T12:00:00Z', overdue: false, due_soon: true }, NOW);
    expect(d).toMatchObject({ level: 'soon', label: 'Due soon', relative: 'in 24 hours' });
  });
  it('no label when on track, nothing when nothing is due', () => {
    expect(dueInfo({ next_due: '2026-03-20T12:00:00Z', overdue: false, due_soon: false }, NOW)).toMatchObject({ level: 'ok', label: '', relative: 'in 10 days' });
    expect(dueInfo({ next_due: null, overdue: false, due_soon: false }, NOW).level).toBe('none');
  });
});

describe('relations helpers', () => {
  it('relativeTo rounds to minutes, hours, days', () => {
    expect(relativeTo(NOW + 5 * 60000, NOW)).toBe('in 5 min');
    expect(relativeTo(NOW - 3 * 3600000, NOW)).toBe('3 hours ago');
    expect(relativeTo(NOW + 3 * 86400000, NOW)).toBe('in 3 days');
  });
  it('facts round-trip through the checkbox list', () => {
    const f = { ...noFacts(), written: true, premature_discharge_concern: true };
    expect(factsToList(f).sort()).toEqual(['premature_discharge_concern', 'written']);
    expect(factsFromList(factsToList(f))).toEqual(f);
  });
  it('finds unknown placeholders and unbalanced braces in a template', () => {
    expect(unknownPlaceholders('Dear {{patient_name}}, {{ patient }} {{results}} {{nope}} {{nope}}')).toEqual(['patient', 'nope']);
    expect(hasUnbalancedBraces('Dear {{patient_name}}')).toBe(false);
    expect(hasUnbalancedBraces('Dear {{patient_name}')).toBe(true);
    expect(hasUnbalancedBraces('Dear patient_name}}')).toBe(true);
  });
  it('fmtWait speaks in seconds, minutes or hours', () => {
    expect(fmtWait(undefined)).toBe('a few minutes');
    expect(fmtWait(30)).toBe('30 seconds');
    expect(fmtWait(61)).toBe('2 minutes');
    expect(fmtWait(3600)).toBe('1 hour');
    expect(fmtWait(3601)).toBe('2 hours');
  });
});
