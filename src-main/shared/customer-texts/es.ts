import type { CustomerTexts } from './catalogue';

export const es: CustomerTexts = {
  failure: 'Lo sentimos, algo salió mal de nuestro lado. Por favor, inténtalo de nuevo más tarde.',
  llmFallback: 'Lo siento, no pude terminar esto. Un compañero te ayudará.',
  knowledgeUnknown: 'Lo siento, no sé la respuesta a eso. Un compañero te ayudará.',
  textOnly: 'Lo siento, solo puedo leer mensajes de texto. Por favor, escribe tu pregunta.',
  confirmHint: 'Responde SÍ para confirmar o NO para cancelar.',
  confirmIntroOne: 'Antes de hacerlo, por favor confirma:',
  confirmIntroMany: 'Antes de hacer esto, por favor confirma estas acciones:',
  retry: 'Lo siento, no te entendí. {question}',
  callHeading: 'Acción: {tool} ({server})',
  noDetails: '• (sin detalles)',
  choiceOption: '{number}. {option}',
  handoff: 'Un compañero continuará esta conversación en breve.',
  confirmQuestion: '¿Continúo?',
  declined: 'De acuerdo, no lo haré.',
  away: 'Ahora estamos cerrados. Te responderemos en cuanto volvamos.',
  yesWords: ['sí', 'si', 's', 'claro', 'vale', 'dale', 'de acuerdo', 'ok', 'okay', 'confirmo', 'confirmado', 'confirmar', 'yes'],
  noWords: ['no', 'n', 'nop', 'cancelar', 'cancela'],
};
