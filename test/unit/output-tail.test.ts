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
});
