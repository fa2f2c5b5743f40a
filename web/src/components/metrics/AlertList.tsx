import { useState } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../../api';
import type { MetricAlert } from '../../api/types';
import { Modal } from '../Modal';
import { Field } from '../Field';
import { fmtValue, periodPhrase } from '../../lib/spc';
import { fmtDateTime } from '../../lib/time';
import { VariationIcon } from './VariationIcon';

/** The dashboard chart of an alert, with the records of its first period open. */
export function alertChartLink(a: MetricAlert): string {
  const q = new URLSearchParams({ location: String(a.location_id), interval: a.interval, point: a.first_period_start });
  return `/dashboard/${encodeURIComponent(a.metric_key)}?${q}`;
}

/** "Week of 3 Mar 2025", or "Weeks of 3 Mar 2025 to 17 Mar 2025 (3 weeks)" for a signal that went on. */
export function alertPeriods(a: MetricAlert): string {
  const first = periodPhrase(a.first_period_start, a.interval);
  if (a.periods <= 1) return first.charAt(0).toUpperCase() + first.slice(1);
  const unit = a.interval === 'month' ? 'months' : 'weeks';
  return `From the ${first} to the ${periodPhrase(a.last_period_start, a.interval)} (${a.periods} ${unit} running)`;
}

function limits(a: MetricAlert): string {
  const parts = [`centre ${fmtValue(a.centre, a.unit)}`];
  if (a.lower_limit !== null || a.upper_limit !== null) {
    parts.push(`limits ${fmtValue(a.lower_limit, a.unit)} to ${fmtValue(a.upper_limit, a.unit)}`);
  }
  return parts.join(', ');
}

/**
 * Alerts as a list of cards: the variation icon, the metric and place, when, the signal and the value against the
 * chart's lines, a link to the chart and an Acknowledge button (with an optional note) while open.
 */
export function AlertList({ alerts, onChanged, compact = false }: { alerts: MetricAlert[]; onChanged: (a: MetricAlert) => void; compact?: boolean }) {
  const [acking, setAcking] = useState<MetricAlert | null>(null);
  return (
    <>
      <ul className="alert-list">
        {alerts.map((a) => (
          <li key={String(a.id)} className={`alert-card${a.acknowledged_at ? ' is-acknowledged' : ''}`} aria-labelledby={`alert-${a.id}`}>
            <VariationIcon variation={a.point_type} improvement={a.improvement} showLabel={false} size={32} />
            <div className="alert-body">
              <h3 id={`alert-${a.id}`} className="alert-title">
                {a.metric_name} at {a.location_name}
              </h3>
              <p className="alert-when">{alertPeriods(a)}</p>
              <p>
                <strong>{a.special_cause}</strong> — {a.point_type === 'special_cause_concern' ? 'a concern' : a.point_type === 'special_cause_improvement' ? 'an improvement' : 'a change'}:{' '}
                {fmtValue(a.value, a.unit)} ({limits(a)}).
              </p>
              {!compact && a.acknowledged_at && (
                <p className="muted">
                  Acknowledged by {a.acknowledged_by} on {fmtDateTime(a.acknowledged_at)}
                  {a.note ? `: “${a.note}”` : '.'}
                </p>
              )}
            </div>
            <div className="alert-actions">
              <Link className="btn btn-small" to={alertChartLink(a)}>
                Open the chart<span className="sr-only"> of {a.metric_name} at {a.location_name}</span>
              </Link>
              {!a.acknowledged_at && (
                <button type="button" className="btn btn-small" onClick={() => setAcking(a)}>
                  Acknowledge<span className="sr-only"> {a.metric_name} at {a.location_name}</span>
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {acking && (
        <AcknowledgeDialog
          alert={acking}
          onClose={() => setAcking(null)}
          onDone={(a) => {
            setAcking(null);
            onChanged(a);
          }}
        />
      )}
    </>
  );
}

function AcknowledgeDialog({ alert: a, onClose, onDone }: { alert: MetricAlert; onClose: () => void; onDone: (a: MetricAlert) => void }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onDone(await api.acknowledgeMetricAlert(a.id, note.trim()));
    } catch (e) {
      setError(api.isApiError(e) ? e.message : 'Could not acknowledge the alert.');
      setBusy(false);
    }
  };
  return (
    <Modal
      title={`Acknowledge: ${a.metric_name} at ${a.location_name}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={submit} disabled={busy} aria-busy={busy}>
            {busy ? 'Saving…' : 'Acknowledge'}
          </button>
        </>
      }
    >
      <p>Record that you have seen this signal. A note says what you found or will do; it is kept with the alert.</p>
      <Field id="ack-note" label="Note (optional)" error={error} hint="At most 2,000 characters.">
        <textarea data-autofocus rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
    </Modal>
  );
}
