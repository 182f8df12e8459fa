// flowbot web-password [--data-dir DIR] [--generate]
// Sets the password that signs in to the studio when it is served to other machines
// (`flowbot serve`, docs/remote-access.md). It is read from stdin (typed twice without echo on a
// terminal), never from the command line; --generate makes a long random one and prints it
// once. Only a scrypt hash is stored (<data dir>/web-password.json); a running server picks the
// new password up at once and ends the sessions opened with the old one.
import { generatePassword, passwordFileOf, passwordProblem, setWebPassword } from '../../web/remote/password-file';
import { promptHidden, readAll } from '../hidden-input';
import { EXIT, UsageError, dataDirOf, dataDirOption, parse } from '../usage';

export interface WebPasswordDeps {
  stdin?: NodeJS.ReadStream;
}

export async function webPasswordCommand(argv: string[], deps: WebPasswordDeps = {}): Promise<number> {
  const { values } = parse(argv, { ...dataDirOption, generate: { type: 'boolean' } }, false);
  const dataDir = dataDirOf(values);
  const stdin = deps.stdin ?? process.stdin;
  let password: string;
  if (values.generate === true) {
    password = generatePassword();
  } else if (stdin.isTTY) {
    password = await promptHidden(stdin, 'New web password (not shown): ', 'web-password was cancelled; the password did not change');
    const problem = passwordProblem(password);
    if (problem !== null) throw new UsageError(problem);
    const again = await promptHidden(stdin, 'The same again: ', 'web-password was cancelled; the password did not change');
    if (again !== password) throw new UsageError('the two passwords differ; the password did not change');
  } else {
    password = (await readAll(stdin, 4096, 'web-password: the value on stdin is larger than 4 KiB')).replace(/\r?\n$/, '');
    if (password === '') throw new UsageError('web-password read an empty password from stdin; type it on a terminal, pipe it in, or use --generate');
  }
  const problem = passwordProblem(password);
  if (problem !== null) throw new UsageError(problem);
  await setWebPassword(dataDir, password);
  if (values.generate === true) {
    process.stdout.write(`The new web password (shown this once; keep it in your password manager):\n\n    ${password}\n\n`);
  }
  process.stdout.write(`Stored the web password's hash in ${passwordFileOf(dataDir)}. Sessions signed in with the old password have ended.\n`);
  return EXIT.ok;
}
