import type { SelectHTMLAttributes } from 'react';
import { useReference } from '../lib/reference';

/**
 * A select of the locations (value: the id as text), with a first option for none or all (`emptyLabel`, value "").
 * Other props go to the select, so it works inside Field (which gives it its id) or with its own label.
 */
export function LocationSelect({
  value,
  onChange,
  emptyLabel,
  ...rest
}: { value: string; onChange: (id: string) => void; emptyLabel: string } & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'>) {
  const ref = useReference();
  return (
    <select {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{emptyLabel}</option>
      {value && !ref.locations.some((l) => String(l.id) === value) && <option value={value}>Location {value}</option>}
      {ref.locations.map((l) => (
        <option key={String(l.id)} value={String(l.id)}>
          {l.name}
        </option>
      ))}
    </select>
  );
}
