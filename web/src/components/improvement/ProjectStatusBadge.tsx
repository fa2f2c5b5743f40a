import { statusLabel } from '../../lib/improvement';

export function ProjectStatusBadge({ status }: { status: string }) {
  return <span className={`badge project-status-${status}`}>{statusLabel(status)}</span>;
}
