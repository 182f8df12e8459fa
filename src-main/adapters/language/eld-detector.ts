// Language identification with `eld` (Efficient Language Detector, maintained, no native parts):
// the language a customer writes in, among the languages a flow speaks. Measured on short
// WhatsApp-style messages (bench/language-detection.ts): the large n-gram database restricted
// to the flow's languages (its subset feature) does best; a one-word greeting ("oi", "hi") is
// looked up in GREETINGS first, as no n-gram model can tell those apart, and a result eld itself
// calls unreliable counts as undecided (the conversation waits for a clearer message).
import { eld } from 'eld';
import type { LanguageDetector } from '../../runtime/ports';
import { baseLanguage, closestLanguage } from '../../shared/flow-translations';
import { fold } from '../../core/fold-text';
import { GREETINGS } from './greetings';

/** The database size eld loads: the largest is the most accurate on short texts (about 140 MB of memory). */
export type EldDatabase = 'large' | 'medium' | 'small' | 'extrasmall';

type EldInstance = ReturnType<typeof eld.newInstance> & { load(size?: string): Promise<unknown> };

/** One loaded database per size per process, shared by every conversation. */
const loaded = new Map<EldDatabase, Promise<EldInstance>>();

function database(size: EldDatabase): Promise<EldInstance> {
  let instance = loaded.get(size);
  if (!instance) {
    const detector = eld.newInstance() as EldInstance;
    instance = detector.load(size).then(() => detector);
    loaded.set(size, instance);
  }
  return instance;
}

export interface EldDetectorOptions {
  database?: EldDatabase;
  /** Look greetings up before the n-gram model (default true). */
  greetings?: boolean;
}

export function createEldDetector(options: EldDetectorOptions = {}): LanguageDetector {
  const size = options.database ?? 'large';
  return {
    async detect(text, languages) {
      const bases = [...new Set(languages.map(baseLanguage))];
      const greeting = options.greetings === false ? undefined : greetingLanguage(text, bases);
      if (greeting) return closestLanguage(languages, greeting);
      const detector = await database(size);
      // The subset is the instance's state: set and used within one synchronous turn.
      detector.setLanguageSubset(bases);
      const found = detector.detect(text);
      // Unreliable ("c1", "A100", "ok"): undecided, so the next message may decide, rather than a guess.
      return found.language && found.isReliable() ? closestLanguage(languages, found.language) : undefined;
    },
  };
}

const words = (text: string): string => fold(text).replace(/[^\p{L}\s]/gu, ' ').replace(/\s+/g, ' ').trim();

/** The one language among `bases` whose greeting the whole message is; undefined when none or several. */
export function greetingLanguage(text: string, bases: readonly string[]): string | undefined {
  const said = words(text);
  if (said === '') return undefined;
  const fits = bases.filter((base) => (GREETINGS[base] ?? []).some((g) => words(g) === said));
  return fits.length === 1 ? fits[0] : undefined;
}
