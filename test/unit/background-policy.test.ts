// The desktop app in the background (issue 16, item 7): the decisions electron/tray.ts carries
// out (Electron cannot run here), and the owner's settings through the studio's API.
import { afterEach, describe, expect, it } from 'vitest';
import {
  BACKGROUND_ARG,
  botsRunning,
  createQuitSequence,
  loginItemSettings,
  onWindowClose,
  showTray,
  showWindowAtStart,
  trayTexts,
} from '../../src-main/app/background-policy';
import { DEFAULT_DESKTOP_SETTINGS } from '../../src-main/shared/api/desktop';
import { openTestStudio, type TestStudio } from '../support/studio-api';

const background = { runInBackground: true, openAtLogin: false };
const foreground = { runInBackground: false, openAtLogin: false };

describe('closing the window', () => {
  it('hides it while a bot runs and the owner wants the bots in the background', () => {
    expect(onWindowClose({ settings: background, botsRunning: true, quitting: false })).toBe('hide');
  });
  it('quits when no bot runs, or the owner does not want the background', () => {
    expect(onWindowClose({ settings: background, botsRunning: false, quitting: false })).toBe('quit');
    expect(onWindowClose({ settings: foreground, botsRunning: true, quitting: false })).toBe('quit');
  });
  it('lets the window close once a quit is under way (Quit from the tray really quits)', () => {
    expect(onWindowClose({ settings: background, botsRunning: true, quitting: true })).toBe('close');
  });
  it('counts a bot as running while its WhatsApp connection is alive or being made', () => {
    expect(botsRunning(new Map())).toBe(false);
    expect(botsRunning(new Map([['shop', 'stopped'], ['cafe', 'logged_out']]))).toBe(false);
    for (const state of ['connecting', 'pairing', 'open', 'reconnecting'] as const) expect(botsRunning(new Map([['shop', 'stopped'], ['cafe', state]]))).toBe(true);
  });
});

describe('tray, login item and start', () => {
  it('shows the tray icon whenever the app may run without its window', () => {
    expect(showTray(background)).toBe(true);
    expect(showTray(foreground)).toBe(false);
  });
  it('starts at login only when asked, then in the background', () => {
    expect(loginItemSettings(DEFAULT_DESKTOP_SETTINGS)).toEqual({ openAtLogin: false, args: [] });
    expect(loginItemSettings({ ...background, openAtLogin: true })).toEqual({ openAtLogin: true, args: [BACKGROUND_ARG] });
    expect(showWindowAtStart(background, ['electron', '.', BACKGROUND_ARG])).toBe(false);
    expect(showWindowAtStart(background, ['electron', '.'])).toBe(true);
    expect(showWindowAtStart(foreground, ['electron', '.', BACKGROUND_ARG])).toBe(true);
  });
  it('speaks the system language in the tray menu', () => {
    expect(trayTexts('pt-PT').open).toBe('Abrir o Flowbot Studio');
    expect(trayTexts('es-419').quit).toContain('Salir');
    expect(trayTexts('de').open).toBe('Open Flowbot Studio');
  });
});

describe('quitting', () => {
  it('holds the first quit until the studio is closed, then quits for good', async () => {
    const steps: string[] = [];
    let finishClose!: () => void;
    let quitAgain!: () => void;
    const quitCalled = new Promise<void>((resolve) => (quitAgain = resolve));
    const sequence = createQuitSequence({
      close: () => {
        steps.push('close');
        return new Promise<void>((resolve) => (finishClose = resolve));
      },
      quit: () => {
        steps.push('quit');
        quitAgain();
      },
    });
    expect(sequence.quitting).toBe(false);
    expect(sequence.beforeQuit()).toBe('wait');
    expect(sequence.quitting).toBe(true);
    expect(sequence.beforeQuit()).toBe('wait'); // asked again while closing: still one close
    finishClose();
    await quitCalled;
    expect(steps).toEqual(['close', 'quit']);
    expect(sequence.beforeQuit()).toBe('proceed');
  });

  it('closes a real studio (servers, sockets, store) before the app exits, and quits even when closing fails', async () => {
    const test = openTestStudio();
    let quit!: () => void;
    const quitting = new Promise<void>((resolve) => (quit = resolve));
    const sequence = createQuitSequence({ close: () => test.studio.close(), quit });
    expect(sequence.beforeQuit()).toBe('wait');
    await quitting;
    expect(sequence.beforeQuit()).toBe('proceed');
    await test.close();

    let quitAfterFailure!: () => void;
    const after = new Promise<void>((resolve) => (quitAfterFailure = resolve));
    const logged: string[] = [];
    const failing = createQuitSequence({ close: () => Promise.reject(new Error('socket stuck')), quit: quitAfterFailure, log: (m) => logged.push(m) });
    failing.beforeQuit();
    await after;
    expect(logged).toEqual(['Closing the bots failed:']);
  });
});

describe('the owner setting (desktop.settings / desktop.saveSettings)', () => {
  let studio: TestStudio | undefined;
  afterEach(async () => studio?.close());

  it('defaults to the background without a login item, saves each choice and announces it', async () => {
    studio = openTestStudio();
    expect(await studio.ok('desktop.settings')).toEqual({ runInBackground: true, openAtLogin: false });
    expect(await studio.ok('desktop.saveSettings', { openAtLogin: true })).toEqual({ runInBackground: true, openAtLogin: true });
    expect(await studio.ok('desktop.saveSettings', { runInBackground: false })).toEqual({ runInBackground: false, openAtLogin: true });
    expect(await studio.ok('desktop.settings')).toEqual({ runInBackground: false, openAtLogin: true });
    expect(studio.events.filter((e) => e.event === 'desktop.settingsChanged').map((e) => e.payload)).toEqual([
      { runInBackground: true, openAtLogin: true },
      { runInBackground: false, openAtLogin: true },
    ]);
    expect((await studio.call('desktop.saveSettings', { openAtLogin: 'yes' })).error?.code).toBe('INVALID_INPUT');
  });
});
