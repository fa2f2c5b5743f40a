import type { Id } from '../api/types';

interface Props {
  id: string;
  legend: string;
  options: { id: Id; label: string; hint?: string }[];
  value: string[];
  onChange: (v: string[]) => void;
  error?: string;
  hint?: string;
  empty?: string;
}

/** A fieldset of checkboxes: the accessible multi-select. */
export function CheckGroup({ id, legend, options, value, onChange, error, hint, empty }: Props) {
  const errId = error ? `${id}-error` : undefined;
  return (
    <fieldset className={`checkgroup${error ? ' has-error' : ''}`} id={id} aria-describedby={errId} tabIndex={-1}>
      <legend>{legend}</legend>
      {hint && <div className="hint">{hint}</div>}
      {options.length === 0 && <div className="muted small">{empty ?? 'Nothing to choose from.'}</div>}
      <div className="checkgroup-items">
        {options.map((o) => {
          const v = String(o.id);
          const cid = `${id}-${v}`;
          return (
            <div className="check" key={v}>
              <input
                id={cid}
                type="checkbox"
                checked={value.includes(v)}
                onChange={(e) => onChange(e.target.checked ? [...value, v] : value.filter((x) => x !== v))}
              />
              <label htmlFor={cid}>
                {o.label}
                {o.hint && <span className="muted small"> · {o.hint}</span>}
              </label>
            </div>
          );
        })}
      </div>
      {error && (
        <div className="field-error" id={errId}>
          {error}
        </div>
      )}
    </fieldset>
  );
}

/** Keep ids' original type (number or string) when sending what the API gave us. */
export function idsBack<T extends { id: Id }>(chosen: string[], from: T[]): Id[] {
  return chosen.map((c) => from.find((x) => String(x.id) === c)?.id ?? c);
}
