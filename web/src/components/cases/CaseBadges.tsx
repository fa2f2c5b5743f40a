import type { CaseDeadline, CaseKind, CaseSeverity, CaseStatus, InquiryType } from '../../api/types';
import { useNow } from '../../lib/hooks';
import {
  CASE_STATUS_LABEL,
  DEADLINE_STATE_LABEL,
  INQUIRY_TYPE_LABEL,
  KIND_LABEL,
  SEVERITY_LABEL,
  dueInfo,
  label,
} from '../../lib/relations';
import { Icon } from '../ui';

export function KindBadge({ kind, inquiryType }: { kind: CaseKind; inquiryType?: InquiryType | null }) {
  return (
    <span className={`badge kind-${kind}`}>
      {label(KIND_LABEL, kind)}
      {kind === 'inquiry' && inquiryType ? ` · ${label(INQUIRY_TYPE_LABEL, inquiryType)}` : ''}
    </span>
  );
}

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  return <span className={`badge cstatus-${status}`}>{label(CASE_STATUS_LABEL, status)}</span>;
}

export function SeverityBadge({ severity }: { severity: CaseSeverity }) {
  return (
    <span className={`sev sev-${severity}`}>
      <span className="sev-dot" aria-hidden="true" />
      {label(SEVERITY_LABEL, severity)}
    </span>
  );
}

/** Next due date of a case, with "Overdue" / "Due soon" in words (not colour alone). */
export function DueCell({ c }: { c: { next_due: string | null; overdue: boolean; due_soon: boolean } }) {
  const now = useNow(60_000);
  const d = dueInfo(c, now);
  if (d.level === 'none') return <span className="muted">—</span>;
  return (
    <span className={`due due-${d.level}`}>
      {d.label && (
        <span className="due-label">
          <Icon name={d.level === 'overdue' ? 'alert' : 'clock'} />
          {d.label}
        </span>
      )}
      <span className="due-when">{d.when}</span>
      {d.relative && <span className="due-rel">{d.relative}</span>}
    </span>
  );
}

export function DeadlineStateBadge({ d }: { d: Pick<CaseDeadline, 'state' | 'due_soon'> }) {
  const soon = d.state === 'pending' && d.due_soon;
  const cls = soon ? 'soon' : d.state;
  return (
    <span className={`badge dstate-${cls}`}>
      {d.state === 'overdue' && <Icon name="alert" />}
      {soon && <Icon name="clock" />}
      {(d.state === 'met' || d.state === 'met_late') && <Icon name="check" />}
      {soon ? 'Due soon' : label(DEADLINE_STATE_LABEL, d.state)}
    </span>
  );
}
