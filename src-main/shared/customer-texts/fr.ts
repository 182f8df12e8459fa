import type { CustomerTexts } from './catalogue';

export const fr: CustomerTexts = {
  failure: 'Désolé, un problème est survenu de notre côté. Veuillez réessayer plus tard.',
  llmFallback: "Désolé, je n'ai pas pu terminer. Un collègue va vous aider.",
  knowledgeUnknown: 'Désolé, je ne connais pas la réponse. Un collègue va vous aider.',
  textOnly: 'Désolé, je ne peux lire que les messages texte. Merci d’écrire votre question.',
  confirmHint: 'Répondez OUI pour confirmer ou NON pour annuler.',
  confirmIntroOne: 'Avant de le faire, merci de confirmer :',
  confirmIntroMany: 'Avant de faire tout cela, merci de confirmer :',
  retry: "Désolé, je n'ai pas compris. {question}",
  callHeading: 'Action : {tool} ({server})',
  noDetails: '• (aucun détail)',
  choiceOption: '{number}. {option}',
  handoff: 'Un collègue va reprendre cette conversation dans un instant.',
  confirmQuestion: 'Je continue ?',
  declined: "D'accord, je ne le fais pas.",
  away: 'Nous sommes fermés pour le moment. Nous vous répondrons dès notre retour.',
  yesWords: ['oui', 'ouais', 'd’accord', "d'accord", 'ok', 'okay', 'je confirme', 'confirmé', 'confirmer', 'yes'],
  noWords: ['non', 'n', 'nan', 'annuler', 'no'],
};
