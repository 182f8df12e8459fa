// What the WhatsApp channel answers and how it reconnects: pure decisions over Baileys' shapes.
import { DisconnectReason } from 'baileys';
import { Boom } from '@hapi/boom';
import { describe, expect, it } from 'vitest';
import { classifyInbound } from '../../src-main/adapters/whatsapp/inbound';
import { decideOnClose, statusCodeOf } from '../../src-main/adapters/whatsapp/reconnect-policy';
import { imageMessage, textMessage, undecryptableMessage } from '../fixtures/scripted-wa-socket';

const backoff = (r: number) => ({ baseMs: 1000, maxMs: 60_000, random: () => r });

describe('reconnect policy', () => {
  it('maps DisconnectReason to restart, logged out, replaced, or backoff', () => {
    expect(decideOnClose(DisconnectReason.restartRequired, 3)).toEqual({ kind: 'restart' });
    expect(decideOnClose(DisconnectReason.loggedOut, 0)).toEqual({ kind: 'logged_out' });
    expect(decideOnClose(DisconnectReason.connectionReplaced, 0)).toEqual({ kind: 'replaced' });
    expect(decideOnClose(DisconnectReason.connectionLost, 0, backoff(0.5))).toEqual({ kind: 'backoff', delayMs: 500 });
    expect(decideOnClose(undefined, 0, backoff(0.5)).kind).toBe('backoff');
  });
  it('uses full jitter under an exponential cap', () => {
    expect(decideOnClose(DisconnectReason.badSession, 3, backoff(0.999))).toEqual({ kind: 'backoff', delayMs: 7992 });
    expect(decideOnClose(503, 3, backoff(0))).toEqual({ kind: 'backoff', delayMs: 0 });
    expect(decideOnClose(503, 40, backoff(0.5))).toEqual({ kind: 'backoff', delayMs: 30_000 });
  });
  it("reads the status code of Baileys' Boom close errors", () => {
    expect(statusCodeOf(new Boom('Stream Errored', { statusCode: 515 }))).toBe(515);
    expect(statusCodeOf(new Error('plain'))).toBeUndefined();
    expect(statusCodeOf(undefined)).toBeUndefined();
  });
});

describe('inbound messages', () => {
  const jid = '31611111111@s.whatsapp.net';
  it('answers a customer text; keys it by chat, sender and id', () => {
    expect(classifyInbound(textMessage(jid, 'hi', { id: 'X1', pushName: 'Ann', timestamp: 1_700_000_000 }), { groupsEnabled: false })).toEqual({
      kind: 'text', key: `${jid}||X1`, jid, text: 'hi', pushName: 'Ann', sentAt: 1_700_000_000_000,
    });
    const ext = { key: { remoteJid: jid, fromMe: false, id: 'X2' }, message: { extendedTextMessage: { text: 'with link https://x' } } };
    expect(classifyInbound(ext, { groupsEnabled: false })).toMatchObject({ kind: 'text', text: 'with link https://x' });
    // In a disappearing-messages chat the text comes wrapped: still text, not "only text" refused.
    const ephemeral = { key: { remoteJid: jid, fromMe: false, id: 'X3' }, message: { ephemeralMessage: { message: { conversation: 'A100' } } } };
    expect(classifyInbound(ephemeral, { groupsEnabled: false })).toMatchObject({ kind: 'text', text: 'A100' });
  });
  it('ignores own, group (unless enabled), status and protocol messages; flags non-text', () => {
    expect(classifyInbound(textMessage(jid, 'x', { fromMe: true }), { groupsEnabled: true })).toEqual({ kind: 'ignore', reason: 'own' });
    expect(classifyInbound(textMessage('1203@g.us', 'x', { participant: jid }), { groupsEnabled: false })).toEqual({ kind: 'ignore', reason: 'group' });
    expect(classifyInbound(textMessage('1203@g.us', 'x', { participant: jid }), { groupsEnabled: true })).toMatchObject({ kind: 'text', jid: '1203@g.us', participant: jid });
    expect(classifyInbound(textMessage('status@broadcast', 'x'), { groupsEnabled: true })).toEqual({ kind: 'ignore', reason: 'status' });
    expect(classifyInbound({ key: { remoteJid: jid, id: 'P' }, message: { protocolMessage: { type: 0 } } }, { groupsEnabled: false })).toEqual({ kind: 'ignore', reason: 'protocol' });
    expect(classifyInbound(imageMessage(jid, 'I1'), { groupsEnabled: false })).toMatchObject({ kind: 'unsupported', what: 'imageMessage' });
  });

  it("flags a message Baileys could not decrypt (a CIPHERTEXT stub) with the customer and Baileys' reason", () => {
    expect(classifyInbound(undecryptableMessage(jid, 'B1'), { groupsEnabled: false })).toEqual({ kind: 'undecryptable', jid, why: 'Bad MAC' });
    expect(classifyInbound(undecryptableMessage('1203@g.us', 'B2'), { groupsEnabled: false })).toEqual({ kind: 'ignore', reason: 'group' });
    expect(classifyInbound({ ...undecryptableMessage(jid, 'B3'), messageStubParameters: [] }, { groupsEnabled: false })).toEqual({ kind: 'undecryptable', jid, why: 'no reason given' });
  });
});
