// No word an owner reads is written into the renderer's code: it comes from the catalogues in
// src-renderer/i18n/locales, in English, Portuguese (Brazil) and Spanish (test/support/ui-literals.ts
// says what counts as shown text).
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, findLiterals } from '../support/ui-literals';

const root = join(import.meta.dirname, '../..');

describe('the studio renderer', () => {
  // One case per file, so a failure names the file (and each screen's owner sees their own).
  for (const file of filesUnder(join(root, 'src-renderer'))) {
    it(`${relative(root, file)} has no user-visible text left in its code`, () => {
      const found = findLiterals(root, [file]);
      expect(found.map((l) => `line ${l.line} ${l.where}: "${l.text}"`)).toEqual([]);
    });
  }

  it('finds what it looks for (a sample with each kind of shown text)', () => {
    const found = findLiterals(root, [join(root, 'test/fixtures/ui-literals-sample.tsx')]);
    expect(found.map((l) => `${l.where} ${l.text}`)).toEqual([
      'sentence All changes saved',
      'document.title Studio',
      'toast message Saved',
      'toast label Undo',
      'notice Really delete?',
      'title= A title',
      'JSX text Hello there',
      'aria-label= Close it',
      'placeholder= Type here',
      'JSX child Yes',
      'JSX child No',
    ]);
  });
});
