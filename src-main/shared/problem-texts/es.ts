import { en, type ProblemTexts } from './en';
export const es: ProblemTexts = en;
