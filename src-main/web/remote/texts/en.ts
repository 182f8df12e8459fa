// The sign-in pages' words in English (the reference catalogue: the other languages have exactly these keys).
export const en = {
  title: 'Sign in · Flowbot Studio',
  heading: 'Flowbot Studio',
  intro: 'Sign in to manage your bots.',
  passwordLabel: 'Password',
  submit: 'Sign in',
  wrongPassword: 'That password is not right. Try again.',
  tooManyAttempts: 'Too many attempts. Try again in {{minutes}} minutes.',
  badRequest: 'The sign-in form was not sent as expected. Reload the page and try again.',
  signedOut: 'You signed out.',
  sessionEnded: 'Your session ended. Sign in again.',
  signOutTitle: 'Sign out · Flowbot Studio',
  signOutIntro: 'Sign out of Flowbot Studio in this browser?',
  signOutButton: 'Sign out',
  backToStudio: 'Back to the studio',
} as const;

export type AccessTexts = { readonly [K in keyof typeof en]: string };
