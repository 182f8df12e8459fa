import type { CustomerTexts } from './catalogue';

export const ptBR: CustomerTexts = {
  failure: 'Desculpe, algo deu errado do nosso lado. Por favor, tente novamente mais tarde.',
  llmFallback: 'Desculpe, não consegui concluir isso. Um atendente vai te ajudar.',
  knowledgeUnknown: 'Desculpe, não sei responder isso. Um atendente vai te ajudar.',
  textOnly: 'Desculpe, só consigo ler mensagens de texto. Por favor, escreva sua pergunta.',
  confirmHint: 'Responda SIM para confirmar ou NÃO para cancelar.',
  confirmIntroOne: 'Antes de eu fazer isso, por favor confirme:',
  confirmIntroMany: 'Antes de eu fazer isso, por favor confirme estas ações:',
  retry: 'Desculpe, não entendi. {question}',
  callHeading: 'Ação: {tool} ({server})',
  noDetails: '• (sem detalhes)',
  choiceOption: '{number}. {option}',
  handoff: 'Um atendente vai continuar esta conversa em instantes.',
  confirmQuestion: 'Posso continuar?',
  declined: 'Tudo bem, não vou fazer isso.',
  away: 'Estamos fechados agora. Responderemos assim que voltarmos.',
  yesWords: ['sim', 's', 'ss', 'claro', 'pode', 'pode sim', 'isso', 'ok', 'okay', 'confirmo', 'confirmado', 'confirmar', 'yes'],
  noWords: ['não', 'nao', 'n', 'no', 'nn', 'cancelar', 'cancela'],
};
