import { describe, expect, it } from 'vitest';
import { createParser } from '../../../src/parsing/tree-sitter-grammars.ts';
import { compileFeedback, mismatchFeedback } from '../../../src/techniques/c2rust/c2rust-feedback.ts';
import { normalizeLinesStripped, outputMatches } from '../../../src/techniques/c2rust/output-match.ts';
import { assembleRustSource, type RustFileItems, rustFileItems } from '../../../src/techniques/c2rust/rust-items.ts';
import { countUnsafe } from '../../../src/techniques/c2rust/unsafe-census.ts';

async function parse<T>(source: string, use: (root: import('web-tree-sitter').Node) => T): Promise<T> {
  const parser = await createParser('rust');
  const tree = parser.parse(source)!;
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
    parser.delete();
  }
}

const UNSAFE_RUST = `
use std::mem;
extern "C" { fn puts(s: *const u8) -> i32; }
static mut COUNTER: i32 = 0;
union Bits { i: u32, f: f32 }
unsafe fn bump() { COUNTER += 1; }
fn main() {
    let x = 5;
    let p = &x as *const i32;
    let q = p as *const u8;
    let r = &x;
    println!("{}", *r);
    unsafe {
        let v = *p;
        bump();
        puts(q);
        let b = Bits { i: 1 };
        let f = b.f;
        let g: f32 = mem::transmute::<u32, f32>(7);
        let m = libc::malloc(4);
        println!("{} {} {} {:?} {}", v, f, g, m, COUNTER);
    }
}
`;

describe('Rust side (tree-sitter-rust): unsafe census, items, assembly, feedback', () => {
  it('counts each unsafe category by its syntactic definition', async () => {
    const census = await parse(UNSAFE_RUST, (root) => countUnsafe(root, UNSAFE_RUST));
    expect(census.categories).toEqual({
      RawPtrDeref: 1, // *p inside unsafe; *r outside unsafe is a reference
      MutGlobalAccess: 2, // COUNTER += 1, COUNTER read
      Alloc: 1, // libc::malloc
      ExternCall: 1, // puts
      UnsafeCast: 2, // p as *const u8, transmute (&x as *const i32 makes a pointer: not counted)
      ReadFromUnion: 1, // b.f
    });
    expect(census.unsafeBlocks).toBe(1);
    expect(census.unsafeFns).toBe(1);
    expect(census.staticMutItems).toBe(1);
    expect(census.unsafeLines).toBeGreaterThan(9);
    expect(census.unsafeLines).toBeLessThan(census.lines);
  });

  it('counts nothing in safe code', async () => {
    const safe = 'fn main() { let v = vec![1, 2]; let s: i32 = v.iter().sum(); println!("{}", s); }\n';
    const census = await parse(safe, (root) => countUnsafe(root, safe));
    expect(Object.values(census.categories).every((n) => n === 0)).toBe(true);
    expect(census.unsafeLines).toBe(0);
  });

  it('assembles units: attributes and uses once, later definitions replace earlier ones, one unit verbatim', async () => {
    const a = '#![allow(dead_code)]\nuse std::io;\n/// a point\nstruct P { x: i32 }\nfn f() -> i32 { 1 }\n';
    const b = 'use std::io;\nfn f() -> i32 { 2 }\nfn main() { println!("{}", f()); }\n';
    const items = async (text: string): Promise<RustFileItems> => parse(text, rustFileItems);
    const ia = await items(a);
    expect(ia.items.map((i) => [i.kind, i.name])).toEqual([
      ['struct', 'P'],
      ['fn', 'f'],
    ]);
    expect(ia.items[0]!.text).toBe('/// a point\nstruct P { x: i32 }');
    expect(ia.items[1]!.signature).toBe('fn f() -> i32;');
    const source = assembleRustSource(
      [
        { label: 'unit 1', file: ia, text: a },
        { label: 'unit 2', file: await items(b), text: b },
      ],
      { forbidUnsafe: true },
    );
    expect(source.startsWith('#![forbid(unsafe_code)]\n#![allow(dead_code)]\n')).toBe(true);
    expect(source.match(/use std::io;/g)).toHaveLength(1);
    expect(source).toContain('fn f() -> i32 { 2 }');
    expect(source).not.toContain('fn f() -> i32 { 1 }');
    expect(assembleRustSource([{ label: 'x', file: ia, text: a }], { forbidUnsafe: false })).toBe(a);
  });

  it("compares outputs by CodeNet's line-stripped rule and by exact stdout", () => {
    expect(normalizeLinesStripped(' 1 \r\n2\n', '')).toBe('1\n2');
    expect(outputMatches('lines-stripped', { stdout: '3 \n', stderr: '' }, { normalized: '3' })).toBe(true);
    expect(outputMatches('exact-stdout', { stdout: '3 \n', stderr: '' }, { stdout: '3\n' })).toBe(false);
  });

  it('feedback: the first errors with code, span and snippet; the failing input with expected and actual', () => {
    const text = compileFeedback(
      [
        { level: 'warning', message: 'unused' },
        {
          level: 'error',
          code: 'E0308',
          message: 'mismatched types',
          file: 'src/main.rs',
          line: 4,
          column: 9,
          snippet: '4 | let x: Min = f();',
        },
        { level: 'error', message: 'second' },
      ],
      1,
    );
    expect(text).toContain('error[E0308]: mismatched types at src/main.rs:4:9');
    expect(text).toContain('let x: Min = f();');
    expect(text).toContain('1 more error(s) not shown');
    expect(text).not.toContain('unused');
    const diff = mismatchFeedback(
      [{ input: { stdin: '3\n1 2 3\n' }, expected: '1\n2', actual: '1\n3', ending: 'panicked (exit code 101)' }],
      10,
    );
    expect(diff).toContain('on 1 of 10 test(s)');
    expect(diff).toContain('First differing line: 2 (expected "2", got "3")');
    expect(diff).toContain('panicked');
  });
});
