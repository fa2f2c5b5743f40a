import { describe, expect, it } from 'vitest';
import {
  CsvError,
  answerErrorItem,
  autoMatchColumns,
  builderErrorKey,
  fmtNps,
  fmtRate,
  fmtShare,
  guessColumn,
  importErrorKey,
  npsShares,
  parseCsvHeader,
  parseCsvRows,
  rejectedCount,
  splitTokens,
} from './surveys';

describe('CSV header (RFC 4180)', () => {
  it('reads plain names up to the first line break, CRLF, LF or CR', () => {
    expect(parseCsvHeader('id,date,q1\r\n1,2026-01-02,4\r\n')).toEqual(['id', 'date', 'q1']);
    expect(parseCsvHeader('id,date\n1,2')).toEqual(['id', 'date']);
    expect(parseCsvHeader('id,date\r1,2')).toEqual(['id', 'date']);
    expect(parseCsvHeader('only')).toEqual(['only']);
  });

  it('handles quotes: commas, doubled quotes and line breaks inside, and empty fields', () => {
    const text = '"Respondent ID","How often did nurses ""listen""?","Comment,\r\nif any",,last\r\nR1,4,"x"\r\n';
    expect(parseCsvHeader(text)).toEqual(['Respondent ID', 'How often did nurses "listen"?', 'Comment,\r\nif any', '', 'last']);
    expect(parseCsvHeader('a,b,\n1,2,3')).toEqual(['a', 'b', '']);
    expect(parseCsvHeader('"",b')).toEqual(['', 'b']);
  });

  it('keeps spaces, skips a byte-order mark, and gives nothing for an empty file or blank first line', () => {
    expect(parseCsvHeader('\uFEFFid, Dept \n')).toEqual(['id', ' Dept ']);
    expect(parseCsvHeader('')).toEqual([]);
    expect(parseCsvHeader('\r\nid,q1')).toEqual([]);
  });

  it('rejects an unclosed quote and text after a closing quote', () => {
    expect(() => parseCsvHeader('"id,q1\n1,2')).toThrow(CsvError);
    expect(() => parseCsvHeader('"id,q1\n1,2')).toThrow(/not closed/);
    expect(() => parseCsvHeader('"id"x,q1')).toThrow(/after a closing quote/);
  });

  it('reads several records, a quoted line break staying in its field', () => {
    expect(parseCsvRows('a,b\r\n"1\n2",3\r\n4,5', 10)).toEqual([
      ['a', 'b'],
      ['1\n2', '3'],
      ['4', '5'],
    ]);
    expect(parseCsvRows('a\nb\nc', 2)).toEqual([['a'], ['b']]);
  });
});

describe('column matching', () => {
  const items = [
    { id: 'nurse_courtesy', text: 'How often did nurses treat you with courtesy?' },
    { id: 'nurse_listen', text: 'How often did nurses listen carefully to you?' },
    { id: 'comment', text: 'Anything else?' },
  ];
  it('matches a header equal to the id or the question text, ignoring case and spaces, each column once', () => {
    const headers = ['Respondent', 'NURSE_COURTESY', '  how often did nurses LISTEN carefully to you? ', 'Other'];
    expect(autoMatchColumns(headers, items)).toEqual({ nurse_courtesy: 'NURSE_COURTESY', nurse_listen: '  how often did nurses LISTEN carefully to you? ' });
    // an id match wins; the same column is not offered twice
    expect(autoMatchColumns(['comment'], [{ id: 'x', text: 'comment' }, { id: 'comment', text: 'y' }])).toEqual({ comment: 'comment' });
  });
  it('guesses the respondent column and splits missing-value markers', () => {
    expect(guessColumn(['Visit Date', 'Respondent ID'], ['respondent_id'])).toBe('Respondent ID');
    expect(guessColumn(['a'], ['respondent_id'])).toBe('');
    expect(splitTokens(' NA, N/A ,,NA, -')).toEqual(['NA', 'N/A', '-']);
  });
});

describe('API error fields', () => {
  it('maps builder fields', () => {
    expect(builderErrorKey('items[2].kind')).toBe('items.2.kind');
    expect(builderErrorKey('items[0].boxes.top')).toBe('items.0.boxes');
    expect(builderErrorKey('measures[1].item_ids[0]')).toBe('measures.1');
    expect(builderErrorKey('measures[1].name')).toBe('measures.1.name');
    expect(builderErrorKey('id')).toBe('id');
    expect(builderErrorKey('nonsense')).toBeNull();
  });
  it('maps import fields by the position of what was sent', () => {
    expect(importErrorKey('mapping.items[1].column', ['q1', 'q2'], [])).toBe('item.q2');
    expect(importErrorKey('mapping.metadata[0].column', [], ['provider'])).toBe('meta.provider');
    expect(importErrorKey('mapping.respondent_id_column', [], [])).toBe('respondent_id_column');
    expect(importErrorKey('csv', [], [])).toBe('csv');
  });
  it('finds the item of a public answer error', () => {
    expect(answerErrorItem('answers.q2.value', [])).toBe('q2');
    expect(answerErrorItem('answers[1].value', [{ item_id: 'a' }, { item_id: 'b' }])).toBe('b');
    expect(answerErrorItem('answers', [])).toBeNull();
  });
});

describe('score formatting', () => {
  it('formats shares, rates and NPS', () => {
    expect(fmtShare(72.5)).toBe('73%');
    expect(fmtShare(null)).toBe('—');
    expect(fmtRate(0.372)).toBe('37%');
    expect(fmtRate(null)).toBe('—');
    expect(fmtNps(45)).toBe('+45');
    expect(fmtNps(-12.4)).toBe('−12');
    expect(fmtNps(0)).toBe('0');
    expect(rejectedCount([3, 5])).toBe(2);
    expect(rejectedCount(4)).toBe(4);
  });
  it('turns NPS groups into shares whether they come as percentages or counts', () => {
    expect(npsShares({ item_id: 'n', promoters: 60, passives: 25, detractors: 15, nps: 45 })).toEqual({ promoters: 60, passives: 25, detractors: 15 });
    expect(npsShares({ item_id: 'n', promoters: 6, passives: 3, detractors: 1, nps: 50 })).toEqual({ promoters: 60, passives: 30, detractors: 10 });
    expect(npsShares({ item_id: 'n', promoters: 0, passives: 0, detractors: 0, nps: null }).promoters).toBeNull();
  });
});
