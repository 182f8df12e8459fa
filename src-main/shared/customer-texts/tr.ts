import type { CustomerTexts } from './catalogue';

export const tr: CustomerTexts = {
  failure: 'Üzgünüz, bizim tarafımızda bir sorun oluştu. Lütfen daha sonra tekrar deneyin.',
  llmFallback: 'Üzgünüm, bunu tamamlayamadım. Bir çalışma arkadaşım size yardımcı olacak.',
  knowledgeUnknown: 'Üzgünüm, bunun cevabını bilmiyorum. Bir çalışma arkadaşım size yardımcı olacak.',
  textOnly: 'Üzgünüm, yalnızca metin mesajlarını okuyabiliyorum. Lütfen sorunuzu yazın.',
  confirmHint: 'Onaylamak için EVET, iptal etmek için HAYIR yazın.',
  confirmIntroOne: 'Bunu yapmadan önce lütfen onaylayın:',
  confirmIntroMany: 'Bunları yapmadan önce lütfen onaylayın:',
  retry: 'Üzgünüm, anlayamadım. {question}',
  callHeading: 'İşlem: {tool} ({server})',
  noDetails: '• (ayrıntı yok)',
  choiceOption: '{number}. {option}',
  handoff: 'Bir çalışma arkadaşım birazdan bu görüşmeyi devralacak.',
  confirmQuestion: 'Devam edeyim mi?',
  declined: 'Tamam, bunu yapmayacağım.',
  away: 'Şu anda kapalıyız. Döner dönmez size yanıt vereceğiz.',
  yesWords: ['evet', 'tamam', 'olur', 'onaylıyorum', 'onayla', 'ok', 'okay', 'yes'],
  noWords: ['hayır', 'hayir', 'yok', 'istemiyorum', 'iptal', 'vazgeç', 'vazgec', 'no'],
};
