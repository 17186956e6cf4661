import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The README is what a newcomer has: every file it links or names must exist in the repository, and it must
 * not point at the maintainers' research/ or ../shared folders, which users do not have.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Paths generated at run time or by installs, and patterns with placeholders: not files to look for. */
const GENERATED = /^(reports\/|node_modules\/|data\/store\/)|[<>:*[\]]/;

/** Relative markdown link targets, without anchors; web links and in-page anchors are not files. */
function linkTargets(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!.split('#')[0]!)
    .filter((t) => t !== '' && !/^[a-z]+:/i.test(t));
}

/** Repository paths named in code spans, e.g. `src/model/ai.ts` or `data/fleets/`. */
function namedPaths(markdown: string): string[] {
  const roots = '(?:src|data|notebooks|bench|bin|reports|\\.ci|node_modules)';
  return [...markdown.matchAll(new RegExp('`(' + roots + '/[^`\\s]*)`', 'g'))].map((m) => m[1]!);
}

test('every relative link in the README resolves to a file in the repository', () => {
  const missing = linkTargets(README).filter((t) => !existsSync(join(ROOT, t)));
  assert.deepEqual(missing, []);
});

test('every repository path the README names in code exists (generated paths aside)', () => {
  const named = namedPaths(README).filter((p) => !GENERATED.test(p));
  assert.ok(named.length >= 10, `the README names ${named.length} paths; expected the layout section's`);
  assert.deepEqual(
    named.filter((p) => !existsSync(join(ROOT, p))),
    [],
  );
});

test('the README does not point at the maintainers-only research/ or ../shared folders', () => {
  const hits = README.split('\n').filter((l) => /(^|[\s(`'"])(\.\.\/shared\/|research\/)/.test(l));
  assert.deepEqual(hits, []);
});

test('the link and path scanners find what they should (a broken link would be caught)', () => {
  assert.deepEqual(linkTargets('see [a](docs/x.md#top), [b](https://x.org), [c](#here)'), ['docs/x.md']);
  assert.deepEqual(namedPaths('run `src/cli/main.ts` and `npm test`, read `data/x.json`'), [
    'src/cli/main.ts',
    'data/x.json',
  ]);
  assert.ok(!existsSync(join(ROOT, 'src/no-such-file.ts')));
});
