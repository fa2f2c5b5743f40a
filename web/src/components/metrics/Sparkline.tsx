import { chartScales, linePath } from '../../lib/spc';

/** A tiny trend line (decorative: the tile states the value and variation in words). Gaps stay gaps. */
export function Sparkline({ values, cl, width = 120, height = 32 }: { values: (number | null)[]; cl?: number | null; width?: number; height?: number }) {
  const box = { width, height, top: 3, right: 3, bottom: 3, left: 3 };
  const s = chartScales(values.length, [values, cl === undefined ? [] : [cl]], box);
  const nums = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (!nums.length) return <svg className="sparkline" width={width} height={height} aria-hidden="true" focusable="false" />;
  const lastI = values.map((v, i) => (v === null ? -1 : i)).reduce((a, b) => Math.max(a, b), -1);
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" focusable="false">
      {cl !== undefined && cl !== null && <line x1={box.left} x2={width - box.right} y1={s.y(cl)} y2={s.y(cl)} className="spark-cl" />}
      <path d={linePath(values, s.x, s.y)} className="spark-line" fill="none" />
      {lastI >= 0 && <circle cx={s.x(lastI)} cy={s.y(values[lastI]!)} r="2.5" className="spark-last" />}
    </svg>
  );
}
