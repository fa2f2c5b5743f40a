// Reading an HL7 v2 message (ER7 text) for display: its segments and fields, and where an error
// location such as "PID-7" or "MSH[1]-9" points. Display only: the server parses for real.

export interface Hl7Segment {
  /** "MSH", "PID", … */
  id: string;
  /** Which occurrence of this segment id, from 1 ("OBX" 1, 2, …). */
  occurrence: number;
  /** The segment's fields split on the field separator; fields[0] is the segment id. */
  fields: string[];
}

export interface Hl7Location {
  segment: string;
  occurrence: number;
  /** Field number as HL7 counts it (PID-7 → 7); undefined when the location names only a segment. */
  field?: number;
}

/** Segments of a message; CR, LF and CRLF all end a segment, a leading byte-order mark is dropped. */
export function hl7Segments(raw: string): Hl7Segment[] {
  const text = raw.replace(/^\uFEFF/, '');
  const mshAt = text.indexOf('MSH');
  const sep = mshAt >= 0 && text.length > mshAt + 3 ? text[mshAt + 3] : '|';
  const seen = new Map<string, number>();
  const out: Hl7Segment[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === '') continue;
    const fields = line.split(sep);
    const id = fields[0];
    const occurrence = (seen.get(id) ?? 0) + 1;
    seen.set(id, occurrence);
    out.push({ id, occurrence, fields });
  }
  return out;
}

/** "PID-7", "PID-3(1)-1", "MSH[1]-9", "PV1" → its parts; undefined for anything else. */
export function parseHl7Location(text: string | null | undefined): Hl7Location | undefined {
  const m = /^([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?(?:-(\d+))?/.exec((text ?? '').trim());
  if (!m) return undefined;
  const field = m[3] !== undefined ? Number(m[3]) : undefined;
  return { segment: m[1], occurrence: m[2] !== undefined ? Number(m[2]) : 1, field: field && field > 0 ? field : undefined };
}

/**
 * The index in `segment.fields` of HL7 field `n`. MSH-1 is the field separator itself, so MSH's
 * fields sit one place lower than other segments' (MSH-9 is fields[8], PID-7 is fields[7]).
 */
export function fieldIndex(segmentId: string, n: number): number {
  return segmentId === 'MSH' ? n - 1 : n;
}

/** Whether `loc` points into this segment (and, when it names a field, which index). */
export function locate(segment: Hl7Segment, loc: Hl7Location | undefined): { segment: boolean; index?: number } {
  if (!loc || loc.segment !== segment.id || loc.occurrence !== segment.occurrence) return { segment: false };
  if (loc.field === undefined) return { segment: true };
  return { segment: true, index: fieldIndex(segment.id, loc.field) };
}
