import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitPrompt } from '../../src/shared/prompt/frontmatter';
import { parsePromptFileName } from '../../src/shared/prompt/fileName';

test('frontmatter range excludes both fences; body is trimmed and its offset kept', () => {
  const src = '---\nmodel: m\n---\n\n  Hello {{name}}\n\n';
  const s = splitPrompt(src);
  assert.deepEqual(s.frontmatter, { start: 4, end: 12 });
  assert.equal(src.slice(4, 12), 'model: m');
  assert.deepEqual(s.body, { start: 20, text: 'Hello {{name}}' });
  assert.deepEqual(s.diagnostics, []);
});

test('CRLF line endings and trailing spaces after the fences', () => {
  const src = '---  \r\na: 1\r\n---\t\r\nbody\r\n';
  const s = splitPrompt(src);
  assert.equal(src.slice(s.frontmatter!.start, s.frontmatter!.end), 'a: 1');
  assert.deepEqual(s.body, { start: 19, text: 'body' });
});

test('empty frontmatter and no frontmatter', () => {
  assert.deepEqual(splitPrompt('---\n---\nx').frontmatter, { start: 4, end: 4 });
  assert.deepEqual(splitPrompt('Just text\n'), { body: { start: 0, text: 'Just text' }, diagnostics: [] });
});

test('an unclosed frontmatter is reported on the opening fence', () => {
  const s = splitPrompt('---\nmodel: m\nHello');
  assert.equal(s.frontmatter, undefined);
  assert.deepEqual(s.diagnostics.map((d) => [d.code, d.start, d.end]), [['frontmatter-unclosed', 0, 3]]);
});

test('file names give name, variant and partial flag like Dotprompt', () => {
  assert.deepEqual(parsePromptFileName('/x/hello.prompt'), { name: 'hello', isPartial: false });
  assert.deepEqual(parsePromptFileName('hello.en.prompt'), { name: 'hello', variant: 'en', isPartial: false });
  assert.deepEqual(parsePromptFileName('C:\\p\\_header.prompt'), { name: 'header', isPartial: true });
});
