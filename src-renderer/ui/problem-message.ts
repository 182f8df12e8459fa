// A validator problem in the studio's language: the problem's key and parameters put into words
// from shared/problem-texts (the same catalogue the CLI's English comes from). Problems without
// a key (a file that does not parse) keep their English message.
import { formatProblemText } from '../../src-main/shared/problem-texts';
import type { Problem } from '../../src-main/shared/problem';
import { uiLanguage } from '../i18n';

export function problemMessage(problem: Pick<Problem, 'message' | 'text'>, language: string = uiLanguage()): string {
  return problem.text ? formatProblemText(problem.text, language) : problem.message;
}
