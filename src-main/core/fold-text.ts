// Text compared the way people mean it: case, accents and spacing do not matter
// ("Horário" = "horario" = " HORARIO ").
export const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
