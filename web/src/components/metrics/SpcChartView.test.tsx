import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SpcChartView } from './SpcChartView';
import { makeMetric } from '../../test/metrics';

const PROJECT = {
  id: 5,
  title: 'Fewer no-shows',
  aim: 'Cut no-shows.',
  start_date: '2026-01-12',
  end_date: null,
  target: 8,
  status: 'active',
  cycles: [
    { id: 1, title: 'Before the chart', start_date: '2025-12-01', end_date: '2025-12-20' },
    { id: 2, title: 'Reminder calls', start_date: '2026-01-14', end_date: '2026-01-25' },
    { id: 3, title: 'Texts', start_date: '2026-02-10', end_date: null },
    { id: 4, title: 'After the chart', start_date: '2026-03-02', end_date: null },
  ],
};

describe('SpcChartView with improvement projects', () => {
  it('draws a dashed line per cycle inside the charted weeks, a shaded span and a legend entry', () => {
    const { container } = render(<SpcChartView metric={makeMetric({ projects: [PROJECT] })} interval="week" from="2026-01-05" to="2026-02-15" />);
    const img = screen.getByRole('img', { name: /No-show rate/ });
    const markers = img.querySelectorAll('[data-pdsa-cycle]');
    expect(Array.from(markers).map((m) => [m.getAttribute('data-pdsa-cycle'), m.getAttribute('data-period')])).toEqual([
      ['2', '1'],
      ['3', '5'],
    ]);
    expect(markers[0].querySelector('title')!.textContent).toBe('PDSA 2: Reminder calls (Fewer no-shows), Wed 14 Jan 2026 to Sun 25 Jan 2026');
    expect(markers[0].querySelector('text')!.textContent).toBe('PDSA 2');
    expect(markers[0].querySelector('line.pdsa-line')).not.toBeNull();
    // The marker sits at the x of the period's point.
    const x = markers[1].querySelector('line')!.getAttribute('x1');
    const lastPoint = img.querySelectorAll('circle.spc-point')[4];
    expect(lastPoint.getAttribute('cx')).toBe(x);
    expect(img.querySelectorAll('[data-pdsa-band]')).toHaveLength(1);
    const legend = screen.getByRole('list', { name: 'Chart key' });
    expect(within(legend).getByText('PDSA cycle')).toBeInTheDocument();
    expect(within(legend).getByText('Improvement project')).toBeInTheDocument();
    expect(container.querySelector('.sr-only')!.textContent).toMatch(/PDSA cycles marked: PDSA 2: Reminder calls/);
  });

  it('stays as it was without projects', () => {
    render(<SpcChartView metric={makeMetric()} interval="week" from="2026-01-05" to="2026-02-15" />);
    const img = screen.getByRole('img', { name: /No-show rate/ });
    expect(img.querySelector('[data-pdsa-cycle], [data-pdsa-band]')).toBeNull();
    expect(img.getAttribute('viewBox')).toBe('0 0 760 300');
    expect(screen.queryByText('PDSA cycle')).toBeNull();
  });

  it('draws the projects it is given instead of the answer’s', () => {
    render(
      <SpcChartView
        metric={makeMetric({ projects: [PROJECT] })}
        projects={[{ ...PROJECT, id: 9, cycles: [{ id: 7, title: 'Only this', start_date: '2026-01-05', end_date: null }] }]}
        interval="week"
        from="2026-01-05"
        to="2026-02-15"
      />,
    );
    const markers = screen.getByRole('img', { name: /No-show rate/ }).querySelectorAll('[data-pdsa-cycle]');
    expect(Array.from(markers).map((m) => m.getAttribute('data-pdsa-cycle'))).toEqual(['7']);
  });
});
