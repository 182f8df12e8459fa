import type { CustomerTexts } from './catalogue';

export const en: CustomerTexts = {
  failure: 'Sorry, something went wrong on our side. Please try again later.',
  llmFallback: 'Sorry, I could not finish this. A colleague will help you.',
  knowledgeUnknown: "Sorry, I don't know the answer to that. A colleague will help you.",
  textOnly: 'Sorry, I can only read text messages. Please write your question in words.',
  confirmHint: 'Reply YES to confirm or NO to cancel.',
  confirmIntroOne: 'Before I do this, please confirm:',
  confirmIntroMany: 'Before I do these, please confirm:',
  retry: "Sorry, I didn't get that. {question}",
  callHeading: 'Action: {tool} ({server})',
  noDetails: '• (no details)',
  choiceOption: '{number}. {option}',
  handoff: 'One moment please, a colleague will take over this chat.',
  confirmQuestion: 'Shall I go ahead?',
  declined: "OK, I won't do that.",
  away: 'We are closed right now. We will reply as soon as we are back.',
  yesWords: ['yes', 'y', 'yeah', 'yep', 'ok', 'okay', 'confirm', 'confirmed'],
  noWords: ['no', 'n', 'nope', 'cancel', 'stop'],
};
