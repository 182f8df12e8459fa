// As palavras das páginas de entrada em português do Brasil.
import type { AccessTexts } from './en';

export const ptBR: AccessTexts = {
  title: 'Entrar · Flowbot Studio',
  heading: 'Flowbot Studio',
  intro: 'Entre para gerenciar seus bots.',
  passwordLabel: 'Senha',
  submit: 'Entrar',
  wrongPassword: 'Essa senha não está correta. Tente de novo.',
  tooManyAttempts: 'Tentativas demais. Tente de novo em {{minutes}} minutos.',
  badRequest: 'O formulário de entrada não foi enviado como esperado. Recarregue a página e tente de novo.',
  signedOut: 'Você saiu.',
  sessionEnded: 'Sua sessão terminou. Entre de novo.',
  signOutTitle: 'Sair · Flowbot Studio',
  signOutIntro: 'Sair do Flowbot Studio neste navegador?',
  signOutButton: 'Sair',
  backToStudio: 'Voltar ao estúdio',
};
