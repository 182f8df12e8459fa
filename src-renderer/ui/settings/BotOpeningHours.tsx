// Settings → Bots → Opening hours of the active bot: per weekday one or more ranges, the time
// zone they are in, closed dates (holidays), and whether WhatsApp answers with the away text
// outside them. Saved with the bot's settings (config `openingHours`); checked before saving with
// the same schema the studio checks the file with (shared/opening-hours.ts), saying what is wrong where.
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OpeningHoursSchema, WEEKDAYS, type OpeningHours, type Weekday } from '../../../src-main/shared/opening-hours';
import { useApi } from '../../api/api-context';
import { Icon } from '../icons';
import { toast } from '../toasts';
import { attempt, useWorkspace } from './use-settings';
import './opening-hours.css';

type Range = { from: string; to: string };

const systemZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const allZones = (): string[] => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
};
const nineToFive = (): Range[] => [{ from: '09:00', to: '17:00' }];
const FIRST_SCHEDULE = (): OpeningHours => ({ timeZone: systemZone(), weekly: { mon: nineToFive(), tue: nineToFive(), wed: nineToFive(), thu: nineToFive(), fri: nineToFive() }, closed: [], awayMessage: 'off' });

export function BotOpeningHours() {
  const { t } = useTranslation('waowner');
  const api = useApi();
  const { config } = useWorkspace();
  const [hours, setHours] = useState<OpeningHours | null>(null);
  const [newDate, setNewDate] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const ids = useId();
  const zones = useMemo(allZones, []);

  useEffect(() => {
    if (config) setHours(config.openingHours ?? null);
  }, [config]);
  if (!config) return null;

  const change = (next: OpeningHours | null) => {
    setHours(next);
    setProblem(null);
  };
  const setDay = (day: Weekday, ranges: Range[]) => hours && change({ ...hours, weekly: { ...hours.weekly, [day]: ranges } });
  const dayName = (day: Weekday) => t(`hours.days.${day}`);

  /** The first problem in the studio's language: where it is and what is wrong. */
  const problemOf = (value: OpeningHours): string | null => {
    const parsed = OpeningHoursSchema.safeParse(value);
    if (parsed.success) return null;
    const issue = parsed.error.issues[0]!;
    const [field, day, index, part] = issue.path as [string, Weekday, number, string | undefined];
    if (field === 'timeZone') return t('hours.errors.zone', { zone: value.timeZone });
    if (field === 'closed') return t('hours.errors.date', { date: value.closed[Number(day)] ?? '' });
    if (field === 'weekly' && part !== undefined) {
      const range = value.weekly[day]?.[index];
      return range && range.from === range.to ? t('hours.errors.sameTime', { day: dayName(day), n: index + 1 }) : t('hours.errors.time', { day: dayName(day), n: index + 1 });
    }
    if (field === 'weekly') return t('hours.errors.overlap', { day: dayName(day), n: Number(index) + 1 });
    return issue.message;
  };

  const save = () =>
    attempt(async () => {
      const { openingHours: _old, ...rest } = config;
      if (hours) {
        const wrong = problemOf(hours);
        setProblem(wrong);
        if (wrong) return;
      }
      await api.call('settings.save', { config: { ...rest, ...(hours ? { openingHours: hours } : {}) } });
      toast({ message: t('hours.saved'), tone: 'success' });
    });

  return (
    <section className="settings-subpanel" aria-labelledby={`${ids}-title`} data-testid="bot-opening-hours">
      <h3 id={`${ids}-title`}>{t('hours.title')}</h3>
      <p className="muted">{t('hours.intro')}</p>
      <label className="row">
        <input type="checkbox" checked={hours !== null} onChange={(e) => change(e.target.checked ? FIRST_SCHEDULE() : null)} data-testid="hours-enabled" />
        <span>{t('hours.enabled')}</span>
      </label>
      {hours && (
        <>
          <label className="field">
            <span className="field-label">{t('hours.zone')}</span>
            <select value={hours.timeZone} onChange={(e) => change({ ...hours, timeZone: e.target.value })} data-testid="hours-zone">
              {[...new Set([hours.timeZone, ...zones])].map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </select>
          </label>
          <p className="muted small">{t('hours.midnightHint')}</p>
          <ul className="hours-week">
            {WEEKDAYS.map((day) => {
              const ranges = hours.weekly[day] ?? [];
              return (
                <li key={day} className="hours-day" data-testid={`hours-day-${day}`}>
                  <strong className="hours-day-name">{dayName(day)}</strong>
                  {ranges.length === 0 && <span className="muted small">{t('hours.closedDay')}</span>}
                  {ranges.map((range, i) => (
                    <span className="hours-range" key={i}>
                      <input type="time" aria-label={t('hours.from', { day: dayName(day), n: i + 1 })} value={range.from} onChange={(e) => setDay(day, ranges.map((r, j) => (j === i ? { ...r, from: e.target.value } : r)))} data-testid={`hours-${day}-${i}-from`} />
                      <span aria-hidden="true">–</span>
                      <input type="time" aria-label={t('hours.to', { day: dayName(day), n: i + 1 })} value={range.to} onChange={(e) => setDay(day, ranges.map((r, j) => (j === i ? { ...r, to: e.target.value } : r)))} data-testid={`hours-${day}-${i}-to`} />
                      <button type="button" className="btn btn-ghost btn-icon" aria-label={t('hours.removeRange', { day: dayName(day), n: i + 1 })} onClick={() => setDay(day, ranges.filter((_, j) => j !== i))}>
                        <Icon name="trash" />
                      </button>
                    </span>
                  ))}
                  <button type="button" className="btn btn-ghost" onClick={() => setDay(day, [...ranges, ranges.length === 0 ? nineToFive()[0]! : { from: '18:00', to: '20:00' }])} data-testid={`hours-add-${day}`}>
                    <Icon name="plus" /> {t('hours.addRange')}
                  </button>
                </li>
              );
            })}
          </ul>
          <h4>{t('hours.closedTitle')}</h4>
          <ul className="hours-closed" data-testid="hours-closed">
            {hours.closed.length === 0 && <li className="muted small">{t('hours.noClosed')}</li>}
            {hours.closed.map((date) => (
              <li key={date}>
                <span>{date}</span>
                <button type="button" className="btn btn-ghost btn-icon" aria-label={t('hours.removeClosed', { date })} onClick={() => change({ ...hours, closed: hours.closed.filter((d) => d !== date) })}>
                  <Icon name="trash" />
                </button>
              </li>
            ))}
          </ul>
          <div className="row">
            <input type="date" aria-label={t('hours.closedDate')} value={newDate} onChange={(e) => setNewDate(e.target.value)} data-testid="hours-closed-date" />
            <button
              type="button"
              className="btn"
              disabled={newDate === '' || hours.closed.includes(newDate)}
              onClick={() => {
                change({ ...hours, closed: [...hours.closed, newDate].sort() });
                setNewDate('');
              }}
              data-testid="hours-add-closed"
            >
              <Icon name="plus" /> {t('hours.addClosed')}
            </button>
          </div>
          <label className="row">
            <input type="checkbox" checked={hours.awayMessage === 'on'} onChange={(e) => change({ ...hours, awayMessage: e.target.checked ? 'on' : 'off' })} data-testid="hours-away" />
            <span>{t('hours.away')}</span>
          </label>
          <p className="muted small">{t('hours.awayHint')}</p>
        </>
      )}
      {problem && (
        <div className="callout callout-error" role="alert" data-testid="hours-problem">
          {problem}
        </div>
      )}
      <button type="button" className="btn btn-primary" onClick={() => void save()} data-testid="hours-save">
        {t('hours.save')}
      </button>
    </section>
  );
}
