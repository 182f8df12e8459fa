// Classification (DESIGN §4): the server's annotations only suggest a class; the owner's
// class counts, and only for a tool whose definition the owner approved. Flags point the
// owner at tools worth a second look; they are hints, never a decision.
import type { OwnerText } from '../../shared/owner-text';
import type { ToolClass } from '../../shared/workspace-config';
import type { ToolDefinition } from './definition';

export type ToolStatus = 'approved' | 'unapproved' | 'changed';

export type ToolFlagCode =
  | 'READ_ONLY_AND_DESTRUCTIVE'
  | 'MUTATION_NAME_CLAIMS_READ_ONLY'
  | 'OWNER_READ_SERVER_WRITE'
  | 'DESCRIPTION_HAS_INSTRUCTIONS'
  | 'DESCRIPTION_HAS_HIDDEN_CHARACTERS';

export interface ToolFlag {
  code: ToolFlagCode;
  message: string;
  /** The message as a catalogue key (common:ownerTexts.toolFlag.<code>) for the studio's language; absent where the words are built from English phrases. */
  text?: OwnerText;
}

/** Read only when the server says read-only and does not also say destructive; else write. */
export function suggestedClass(annotations: Record<string, unknown> | undefined): ToolClass {
  return annotations?.readOnlyHint === true && annotations.destructiveHint !== true ? 'read' : 'write';
}

/** Read only when the owner classified it read and its current definition is the approved one. */
export function effectiveClass(ownerClass: ToolClass | undefined, status: ToolStatus): ToolClass {
  return ownerClass === 'read' && status === 'approved' ? 'read' : 'write';
}

/** Verbs that, as any word part of a tool's name, say it changes something ("bulk_delete"). */
export const MUTATION_VERBS: ReadonlySet<string> = new Set([
  'append', 'approve', 'buy', 'cancel', 'create', 'del', 'delete', 'deploy', 'destroy', 'disable', 'edit',
  'enable', 'erase', 'exec', 'execute', 'grant', 'insert', 'invite', 'kill', 'modify', 'mutate', 'notify',
  'overwrite', 'pay', 'publish', 'purchase', 'purge', 'refund', 'reject', 'remove', 'rename', 'reset', 'restart',
  'restore', 'revoke', 'rm', 'send', 'submit', 'subscribe', 'terminate', 'truncate', 'unlock', 'unsubscribe',
  'update', 'upsert', 'wipe', 'withdraw', 'write',
]);
/**
 * Words that are verbs or nouns ("post", "book", "set"): they count only as the first word,
 * where a name puts its verb ("book_appointment", but not "get_book").
 */
export const MUTATION_VERBS_FIRST: ReadonlySet<string> = new Set([
  'add', 'apply', 'archive', 'assign', 'ban', 'block', 'book', 'charge', 'clear', 'commit', 'deposit', 'drop',
  'email', 'import', 'lock', 'merge', 'move', 'order', 'patch', 'post', 'push', 'put', 'register', 'replace',
  'reserve', 'save', 'schedule', 'set', 'transfer', 'upload',
]);

/** "createTicket", "bulk_delete", "set-status", "HTTPPost" -> lower-case word parts. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** The word parts of a name that make it sound like it changes data. */
export function mutationWordsIn(name: string): string[] {
  return nameWords(name).filter((w, i) => MUTATION_VERBS.has(w) || (i === 0 && MUTATION_VERBS_FIRST.has(w)));
}

