import type { ReactNode } from 'react';
import { errorMessage, isApiError } from '../api/client';
import type { AppointmentStatus, FlowLevel } from '../api/types';
import { LEVEL_TEXT } from '../lib/flow';
import { statusLabel } from '../lib/format';

export function Spinner({ label = 'Loading…', inline = false }: { label?: string; inline?: boolean }) {
  return (
    <div className={inline ? 'spinner-wrap inline' : 'spinner-wrap'} role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** Error banner for a failed load or action. Shows the API's message (and field, if named). */
export function ErrorAlert({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  if (!error) return null;
  const msg = errorMessage(error);
  const forbidden = isApiError(error) && error.status === 403;
  return (
    <div className="alert alert-error" role="alert">
      <Icon name="alert" />
      <div>
        {title && <strong>{title}. </strong>}
        {forbidden && !title && <strong>Not permitted. </strong>}
        {msg}
        {isApiError(error) && error.field && <span className="muted"> (field: {error.field})</span>}
      </div>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warn'; children: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'warn' ? 'alert' : 'status'}>
      <Icon name={kind === 'success' ? 'check' : kind === 'warn' ? 'warn' : 'info'} />
      <div>{children}</div>
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function StatusBadge({ status }: { status: AppointmentStatus | string }) {
  return <span className={`badge status-${status}`}>{statusLabel(status)}</span>;
}

export function LevelBadge({ level }: { level: FlowLevel }) {
  return (
    <span className={`level level-${level}`}>
      <Icon name={level === 'ok' ? 'check' : level === 'warn' ? 'warn' : 'alert'} />
      {LEVEL_TEXT[level]}
    </span>
  );
}

export function PageHeader({ title, children, sub }: { title: string; sub?: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {sub && <div className="page-sub">{sub}</div>}
      </div>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}

type IconName =
  | 'alert'
  | 'warn'
  | 'check'
  | 'info'
  | 'video'
  | 'user'
  | 'search'
  | 'plus'
  | 'clock'
  | 'chev-left'
  | 'chev-right'
  | 'undo'
  | 'close'
  | 'live';

const PATHS: Record<IconName, ReactNode> = {
  alert: (
    <>
      <path d="M8 1.5 15 14H1z" fill="currentColor" opacity=".15" />
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M8 4.5v4.2M8 10.8v.2" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </>
  ),
  warn: (
    <>
      <path d="M8 1.8 15 14.2H1z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
      <path d="M8 6v3.6M8 11.7v.1" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </>
  ),
  check: (
    <path d="M3 8.5 6.5 12 13 4.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
  ),
  info: (
    <>
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M8 7.2v4.3M8 4.6v.1" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </>
  ),
  video: (
    <>
      <rect x="1.5" y="4" width="9" height="8" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="m10.5 7 4-2.5v7l-4-2.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
    </>
  ),
  user: (
    <>
      <circle cx="8" cy="5.5" r="3" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M2.5 14.5c.7-3 2.9-4.5 5.5-4.5s4.8 1.5 5.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
    </>
  ),
  search: (
    <>
      <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="m10.5 10.5 4 4" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </>
  ),
  plus: <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />,
  clock: (
    <>
      <circle cx="8" cy="8" r="6.3" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M8 4.5V8l2.5 1.8" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </>
  ),
  'chev-left': <path d="M10 3 5 8l5 5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />,
  'chev-right': <path d="m6 3 5 5-5 5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />,
  undo: (
    <path d="M5 3 2 6l3 3M2.5 6H10a3.5 3.5 0 0 1 0 7H6" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
  ),
  close: <path d="m4 4 8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />,
  live: <circle cx="8" cy="8" r="4" fill="currentColor" />,
};

export function Icon({ name, title }: { name: IconName; title?: string }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 16 16"
      width="16"
      height="16"
      aria-hidden={title ? undefined : true}
      role={title ? 'img' : undefined}
      aria-label={title}
      focusable="false"
    >
      {PATHS[name]}
    </svg>
  );
}
