import { describe, expect, it } from 'vitest';
import { OutputTail } from '../../harness/target/output-tail.js';

describe('OutputTail', () => {
  it('joins lines split across chunks', () => {
    const tail = new OutputTail();
    tail.push('listen');
    tail.push('ing on 8443\nre');
    tail.push(Buffer.from('ady\n'));
    expect(tail.last()).toEqual(['listening on 8443', 'ready']);
  });

  it('keeps only the last N lines', () => {
    const tail = new OutputTail(3);
    tail.push('1\n2\n3\n');
    tail.push('4\n5');
    tail.push('\n6\n');
    expect(tail.last()).toEqual(['4', '5', '6']);
  });

  it('splits CRLF, also when the CR and LF arrive in different chunks', () => {
    const tail = new OutputTail();
    tail.push('a\r\nb\r');
    tail.push('\nc\r\n');
    expect(tail.last()).toEqual(['a', 'b', 'c']);
  });

  it('includes the unterminated last line', () => {
    const tail = new OutputTail(2);
    tail.push('one\ntwo\nthree');
    expect(tail.last()).toEqual(['two', 'three']);
    expect(tail.last(1)).toEqual(['three']);
    tail.push(' and more\n');
    expect(tail.last()).toEqual(['two', 'three and more']);
  });

  it('last(count) returns at most count lines', () => {
    const tail = new OutputTail();
    tail.push('a\nb\nc\n');
    expect(tail.last(2)).toEqual(['b', 'c']);
    expect(tail.last(10)).toEqual(['a', 'b', 'c']);
  });

  it('keeps empty lines but returns nothing before any output', () => {
    const tail = new OutputTail();
    expect(tail.last()).toEqual([]);
    tail.push('a\n\nb\n');
    expect(tail.last()).toEqual(['a', '', 'b']);
  });

  // process.ts pushes raw pipe Buffers: a UTF-8 character may be split across two of them.
  it('decodes a multi-byte character split across Buffer chunks', () => {
    const tail = new OutputTail();
    const bytes = Buffer.from('café ok\n');
    const cut = bytes.indexOf(0xa9); // second byte of é
    tail.push(bytes.subarray(0, cut));
    tail.push(bytes.subarray(cut));
    expect(tail.last()).toEqual(['café ok']);
  });

  it('cuts an over-long line, keeping its start and how many bytes were cut', () => {
    const tail = new OutputTail(10, 8);
    tail.push('0123456789abc');
    expect(tail.last()).toEqual(['01234567…[cut: 5 more bytes]']);
    tail.push('def\nnext\n');
    expect(tail.last()).toEqual(['01234567…[cut: 8 more bytes]', 'next']);
  });

  it('drops a character the cut splits instead of printing half of it', () => {
    const tail = new OutputTail(10, 4);
    tail.push('abcé and more\n'); // é is bytes 4–5: the cut falls inside it
    expect(tail.last()).toEqual(['abc…[cut: 10 more bytes]']);
  });

  it('keeps the streams apart: an unfinished stdout line is not joined with stderr', () => {
    const tail = new OutputTail();
    tail.push('half of a', 'stdout');
    tail.push('warning\n', 'stderr');
    tail.push(' line\n', 'stdout');
    expect(tail.last()).toEqual(['warning', 'half of a line']);
  });

  // Output a listener prints without end (a debug dump, a binary by mistake) must cost neither
  // quadratic time nor memory in proportion to it.
  it('stays bounded on megabytes without a newline, and on many short lines', () => {
    const tail = new OutputTail(200, 1024);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (let i = 0; i < 80; i++) tail.push(chunk); // 5 MiB, one unfinished line
    const [line] = tail.last();
    expect(line).toBe(`${'x'.repeat(1024)}…[cut: ${80 * 64 * 1024 - 1024} more bytes]`);
    const lines = new OutputTail(3, 1024);
    for (let i = 0; i < 100_000; i++) lines.push(`line ${i}\n`);
    expect(lines.last()).toEqual(['line 99997', 'line 99998', 'line 99999']);
    expect((lines as unknown as { lines: string[] }).lines.length).toBeLessThanOrEqual(6);
  });
});
