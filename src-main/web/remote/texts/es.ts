// Las palabras de las páginas de inicio de sesión en español.
import type { AccessTexts } from './en';

export const es: AccessTexts = {
  title: 'Iniciar sesión · Flowbot Studio',
  heading: 'Flowbot Studio',
  intro: 'Inicia sesión para administrar tus bots.',
  passwordLabel: 'Contraseña',
  submit: 'Iniciar sesión',
  wrongPassword: 'Esa contraseña no es correcta. Inténtalo de nuevo.',
  tooManyAttempts: 'Demasiados intentos. Vuelve a intentarlo en {{minutes}} minutos.',
  badRequest: 'El formulario no se envió como se esperaba. Recarga la página e inténtalo de nuevo.',
  signedOut: 'Cerraste la sesión.',
  sessionEnded: 'Tu sesión terminó. Vuelve a iniciar sesión.',
  signOutTitle: 'Cerrar sesión · Flowbot Studio',
  signOutIntro: '¿Cerrar la sesión de Flowbot Studio en este navegador?',
  signOutButton: 'Cerrar sesión',
  backToStudio: 'Volver al estudio',
};
