// Did a sandboxed server fail because the sandbox said no? Read from what it printed on stderr
// (pure). bubblewrap on Linux has no violation log (the library's violation store covers macOS
// and seccomp events; a hidden file simply is not there), so this recognises the errors
// programs print: a permission error or a read-only file system on a path (EACCES, EPERM,
// EROFS: the path was outside the writable folders), a missing file inside a hidden folder
// (ENOENT under the home, the data folder, /tmp), and a network that is not there (ENETUNREACH,
// EAI_AGAIN, ECONNREFUSED to a host, the proxy's refusal). It can miss a denial the program
// reports in its own words, and it names the first one only.
import { isInside, type SandboxPolicy } from './policy';

export type SandboxDenial = { action: 'read' | 'write'; path: string } | { action: 'reach'; host: string };

// Node: "EACCES: permission denied, open '/x'"; Python: "[Errno 13] Permission denied: '/x'".
const NODE_FS = /\b(EACCES|EPERM|EROFS|ENOENT)\b[^'\n]*?'(\/[^'\n]+)'/;
const PYTHON_FS = /\[Errno (13|1|30|2)\] [^:\n]+: '(\/[^'\n]+)'/;
const PY_CODES: Record<string, string> = { '13': 'EACCES', '1': 'EPERM', '30': 'EROFS', '2': 'ENOENT' };
// Node: "getaddrinfo EAI_AGAIN host", "connect ENETUNREACH 1.2.3.4:443", "connect ECONNREFUSED 127.0.0.1:80".
const NODE_NET = /\b(?:getaddrinfo (?:EAI_AGAIN|ENOTFOUND)|connect (?:ENETUNREACH|ECONNREFUSED|EHOSTUNREACH)) (\[?[\w.:-]+\]?)/;
const PROXY_BLOCK = /blocked-by-sandbox-runtime|Connection blocked by network allowlist/;

export function sandboxDenial(stderr: string, policy: Pick<SandboxPolicy, 'denyRead' | 'allowRead' | 'allowWrite' | 'network'>): SandboxDenial | undefined {
  for (const line of stderr.split('\n')) {
    const fs = NODE_FS.exec(line) ?? PYTHON_FS.exec(line);
    if (fs) {
      const code = PY_CODES[fs[1]!] ?? fs[1]!;
      const p = fs[2]!;
      if (code === 'ENOENT') {
        if (policy.denyRead.some((d) => isInside(p, d)) && !policy.allowRead.some((a) => isInside(p, a))) return { action: 'read', path: p };
        continue;
      }
      if (code === 'EROFS' || !policy.allowWrite.some((w) => isInside(p, w))) {
        return { action: code === 'EROFS' || /open|write|mkdir|Errno 30/.test(line) ? 'write' : 'read', path: p };
      }
    }
    if (policy.network !== 'all') {
      const net = NODE_NET.exec(line);
      if (net) return { action: 'reach', host: net[1]! };
      if (PROXY_BLOCK.test(line)) return { action: 'reach', host: /https?:\/\/([^/\s'"]+)/.exec(line)?.[1] ?? 'a host' };
    }
  }
  return undefined;
}
