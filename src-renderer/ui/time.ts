// When something happened, the way people say it in the studio's language: "just now",
// "5 minutes ago", "yesterday", or a date. Every date, time and number goes through Intl with the
// UI language (never the runtime's default locale, which can differ from the studio's).
import { i18n, uiLanguage } from '../i18n';

export function timeAgo(at: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 45) return i18n.t('common:time.justNow');
  const relative = new Intl.RelativeTimeFormat(uiLanguage(), { numeric: 'auto' });
  const m = Math.round(s / 60);
  if (m < 60) return relative.format(-m, 'minute');
  const h = Math.round(m / 60);
  if (h < 24) return relative.format(-h, 'hour');
  const d = Math.round(h / 24);
  if (d < 7) return relative.format(-d, 'day');
  return new Date(at).toLocaleDateString(uiLanguage(), { day: 'numeric', month: 'short', year: 'numeric' });
}

export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString(uiLanguage(), { hour: '2-digit', minute: '2-digit' });
}

/** A date and time with seconds (the audit log's rows). */
export function dateTimeWithSeconds(at: number): string {
  return new Date(at).toLocaleString(uiLanguage(), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A short date and time ("02/12/2026 14:05" in pt-BR). */
export function shortDateTime(at: number): string {
  return new Date(at).toLocaleString(uiLanguage(), { dateStyle: 'short', timeStyle: 'short' });
}

/** A number in the UI language's way ("1.234,5" in pt-BR). */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(uiLanguage(), options).format(value);
}
