import { describe, expect, it } from 'vitest';
import { scrubVolatile, scrubWorkdir } from '../../src/execution/scrub-volatile.ts';

describe('scrubVolatile', () => {
  it('keeps only the file name of an absolute path and drops object addresses', () => {
    expect(scrubVolatile('File "/tmp/refinery-x1/main.py", line 3 <Foo object at 0x7f00aa>')).toBe(
      'File "<path>/main.py", line 3 <Foo object>',
    );
    expect(scrubVolatile('/usr/lib/python3.12/json/decoder.py:355\n(/a/b/c.txt)')).toBe(
      '<path>/decoder.py:355\n(<path>/c.txt)',
    );
  });

  it('leaves relative paths, URLs and a lone root-level name alone', () => {
    const text = 'src/app.py:3 http://example.com/a/b /etc';
    expect(scrubVolatile(text)).toBe(text);
  });
});

describe('scrubWorkdir', () => {
  const workdir = '/tmp/refinery-run-7/w';

  it('makes paths inside the working directory relative and the directory itself `.`', () => {
    expect(scrubWorkdir(`${workdir}/main.c:4:5: error\ncwd=${workdir}`, workdir)).toBe('main.c:4:5: error\ncwd=.');
  });

  it('drops file:// URLs of the working directory only when asked', () => {
    const text = `at file://${workdir}/main.mjs:2:9`;
    expect(scrubWorkdir(text, workdir)).toBe('at file://main.mjs:2:9');
    expect(scrubWorkdir(text, workdir, { fileUrls: true })).toBe('at main.mjs:2:9');
  });
});
