// The stemmer of a collection's language (@orama/stemmers, Snowball-derived), by BCP 47 tag.
// A language without one (Japanese, Chinese, ...) is indexed by its words (or character pairs) unstemmed.
import type { Stemmer } from '../../core/knowledge/search-terms';
import { stemmer as arabic } from '@orama/stemmers/arabic';
import { stemmer as danish } from '@orama/stemmers/danish';
import { stemmer as dutch } from '@orama/stemmers/dutch';
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as finnish } from '@orama/stemmers/finnish';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as greek } from '@orama/stemmers/greek';
import { stemmer as hungarian } from '@orama/stemmers/hungarian';
import { stemmer as indonesian } from '@orama/stemmers/indonesian';
import { stemmer as italian } from '@orama/stemmers/italian';
import { stemmer as norwegian } from '@orama/stemmers/norwegian';
import { stemmer as portuguese } from '@orama/stemmers/portuguese';
import { stemmer as romanian } from '@orama/stemmers/romanian';
import { stemmer as russian } from '@orama/stemmers/russian';
import { stemmer as spanish } from '@orama/stemmers/spanish';
import { stemmer as swedish } from '@orama/stemmers/swedish';
import { stemmer as turkish } from '@orama/stemmers/turkish';
import { stemmer as ukrainian } from '@orama/stemmers/ukrainian';

const BY_LANGUAGE: Record<string, Stemmer> = {
  ar: arabic, da: danish, nl: dutch, en: english, fi: finnish, fr: french, de: german, el: greek,
  hu: hungarian, id: indonesian, it: italian, no: norwegian, nb: norwegian, nn: norwegian,
  pt: portuguese, ro: romanian, ru: russian, es: spanish, sv: swedish, tr: turkish, uk: ukrainian,
};

const unstemmed: Stemmer = (word) => word;

/** The stemmer for a language tag ("pt-BR" uses Portuguese's); words unchanged when there is none. */
export function stemmerFor(language: string | undefined): Stemmer {
  const base = (language ?? 'en').split('-')[0]!.toLowerCase();
  return BY_LANGUAGE[base] ?? unstemmed;
}
