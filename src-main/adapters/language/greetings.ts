// The one-word and two-word openings customers start a chat with, per language. Too short for
// an n-gram detector to tell apart ("hi", "olá", "hola" score as Catalan, Estonian, ...), and
// the most common first messages of all: looked up before the detector (eld-detector.ts).
// Words shared by languages (e.g. "ciao", "salut") are left out: they decide nothing.
export const GREETINGS: Readonly<Record<string, readonly string[]>> = {
  pt: ['oi', 'oie', 'ola', 'olá', 'opa', 'e ai', 'e aí', 'bom dia', 'boa tarde', 'boa noite', 'tudo bem', 'obrigado', 'obrigada', 'valeu'],
  en: ['hi', 'hii', 'hello', 'hey', 'hiya', 'howdy', 'hi there', 'hello there', 'hey there', 'good morning', 'good afternoon', 'good evening', 'thanks', 'thank you'],
  es: ['hola', 'buenas', 'buenos dias', 'buenos días', 'buenas tardes', 'buenas noches', 'que tal', 'qué tal', 'gracias'],
  fr: ['bonjour', 'bonsoir', 'coucou', 'merci'],
  de: ['hallo', 'guten morgen', 'guten tag', 'guten abend', 'moin', 'servus', 'danke'],
  it: ['buongiorno', 'buonasera', 'salve', 'grazie'],
  id: ['halo', 'selamat pagi', 'selamat siang', 'selamat sore', 'selamat malam', 'terima kasih'],
  tr: ['merhaba', 'selam', 'günaydın', 'gunaydin', 'iyi akşamlar', 'teşekkürler', 'tesekkurler'],
};
