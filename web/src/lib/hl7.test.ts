import { describe, expect, it } from 'vitest';
import { fieldIndex, hl7Segments, locate, parseHl7Location } from './hl7';

const ADT =
  '\uFEFFMSH|^~\\&|EPIC|RIV|CAREDESK|RIV|20261122083000||ADT^A08|MSG0001|P|2.5.1\r' +
  'EVN|A08|20261122083000\r\n' +
  'PID|1||12345^^^RIV^MR||Lopez^Maria||19800230|F\n' +
  'OBX|1|NM|8302-2||170\r' +
  'OBX|2|NM|29463-7||70\r';

describe('hl7Segments', () => {
  it('splits on CR, LF and CRLF, drops the byte-order mark and counts repeated segments', () => {
    const s = hl7Segments(ADT);
    expect(s.map((x) => `${x.id}${x.occurrence}`)).toEqual(['MSH1', 'EVN1', 'PID1', 'OBX1', 'OBX2']);
    expect(s[0].fields[8]).toBe('ADT^A08');
    expect(s[2].fields[7]).toBe('19800230');
  });

  it('uses the field separator the message declares', () => {
    const s = hl7Segments('MSH#^~\\&#APP\rPID#1##42');
    expect(s[1].fields).toEqual(['PID', '1', '', '42']);
  });
});

describe('parseHl7Location', () => {
  it('reads segment, occurrence and field', () => {
    expect(parseHl7Location('PID-7')).toEqual({ segment: 'PID', occurrence: 1, field: 7 });
    expect(parseHl7Location('MSH[1]-9')).toEqual({ segment: 'MSH', occurrence: 1, field: 9 });
    expect(parseHl7Location('OBX[2]-5-1')).toEqual({ segment: 'OBX', occurrence: 2, field: 5 });
    expect(parseHl7Location('PID-3(1)-1')).toEqual({ segment: 'PID', occurrence: 1, field: 3 });
    expect(parseHl7Location('PV1')).toEqual({ segment: 'PV1', occurrence: 1, field: undefined });
  });

  it('is undefined for text that is not a location', () => {
    expect(parseHl7Location('')).toBeUndefined();
    expect(parseHl7Location(null)).toBeUndefined();
    expect(parseHl7Location('body')).toBeUndefined();
  });
});

describe('locate', () => {
  it('maps MSH fields one place lower than other segments', () => {
    expect(fieldIndex('MSH', 9)).toBe(8);
    expect(fieldIndex('PID', 7)).toBe(7);
    const [msh, , pid, obx1, obx2] = hl7Segments(ADT);
    expect(locate(pid, parseHl7Location('PID-7'))).toEqual({ segment: true, index: 7 });
    expect(locate(msh, parseHl7Location('PID-7'))).toEqual({ segment: false });
    expect(locate(msh, parseHl7Location('MSH-9'))).toEqual({ segment: true, index: 8 });
    expect(locate(obx1, parseHl7Location('OBX[2]-5'))).toEqual({ segment: false });
    expect(locate(obx2, parseHl7Location('OBX[2]-5'))).toEqual({ segment: true, index: 5 });
  });
});
