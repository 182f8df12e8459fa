import type { CustomerTexts } from './catalogue';

export const it: CustomerTexts = {
  failure: 'Ci dispiace, qualcosa è andato storto da parte nostra. Riprova più tardi.',
  llmFallback: 'Mi dispiace, non sono riuscito a completare. Un collega ti aiuterà.',
  knowledgeUnknown: 'Mi dispiace, non conosco la risposta. Un collega ti aiuterà.',
  textOnly: 'Mi dispiace, posso leggere solo messaggi di testo. Scrivi la tua domanda, per favore.',
  confirmHint: 'Rispondi SÌ per confermare o NO per annullare.',
  confirmIntroOne: 'Prima di procedere, conferma per favore:',
  confirmIntroMany: 'Prima di procedere con queste azioni, conferma per favore:',
  retry: 'Scusa, non ho capito. {question}',
  callHeading: 'Azione: {tool} ({server})',
  noDetails: '• (nessun dettaglio)',
  choiceOption: '{number}. {option}',
  handoff: 'Un collega continuerà questa conversazione a breve.',
  confirmQuestion: 'Procedo?',
  declined: 'Va bene, non lo faccio.',
  away: 'Al momento siamo chiusi. Ti risponderemo appena torniamo.',
  yesWords: ['sì', 'si', 's', 'certo', 'va bene', 'ok', 'okay', 'confermo', 'confermato', 'confermare', 'yes'],
  noWords: ['no', 'n', 'annulla', 'annullare'],
};
