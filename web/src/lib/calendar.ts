// Pure layout helpers for the day/week calendar.
import type { Appointment } from '../api/types';
import { minuteOfDay } from './time';

export interface PlacedEvent {
  appt: Appointment;
  startMin: number;
  endMin: number;
  lane: number;
  lanes: number;
}

/**
 * Place events of one column into side-by-side lanes so overlapping ones don't cover each other.
 * Events are grouped into clusters of transitive overlap; each cluster gets as many lanes as it needs.
 */
export function layoutColumn(appts: Appointment[], zone?: string): PlacedEvent[] {
  const evs = appts
    .map((a) => {
      const startMin = minuteOfDay(a.start, zone);
      let endMin = minuteOfDay(a.end, zone);
      if (endMin <= startMin) endMin = Math.max(startMin + 10, endMin === 0 ? 24 * 60 : startMin + 10);
      return { appt: a, startMin, endMin, lane: 0, lanes: 1 };
    })
    .sort((x, y) => x.startMin - y.startMin || y.endMin - x.endMin);

  const out: PlacedEvent[] = [];
  let cluster: PlacedEvent[] = [];
  let laneEnds: number[] = [];
  let clusterEnd = -1;
  const flush = () => {
    for (const e of cluster) e.lanes = laneEnds.length;
    out.push(...cluster);
    cluster = [];
    laneEnds = [];
  };
  for (const e of evs) {
    if (cluster.length && e.startMin >= clusterEnd) flush();
    let lane = laneEnds.findIndex((end) => end <= e.startMin);
    if (lane < 0) {
      lane = laneEnds.length;
      laneEnds.push(e.endMin);
    } else laneEnds[lane] = e.endMin;
    e.lane = lane;
    cluster.push(e);
    clusterEnd = Math.max(clusterEnd, e.endMin);
  }
  if (cluster.length) flush();
  return out;
}

/** Visible hour range: default 7–19, widened to fit every event. */
export function hourRange(appts: Appointment[], zone?: string, def: [number, number] = [7, 19]): [number, number] {
  let [lo, hi] = def;
  for (const a of appts) {
    const s = minuteOfDay(a.start, zone);
    let e = minuteOfDay(a.end, zone);
    if (e <= s) e = 24 * 60;
    lo = Math.min(lo, Math.floor(s / 60));
    hi = Math.max(hi, Math.ceil(e / 60));
  }
  return [Math.max(0, lo), Math.min(24, hi)];
}
