import { useState } from 'react';
import type { Slot } from '../api/types';
import { useReference } from '../lib/reference';
import { dateOf, fmtDayHeading, fmtTime } from '../lib/time';

interface Props {
  slots: Slot[];
  onPick: (s: Slot) => void;
  selected?: Slot | null;
  /** Show provider names on each slot (when several providers are possible). */
  showProvider?: boolean;
  showLocation?: boolean;
  /** Days shown before "Show more days". */
  pageDays?: number;
}

export const slotKey = (s: Slot) => `${s.start}|${s.provider_id}|${s.location_id}|${s.room_id ?? ''}`;

/** Open slots grouped by day, first available first; each slot is a button. */
export function SlotList({ slots, onPick, selected, showProvider = true, showLocation = false, pageDays = 5 }: Props) {
  const ref = useReference();
  const [days, setDays] = useState(pageDays);
  const groups = new Map<string, Slot[]>();
  for (const s of slots) {
    const zone = ref.location(s.location_id)?.time_zone;
    const d = dateOf(s.start, zone);
    if (!groups.has(d)) groups.set(d, []);
    groups.get(d)!.push(s);
  }
  const all = Array.from(groups.entries());
  return (
    <div className="slot-days">
      {all.slice(0, days).map(([day, list]) => (
        <section key={day} className="slot-day" aria-label={fmtDayHeading(day)}>
          <h3>
            {fmtDayHeading(day)} <span className="muted small">· {list.length} open</span>
          </h3>
          <ul className="slot-grid">
            {list.map((s) => {
              const zone = ref.location(s.location_id)?.time_zone;
              const prov = ref.provider(s.provider_id)?.name;
              const loc = ref.location(s.location_id)?.name;
              const isSel = selected ? slotKey(selected) === slotKey(s) : false;
              const label = `${fmtTime(s.start, zone)}${showProvider && prov ? ` with ${prov}` : ''}${showLocation && loc ? ` at ${loc}` : ''}, ${fmtDayHeading(day)}`;
              return (
                <li key={slotKey(s)}>
                  <button
                    type="button"
                    className={`slot${isSel ? ' selected' : ''}`}
                    aria-pressed={isSel}
                    aria-label={label}
                    onClick={() => onPick(s)}
                  >
                    <span className="slot-time">{fmtTime(s.start, zone)}</span>
                    {showProvider && prov && <span className="slot-prov">{prov}</span>}
                    {showLocation && loc && <span className="slot-prov">{loc}</span>}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      {all.length > days && (
        <div>
          <button type="button" className="btn" onClick={() => setDays((d) => d + pageDays)}>
            Show more days ({all.length - days} more with open times)
          </button>
        </div>
      )}
    </div>
  );
}
