// Words too common to say what a question is about ("de", "the", "que"): left out of the search
// so that a question about something the documents never mention finds nothing (an AI step can
// then say it does not know). Compared lowercase and without accents. Short, hand-picked lists.
const LISTS: Record<string, string> = {
  en: 'a an and are as at be but by can could do does did for from have has had how i if in is it its me my no not of on or our so that the their them then there these they this to was we were what when where which who why will with would you your yours do you there any some',
  pt: 'a as o os um uma uns umas e ou de da das do dos em na nas no nos num numa por para pra pelo pela pelos pelas com sem que qual quais quando onde como quanto quanta quantos quantas se ao aos a voce voces vc vcs eu me meu minha meus minhas nos nosso nossa seu sua seus suas ele ela eles elas isso isto esse essa este esta aquele aquela ja mais muito tem ter tinha ha e sao foi ser esta estao estou vou vai sim nao la aqui ai tambem so ate',
  es: 'a al el la los las un una unos unas y o u de del en con sin por para que cual cuales cuando donde como cuanto cuanta cuantos cuantas se su sus yo me mi mis tu tus usted ustedes nos nuestro nuestra es son fue ser esta estan estoy hay tiene tienen lo le les ya mas muy si no tambien solo hasta',
  fr: 'a au aux le la les un une des et ou de du en dans par pour que qui quoi quel quelle quand ou comment combien se sa son ses je me mon ma mes tu vous nous notre est sont etre avez avons il elle ils elles ce cet cette ne pas plus tres oui non aussi',
  de: 'der die das den dem des ein eine einen einem und oder in im an am auf aus bei mit von zu zum zur fur fuer ist sind war sein haben hat habe ich du sie er es wir ihr mein dein unser wie was wer wann wo warum welche welcher nicht kein keine ja nein auch nur bis',
  it: 'il lo la i gli le un una uno e o di del della dei delle in nel nella con per che chi cosa quale quando dove come quanto si suo sua io mi mio mia tu voi noi nostro e sono era essere ha hanno non piu molto anche solo fino',
};

const SETS = new Map(Object.entries(LISTS).map(([language, words]) => [language, new Set(words.split(' '))]));

/** Whether `word` (lowercase, accents removed) is a stop word of the language ("pt-BR" uses Portuguese's). */
export function isStopWord(word: string, language: string | undefined): boolean {
  const base = (language ?? 'en').split('-')[0]!.toLowerCase();
  return SETS.get(base)?.has(word) ?? false;
}
