interface PagerProps {
  offset: number;
  limit: number;
  count: number;
  total?: number;
  onChange: (offset: number) => void;
  label?: string;
}

/** Previous/next paging by offset. Without a total, "next" is offered while a full page came back. */
export function Pager({ offset, limit, count, total, onChange, label = 'Results pages' }: PagerProps) {
  const from = count === 0 ? 0 : offset + 1;
  const to = offset + count;
  const hasNext = total !== undefined ? to < total : count >= limit;
  return (
    <nav className="pager" aria-label={label}>
      <span className="pager-info" aria-live="polite">
        {count === 0 ? 'No results' : `Showing ${from}–${to}${total !== undefined ? ` of ${total}` : ''}`}
      </span>
      <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        Previous page
      </button>
      <button type="button" className="btn btn-small" disabled={!hasNext} onClick={() => onChange(offset + limit)}>
        Next page
      </button>
    </nav>
  );
}
