#!/usr/bin/env node
// A stand-in for the owner's browser, for BROWSER=<this file> (the way xdg-open is told which
// browser to use): it GETs the authorization URL and follows the redirects, as a browser does
// after an automatic consent, until the last one reaches the studio's loopback listener.
// Exits 0 once a response that is not a redirect arrived; 1 (with the reason) otherwise.
const MAX_REDIRECTS = 10;

const url = process.argv[2];
if (!url) {
  console.error('usage: browser-follower.mjs URL');
  process.exit(2);
}
let current = url;
try {
  for (let hops = 0; ; hops++) {
    const res = await fetch(current, { redirect: 'manual', signal: AbortSignal.timeout(30_000) });
    const location = res.headers.get('location');
    await res.body?.cancel();
    if (res.status < 300 || res.status >= 400 || !location) {
      if (res.status >= 400) throw new Error(`${current} answered HTTP ${res.status}`);
      process.exit(0);
    }
    if (hops >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`);
    current = new URL(location, current).href;
  }
} catch (err) {
  console.error(`browser-follower: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
