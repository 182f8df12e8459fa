import type { CustomerTexts } from './catalogue';

export const id: CustomerTexts = {
  failure: 'Maaf, terjadi kesalahan di pihak kami. Silakan coba lagi nanti.',
  llmFallback: 'Maaf, saya tidak bisa menyelesaikan ini. Rekan kami akan membantu Anda.',
  knowledgeUnknown: 'Maaf, saya tidak tahu jawabannya. Rekan kami akan membantu Anda.',
  textOnly: 'Maaf, saya hanya bisa membaca pesan teks. Silakan tulis pertanyaan Anda.',
  confirmHint: 'Balas YA untuk konfirmasi atau TIDAK untuk membatalkan.',
  confirmIntroOne: 'Sebelum saya melakukannya, mohon konfirmasi:',
  confirmIntroMany: 'Sebelum saya melakukan semua ini, mohon konfirmasi:',
  retry: 'Maaf, saya tidak mengerti. {question}',
  callHeading: 'Tindakan: {tool} ({server})',
  noDetails: '• (tanpa detail)',
  choiceOption: '{number}. {option}',
  handoff: 'Rekan kami akan segera melanjutkan percakapan ini.',
  confirmQuestion: 'Boleh saya lanjutkan?',
  declined: 'Baik, saya tidak akan melakukannya.',
  away: 'Kami sedang tutup. Kami akan membalas begitu kami kembali.',
  yesWords: ['ya', 'y', 'iya', 'yaa', 'iyaa', 'boleh', 'betul', 'oke', 'ok', 'okay', 'konfirmasi', 'setuju', 'yes'],
  noWords: ['tidak', 'tdk', 'nggak', 'ngga', 'gak', 'enggak', 'ga', 'no', 'n', 'batal', 'batalkan'],
};