// Phrases typical of instructions aimed at the model rather than a description for people
// (tool poisoning). Kept deliberately specific: this is a hint for the owner, not a filter.
const INSTRUCTION_PATTERNS: { pattern: RegExp; what: string }[] = [
  { pattern: /\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(instructions?|prompts?|rules|guidelines|previous|prior|above)\b/i, what: 'tells the model to ignore its instructions' },
  { pattern: /<\s*\/?\s*(important|system|instructions?|secret|hidden|admin|critical)\b[^>]*>/i, what: 'contains a tag like <IMPORTANT>' },
  { pattern: /\b(do not|don't|dont|never)\s+(tell|inform|mention|reveal|show|notify|alert|let)\b[^.\n]{0,40}\b(user|customer|human|owner|anyone)\b/i, what: 'tells the model to keep something from the user' },
  { pattern: /\bwithout\s+(telling|informing|asking|notifying|alerting)\b/i, what: 'tells the model to act without telling anyone' },
  { pattern: /\b(system prompt|new instructions|you are now|act as (an? )?(admin|system|developer))\b/i, what: 'speaks to the model about its own instructions' },
  { pattern: /\b(before|after|instead of)\s+(using|calling|running)\s+(this|any|every|other|the other)\b[^.\n]{0,20}\btools?\b/i, what: 'tells the model what to do around other tools' },
  { pattern: /(~\/\.ssh|\bid_rsa\b|\.cursor\/mcp\.json|\bmcp\.json\b|\.aws\/credentials|\/etc\/passwd)/i, what: 'mentions private files' },
];

const HIDDEN_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]|\udb40[\udc00-\udfff]/;

/** The description plus every "description"/"title" string inside the tool's schemas. */
function textsOf(tool: ToolDefinition): string[] {
  const texts: string[] = [];
  if (tool.title) texts.push(tool.title);
  if (tool.description) texts.push(tool.description);
  const walk = (value: unknown, depth: number): void => {
    if (depth > 32 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((v) => walk(v, depth + 1));
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'description' || key === 'title') && typeof v === 'string') texts.push(v);
      else walk(v, depth + 1);
    }
  };
  walk(tool.inputSchema, 0);
  walk(tool.outputSchema, 0);
  return texts;
}

/** A tool name that does not read as an ordinary word ("create_ticket", "getUser"): safe to look for in prose. */
const looksLikeIdentifier = (name: string): boolean => name.length >= 4 && /[_\-.]|[a-z][A-Z]/.test(name);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface FlagContext {
  /** The owner's class for this tool (from the config), if any. */
  ownerClass?: ToolClass | undefined;
  /** Names of the other tools the bot can see (this and other servers): mentioning them is shadowing. */
  otherToolNames?: readonly string[];
}

export function toolFlags(tool: ToolDefinition, context: FlagContext = {}): ToolFlag[] {
  const flags: ToolFlag[] = [];
  const a = tool.annotations;
  if (a?.readOnlyHint === true && a.destructiveHint === true) {
    flags.push({
      code: 'READ_ONLY_AND_DESTRUCTIVE',
      message: 'The server says this tool is read-only and also destructive; the two contradict each other, so it is suggested as a write.',
      text: { key: 'toolFlag.READ_ONLY_AND_DESTRUCTIVE' },
    });
  }
  const verbs = mutationWordsIn(tool.name);
  if (a?.readOnlyHint === true && verbs.length > 0) {
    flags.push({
      code: 'MUTATION_NAME_CLAIMS_READ_ONLY',
      message: `The server says this tool is read-only, but its name (${verbs.map((v) => `"${v}"`).join(', ')}) sounds like it changes data. Check before marking it read.`,
      text: { key: 'toolFlag.MUTATION_NAME_CLAIMS_READ_ONLY', params: { words: verbs.map((v) => `"${v}"`).join(', ') } },
    });
  }
  if (context.ownerClass === 'read' && suggestedClass(a) === 'write') {
    flags.push({
      code: 'OWNER_READ_SERVER_WRITE',
      message: 'You marked this tool read-only, but the server does not say it is read-only. Make sure it cannot change data.',
      text: { key: 'toolFlag.OWNER_READ_SERVER_WRITE' },
    });
  }
  const texts = textsOf(tool);
  const found = new Set<string>();
  for (const text of texts) {
    for (const { pattern, what } of INSTRUCTION_PATTERNS) if (pattern.test(text)) found.add(what);
  }
  const mentioned = (context.otherToolNames ?? [])
    .filter((name) => name !== tool.name && looksLikeIdentifier(name))
    .filter((name) => {
      const re = new RegExp(`(^|[^A-Za-z0-9_])${escapeRegExp(name)}($|[^A-Za-z0-9_])`);
      return texts.some((t) => re.test(t));
    });
  if (mentioned.length) found.add(`mentions other tools (${[...new Set(mentioned)].join(', ')})`);
  if (found.size) {
    flags.push({
      code: 'DESCRIPTION_HAS_INSTRUCTIONS',
      message: `The tool's description ${[...found].join('; ')}. Descriptions are read by the AI: this may be an attempt to steer it (tool poisoning). Read it before approving.`,
    });
  }
  if (texts.some((t) => HIDDEN_CHARACTERS.test(t))) {
    flags.push({
      code: 'DESCRIPTION_HAS_HIDDEN_CHARACTERS',
      message: "The tool's description contains invisible or control characters that can hide text from you while the AI still reads it.",
      text: { key: 'toolFlag.DESCRIPTION_HAS_HIDDEN_CHARACTERS' },
    });
  }
  return flags;
}
