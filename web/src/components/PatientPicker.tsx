import { useEffect, useId, useRef, useState } from 'react';
import * as api from '../api';
import type { PatientSummary } from '../api/types';
import { patientSortName, mrnText } from '../lib/format';
import { useDebounced } from '../lib/hooks';
import { fmtDate } from '../lib/time';

interface Props {
  label?: string;
  value: PatientSummary | null;
  onChange: (p: PatientSummary | null) => void;
  autoFocus?: boolean;
  error?: string | null;
  id?: string;
}

/** Patient search as an ARIA combobox: type, arrow through matches, Enter to choose. */
export function PatientPicker({ label = 'Patient', value, onChange, autoFocus, error, id }: Props) {
  const autoId = useId();
  const inputId = id ?? `pp-${autoId}`;
  const listId = `${inputId}-list`;
  const [text, setText] = useState('');
  const [items, setItems] = useState<PatientSummary[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const q = useDebounced(text.trim(), 250);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (value || q.length < 2) {
      setItems([]);
      setLoading(false);
      return;
    }
    const ctl = new AbortController();
    setLoading(true);
    setFailure(null);
    api
      .searchPatients(q, 10, 0, { signal: ctl.signal })
      .then((r) => {
        setItems(r.items ?? []);
        setActive(r.items?.length ? 0 : -1);
        setOpen(true);
      })
      .catch((e) => {
        if (!api.isAbortError(e)) setFailure(api.errorMessage(e));
      })
      .finally(() => {
        if (!ctl.signal.aborted) setLoading(false);
      });
    return () => ctl.abort();
  }, [q, value]);

  if (value) {
    return (
      <div className="field">
        <span className="label-like" id={`${inputId}-label`}>
          {label}
        </span>
        <div className="picked" aria-labelledby={`${inputId}-label`} role="group">
          <div>
            <strong>{patientSortName(value)}</strong>
            <span className="muted">
              {' '}
              · DOB {fmtDate(value.birth_date)} · {mrnText(value.mrn)}
            </span>
          </div>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              onChange(null);
              setText('');
              setTimeout(() => inputRef.current?.focus(), 0);
            }}
          >
            Change patient
          </button>
        </div>
      </div>
    );
  }

  const choose = (p: PatientSummary) => {
    setOpen(false);
    onChange(p);
  };
  const errId = error || failure ? `${inputId}-err` : undefined;

  return (
    <div className={`field combo${error ? ' has-error' : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      <input
        ref={inputRef}
        id={inputId}
        type="search"
        role="combobox"
        autoComplete="off"
        autoFocus={autoFocus}
        aria-autocomplete="list"
        aria-expanded={open && items.length > 0}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={[errId, `${inputId}-hint`].filter(Boolean).join(' ')}
        placeholder="Name, date of birth, phone or MRN"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(items.length - 1, a + 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (e.key === 'Enter') {
            if (open && active >= 0 && items[active]) {
              e.preventDefault();
              choose(items[active]);
            }
          } else if (e.key === 'Escape') {
            setOpen(false);
          }
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <div className="hint" id={`${inputId}-hint`}>
        {loading ? 'Searching…' : text.trim().length < 2 ? 'Type at least 2 characters.' : `${items.length} match${items.length === 1 ? '' : 'es'}`}
      </div>
      {(error || failure) && (
        <div className="field-error" id={errId}>
          {error || failure}
        </div>
      )}
      <ul id={listId} role="listbox" aria-label={`${label} matches`} className="combo-list" hidden={!open || items.length === 0}>
        {items.map((p, i) => (
          <li
            key={String(p.id)}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(p);
            }}
            onMouseEnter={() => setActive(i)}
          >
            <strong>{patientSortName(p)}</strong>
            <span className="muted">
              DOB {fmtDate(p.birth_date)} · {mrnText(p.mrn)}
              {p.phone ? ` · ${p.phone}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
