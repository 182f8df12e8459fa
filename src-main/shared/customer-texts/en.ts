import type { CustomerTexts } from './catalogue';

export const en: CustomerTexts = {
  failure: 'Sorry, something went wrong on our side. Please try again later.',
  llmFallback: 'Sorry, I could not finish this. A colleague will help you.',
  textOnly: 'Sorry, I can only read text messages. Please write your question in words.',
  confirmHint: 'Reply YES to confirm or NO to cancel.',
  confirmIntroOne: 'Before I do this, please confirm:',
  confirmIntroMany: 'Before I do these, please confirm:',
  retry: "Sorry, I didn't get that. {question}",
  callHeading: 'Action: {tool} ({server})',
  noDetails: '• (no details)',
  choiceOption: '{number}. {option}',
  handoff: 'A colleague will take over this conversation shortly.',
  away: 'We are closed right now. We will reply as soon as we are back.',
  yesWords: ['yes', 'y', 'yeah', 'yep', 'ok', 'okay', 'confirm', 'confirmed'],
  noWords: ['no', 'n', 'nope', 'cancel', 'stop'],
};
