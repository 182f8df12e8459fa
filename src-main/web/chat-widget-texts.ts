// What the web chat page (chat-widget-page.ts) says to a website visitor, per language; the page
// picks one by the browser's languages (navigator.languages), English when none matches. The
// bot's own words come from its flow, not from here.
export const WIDGET_TEXTS = {
  en: {
    title: 'Chat with us',
    placeholder: 'Write a message…',
    send: 'Send',
    connecting: 'Connecting…',
    unavailable: 'The chat is not available right now. Please try again later.',
    failed: 'Your message could not be sent. Please try again.',
    tooMany: 'Too many messages. Please wait a moment.',
    handedOff: 'A person will continue this conversation.',
    ended: 'This conversation has ended. Write again to start a new one.',
    you: 'You',
    bot: 'Bot',
  },
  'pt-BR': {
    title: 'Fale conosco',
    placeholder: 'Escreva uma mensagem…',
    send: 'Enviar',
    connecting: 'Conectando…',
    unavailable: 'O chat não está disponível agora. Tente novamente mais tarde.',
    failed: 'Não foi possível enviar sua mensagem. Tente novamente.',
    tooMany: 'Mensagens demais. Aguarde um momento.',
    handedOff: 'Uma pessoa vai continuar esta conversa.',
    ended: 'Esta conversa terminou. Escreva de novo para começar outra.',
    you: 'Você',
    bot: 'Bot',
  },
  es: {
    title: 'Chatea con nosotros',
    placeholder: 'Escribe un mensaje…',
    send: 'Enviar',
    connecting: 'Conectando…',
    unavailable: 'El chat no está disponible ahora. Inténtalo de nuevo más tarde.',
    failed: 'No se pudo enviar tu mensaje. Inténtalo de nuevo.',
    tooMany: 'Demasiados mensajes. Espera un momento.',
    handedOff: 'Una persona continuará esta conversación.',
    ended: 'Esta conversación ha terminado. Escribe de nuevo para empezar otra.',
    you: 'Tú',
    bot: 'Bot',
  },
} as const satisfies Record<string, Record<string, string>>;
