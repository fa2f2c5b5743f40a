import { describe, expect, it } from 'vitest';
import { SseParser, parseSse, readSseStream, type SseEvent } from './sse';

describe('SSE parser', () => {
  it('parses event/data blocks and ignores comments', () => {
    const evs = parseSse(': keep-alive\n\nevent: board\ndata: {"a":1}\n\n: ping\n\n');
    expect(evs).toEqual([{ event: 'board', data: '{"a":1}' }]);
  });

  it('joins multi-line data and defaults the event name to "message"', () => {
    expect(parseSse('data: line one\ndata: line two\n\n')).toEqual([{ event: 'message', data: 'line one\nline two' }]);
  });

  it('handles chunks split anywhere, including inside CRLF', () => {
    const text = 'event: board\r\ndata: {"x":"y"}\r\n\r\nevent: board\r\ndata: 2\r\n\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const out = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(out.map((e) => e.data)).toEqual(['{"x":"y"}', '2']);
    }
  });

  it('feeds one character at a time', () => {
    const p = new SseParser();
    const out: SseEvent[] = [];
    for (const ch of 'event: board\ndata: hello\n\n') out.push(...p.push(ch));
    expect(out).toEqual([{ event: 'board', data: 'hello' }]);
  });

  it('drops one leading space only, keeps id and retry, and ignores blocks without data', () => {
    const evs = parseSse('id: 7\nretry: 3000\nevent: board\ndata:  two spaces\n\nevent: lonely\n\n');
    expect(evs).toEqual([{ event: 'board', data: ' two spaces', id: '7', retry: 3000 }]);
  });

  it('does not dispatch an unterminated final block', () => {
    const p = new SseParser();
    expect(p.push('event: board\ndata: partial')).toEqual([]);
    expect(p.end()).toEqual([]);
  });

  it('reads a fetch body stream (UTF-8 split across chunks)', async () => {
    const bytes = new TextEncoder().encode('event: board\ndata: {"name":"Zoë"}\n\n: c\n\nevent: board\ndata: {"n":2}\n\n');
    const chunks = [bytes.slice(0, 27), bytes.slice(27, 29), bytes.slice(29)];
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        chunks.forEach((ch) => c.enqueue(ch));
        c.close();
      },
    });
    const got: SseEvent[] = [];
    await readSseStream(stream, (e) => got.push(e));
    expect(got.map((e) => JSON.parse(e.data))).toEqual([{ name: 'Zoë' }, { n: 2 }]);
  });

  it('stops reading when aborted', async () => {
    let ctl!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({ start: (c) => void (ctl = c) });
    const abort = new AbortController();
    const got: SseEvent[] = [];
    const done = readSseStream(stream, (e) => got.push(e), abort.signal);
    ctl.enqueue(new TextEncoder().encode('event: board\ndata: 1\n\n'));
    await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await done;
    expect(got).toHaveLength(1);
  });
});
