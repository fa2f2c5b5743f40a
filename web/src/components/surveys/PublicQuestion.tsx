import type { PublicSurveyItem } from '../../api/types';
import { SCALE_ENDS, isZeroToTen } from '../../lib/surveys';

interface Props {
  item: PublicSurveyItem;
  number: number;
  value: number | undefined;
  text: string;
  error?: string;
  onValue: (v: number | undefined) => void;
  onText: (t: string) => void;
}
export const MAX_ANSWER_TEXT = 5000;
const safe = (id: string) => id.replace(/[^a-zA-Z0-9_-]/g, '-');
export const questionDomId = (itemId: string) => `sq-${safe(itemId)}`;

/** One survey question for patients: a fieldset whose legend is the question; radios, or a text box for free text. */
export function PublicQuestion({ item, number, value, text, error, onValue, onText }: Props) {
  const base = questionDomId(item.id);
  const legendId = `${base}-legend`;
  const errId = error ? `${base}-error` : undefined;
  const options = item.options ?? [];

  if (item.kind === 'free_text') {
    const hintId = `${base}-hint`;
    return (
      <fieldset className={`pq${error ? ' has-error' : ''}`} id={base} tabIndex={-1}>
        <legend id={legendId}>
          <span className="pq-num">{number}.</span> {item.text}
        </legend>
        <textarea
          id={`${base}-text`}
          rows={5}
          maxLength={MAX_ANSWER_TEXT}
          value={text}
          aria-labelledby={legendId}
          aria-describedby={[errId, hintId].filter(Boolean).join(' ')}
          aria-invalid={error ? true : undefined}
          onChange={(e) => onText(e.target.value)}
        />
        <div className="hint" id={hintId}>
          Optional. Please don’t include other people’s names or private details.
        </div>
        {error && (
          <div className="field-error" id={errId}>
            {error}
          </div>
        )}
      </fieldset>
    );
  }

  const scale = isZeroToTen(item.kind);
  const sorted = scale ? [...options].sort((a, b) => a.value - b.value) : options;
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  const endLabel = (o: typeof lo | undefined, fallback: string) => (o && o.label && o.label !== String(o.value) ? o.label.replace(/^\d+\s*[-–:]?\s*/, '') : fallback);
  const ends = SCALE_ENDS[item.kind] ?? ['Lowest', 'Highest'];
  const loText = endLabel(lo, ends[0]);
  const hiText = endLabel(hi, ends[1]);
  const loId = `${base}-lo`;
  const hiId = `${base}-hi`;
  const name = `${base}-answer`;

  return (
    <fieldset className={`pq${error ? ' has-error' : ''}`} id={base} tabIndex={-1} aria-describedby={errId}>
      <legend id={legendId}>
        <span className="pq-num">{number}.</span> {item.text}
      </legend>
      {scale ? (
        <>
          <div className="pq-scale">
            {sorted.map((o) => {
              const rid = `${base}-v${o.value}`;
              const desc = o === lo ? loId : o === hi ? hiId : undefined;
              return (
                <label key={o.value} className={`pq-scale-opt${value === o.value ? ' is-checked' : ''}`} htmlFor={rid}>
                  <input
                    id={rid}
                    type="radio"
                    name={name}
                    value={o.value}
                    checked={value === o.value}
                    aria-describedby={desc}
                    aria-invalid={error ? true : undefined}
                    onChange={() => onValue(o.value)}
                  />
                  <span>{o.value}</span>
                </label>
              );
            })}
          </div>
          <div className="pq-scale-ends">
            <span id={loId}>
              {lo?.value ?? 0} = {loText}
            </span>
            <span id={hiId}>
              {hi?.value ?? 10} = {hiText}
            </span>
          </div>
        </>
      ) : (
        <div className="pq-options">
          {sorted.map((o) => {
            const rid = `${base}-v${o.value}`;
            return (
              <label key={o.value} className={`pq-option${value === o.value ? ' is-checked' : ''}`} htmlFor={rid}>
                <input id={rid} type="radio" name={name} value={o.value} checked={value === o.value} aria-invalid={error ? true : undefined} onChange={() => onValue(o.value)} />
                <span>{o.label || o.value}</span>
              </label>
            );
          })}
        </div>
      )}
      {value !== undefined && (
        <button
          type="button"
          className="btn-link pq-clear"
          onClick={() => {
            onValue(undefined);
            // the button goes away with the answer: keep the focus in the question
            setTimeout(() => document.getElementById(`${base}-v${sorted[0]?.value}`)?.focus(), 0);
          }}
        >
          Clear my answer{' '}<span className="sr-only">to question {number}</span>
        </button>
      )}
      {error && (
        <div className="field-error" id={errId}>
          {error}
        </div>
      )}
    </fieldset>
  );
}
