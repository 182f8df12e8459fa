import type { CustomerTexts } from './catalogue';

export const de: CustomerTexts = {
  failure: 'Entschuldigung, bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es später noch einmal.',
  llmFallback: 'Entschuldigung, das konnte ich nicht abschließen. Eine Kollegin oder ein Kollege hilft Ihnen weiter.',
  knowledgeUnknown: 'Entschuldigung, darauf weiß ich keine Antwort. Eine Kollegin oder ein Kollege hilft Ihnen weiter.',
  textOnly: 'Entschuldigung, ich kann nur Textnachrichten lesen. Bitte schreiben Sie Ihre Frage.',
  confirmHint: 'Antworten Sie JA zum Bestätigen oder NEIN zum Abbrechen.',
  confirmIntroOne: 'Bevor ich das tue, bestätigen Sie bitte:',
  confirmIntroMany: 'Bevor ich das alles tue, bestätigen Sie bitte:',
  retry: 'Entschuldigung, das habe ich nicht verstanden. {question}',
  callHeading: 'Aktion: {tool} ({server})',
  noDetails: '• (keine Details)',
  choiceOption: '{number}. {option}',
  handoff: 'Eine Kollegin oder ein Kollege übernimmt dieses Gespräch gleich.',
  confirmQuestion: 'Soll ich fortfahren?',
  declined: 'In Ordnung, das mache ich nicht.',
  away: 'Wir haben gerade geschlossen. Wir antworten, sobald wir wieder da sind.',
  yesWords: ['ja', 'jawohl', 'genau', 'klar', 'ok', 'okay', 'bestätigt', 'bestätigen', 'yes'],
  noWords: ['nein', 'n', 'ne', 'nee', 'abbrechen', 'no'],
};
