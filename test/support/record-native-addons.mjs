// Preload (`node --import ./test/support/record-native-addons.mjs ...`): appends the path of
// every native addon (.node file) the process loads to the file named by FLOWBOT_ADDON_LOG.
// Node loads every addon through process.dlopen.
import { appendFileSync } from 'node:fs';

const log = process.env.FLOWBOT_ADDON_LOG;
const dlopen = process.dlopen;
process.dlopen = function recordingDlopen(module, filename, ...rest) {
  if (log) appendFileSync(log, `${filename}\n`);
  return dlopen.call(this, module, filename, ...rest);
};
