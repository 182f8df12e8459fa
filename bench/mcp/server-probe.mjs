// Preloaded into examples/crm-server by bench/mcp/probe.ts (node --import). Records, on the
// monotonic clock (process.hrtime, comparable across processes), each stdin chunk the
// server's transport read (with how many requests it carried) and each message it wrote;
// writes them to $PROBE_STATS_FILE at exit.
import { writeFileSync } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms
const events = []; // [ms, 'r' | 'w', requests in chunk]
const proto = StdioServerTransport.prototype;
const origRead = proto.processReadBuffer;
proto.processReadBuffer = function () {
  const t = now();
  const on = this.onmessage;
  let n = 0;
  this.onmessage = (...args) => {
    n++;
    return on?.(...args);
  };
  try {
    origRead.call(this);
  } finally {
    this.onmessage = on;
    events.push([t, 'r', n]);
  }
};
const origSend = proto.send;
proto.send = function (...args) {
  events.push([now(), 'w', 1]);
  return origSend.apply(this, args);
};
process.on('exit', () => {
  if (process.env.PROBE_STATS_FILE) writeFileSync(process.env.PROBE_STATS_FILE, JSON.stringify(events));
});
