import { en, type ProblemTexts } from './en';
export const ptBR: ProblemTexts = en;
