// The owner in the loop's pure parts: which fromMe messages may be the owner answering
// (adapters/whatsapp/owner-message.ts) and the takeover rules (app/whatsapp-takeover.ts).
import type { WAMessage } from 'baileys';
import { describe, expect, it } from 'vitest';
import { ownMessageOf } from '../../src-main/adapters/whatsapp/owner-message';
import { isTakenOver, takeoverExpired, waitingFirst } from '../../src-main/app/whatsapp-takeover';
import { textMessage } from '../fixtures/scripted-wa-socket';

const ALICE = '31611111111@s.whatsapp.net';
const GROUP = '120363000000000001@g.us';
const off = { groupsEnabled: false };

describe('ownMessageOf', () => {
  it('a text the account sent in a customer chat, with its id and time', () => {
    const m = textMessage('31611111111:7@s.whatsapp.net', 'Hi, Maria here', { fromMe: true, id: 'PHONE1', timestamp: 1_800_000_000 });
    expect(ownMessageOf(m, off)).toEqual({ jid: ALICE, id: 'PHONE1', sentAt: 1_800_000_000_000 });
  });
  it('not a customer message, a status, a reaction, or a group while groups are off', () => {
    expect(ownMessageOf(textMessage(ALICE, 'hi'), off)).toBeUndefined();
    expect(ownMessageOf(textMessage('status@broadcast', 'my status', { fromMe: true }), off)).toBeUndefined();
    const reaction: WAMessage = { key: { remoteJid: ALICE, fromMe: true, id: 'R1' }, message: { reactionMessage: { text: '👍', key: { id: 'X' } } } };
    expect(ownMessageOf(reaction, off)).toBeUndefined();
    expect(ownMessageOf(textMessage(GROUP, 'hello all', { fromMe: true }), off)).toBeUndefined();
    expect(ownMessageOf(textMessage(GROUP, 'hello all', { fromMe: true, id: 'G1' }), { groupsEnabled: true })).toMatchObject({ jid: GROUP, id: 'G1' });
  });
});

describe('takeover rules', () => {
  it('a timed takeover ends by itself; one without end does not', () => {
    expect(isTakenOver({ takenOver: true, takenOverUntil: 1000 }, 999)).toBe(true);
    expect(isTakenOver({ takenOver: true, takenOverUntil: 1000 }, 1000)).toBe(false);
    expect(takeoverExpired({ takenOver: true, takenOverUntil: 1000 }, 1000)).toBe(true);
    expect(isTakenOver({ takenOver: true }, Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(takeoverExpired({ takenOver: false }, 5)).toBe(false);
  });
  it('waiting first (longest waiting on top), then the most recent', () => {
    const rows = [
      { jid: 'a', updatedAt: 50 },
      { jid: 'b', updatedAt: 10, waitingSince: 30 },
      { jid: 'c', updatedAt: 40 },
      { jid: 'd', updatedAt: 60, waitingSince: 20 },
    ];
    expect(waitingFirst(rows).map((r) => r.jid)).toEqual(['d', 'b', 'a', 'c']);
  });
});
