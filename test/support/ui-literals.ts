// Finds words an owner would read that are written into the renderer's code instead of coming
// from the catalogues (src-renderer/i18n/locales). Parsed with the TypeScript compiler, so
// comments, class names and ids are told apart from text:
//   - JSX text with a letter in it;
//   - string literals (and template literals) in user-visible attributes: title, placeholder,
//     aria-label, alt, label, ...; also as the value of a JSX expression child;
//   - string literals passed to the notice helpers: toast({ message, action.label }),
//     window.confirm/alert/prompt; and document.title;
//   - anywhere else, a string that reads as a sentence (a capital, a word, then a space or "…":
//     "All changes saved", "Saving…"), e.g. kept in a variable before being shown. Module
//     paths and developer errors (`new Error(...)`, console) are not looked at.
// Only the positions where the value itself is shown are followed (a conditional's branches,
// `a || 'b'`, template text); the arguments of t('key') and other calls are not text.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface Literal {
  file: string;
  line: number;
  text: string;
  where: string;
}

const VISIBLE_ATTRIBUTES = new Set(['title', 'placeholder', 'aria-label', 'aria-description', 'aria-placeholder', 'aria-roledescription', 'aria-valuetext', 'alt', 'label']);
const NOTICE_CALLS = new Set(['toast', 'confirm', 'alert', 'prompt']);
const TOAST_TEXT_PROPERTIES = new Set(['message', 'label', 'title']);
const hasLetter = (text: string) => /\p{L}/u.test(text);
const readsAsSentence = (text: string) => /^\p{Lu}[\p{Ll}'’]*(\s+\S|…)/u.test(text.trim());

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

export function findLiterals(root: string, files: readonly string[]): Literal[] {
  const found: Literal[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const reported = new Set<ts.Node>();
    const report = (node: ts.Node, shown: string, where: string) => {
      reported.add(node);
      if (!hasLetter(shown)) return;
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push({ file: relative(root, file), line, text: shown.trim().replace(/\s+/g, ' '), where });
    };
    // The strings a shown expression can evaluate to.
    const shownValue = (node: ts.Expression, where: string): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return report(node, node.text, where);
      if (ts.isTemplateExpression(node)) return report(node, [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' '), where);
      if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) return shownValue(node.expression, where);
      if (ts.isConditionalExpression(node)) {
        shownValue(node.whenTrue, where);
        return shownValue(node.whenFalse, where);
      }
      if (ts.isBinaryExpression(node) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(node.operatorToken.kind)) {
        if (node.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken) shownValue(node.left, where);
        return shownValue(node.right, where);
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        shownValue(node.left, where);
        return shownValue(node.right, where);
      }
    };
    const toastArgument = (node: ts.Expression): void => {
      if (ts.isObjectLiteralExpression(node)) {
        for (const p of node.properties) {
          if (!ts.isPropertyAssignment(p)) continue;
          const name = p.name.getText(source);
          if (TOAST_TEXT_PROPERTIES.has(name)) shownValue(p.initializer, `toast ${name}`);
          else if (ts.isObjectLiteralExpression(p.initializer)) toastArgument(p.initializer);
        }
      } else shownValue(node, 'notice');
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || isDeveloperMessage(node, source)) return;
      if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) && !reported.has(node) && !ts.isJsxAttribute(node.parent)) {
        const text = ts.isTemplateExpression(node) ? node.head.text : node.text;
        if (readsAsSentence(text) && !isTranslationKey(node)) report(node, ts.isTemplateExpression(node) ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ') : text, 'sentence');
      }
      if (ts.isJsxText(node)) report(node, node.text, 'JSX text');
      else if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText(source)) && node.initializer) {
        const init = node.initializer;
        if (ts.isStringLiteral(init)) report(init, init.text, `${node.name.getText(source)}=`);
        else if (ts.isJsxExpression(init) && init.expression) shownValue(init.expression, `${node.name.getText(source)}=`);
      } else if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
        shownValue(node.expression, 'JSX child');
      } else if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        const onWindow = ts.isPropertyAccessExpression(callee) && callee.expression.getText(source) === 'window';
        if (name === 'toast' || (NOTICE_CALLS.has(name) && (ts.isIdentifier(callee) || onWindow))) node.arguments.forEach(toastArgument);
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && node.left.getText(source) === 'document.title') {
        shownValue(node.right, 'document.title');
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** `new Error('...')`, `throw ...`, `console.x(...)`: words for developers, not owners. */
function isDeveloperMessage(node: ts.Node, source: ts.SourceFile): boolean {
  if (ts.isNewExpression(node) && /Error$/.test(node.expression.getText(source))) return true;
  if (ts.isCallExpression(node) && /^console\./.test(node.expression.getText(source))) return true;
  return false;
}

/** The argument of t('ns:key') / i18n.t(...) / <Trans i18nKey=...>: a key, not a text. */
function isTranslationKey(node: ts.Node): boolean {
  const call = node.parent;
  if (!call || !ts.isCallExpression(call)) return false;
  const callee = call.expression;
  return (ts.isIdentifier(callee) && callee.text === 't') || (ts.isPropertyAccessExpression(callee) && callee.name.text === 't');
}
