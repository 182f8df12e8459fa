#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so a clean `npm install` is enough.
import { register } from 'tsx/esm/api';

register();
await import('../src-main/cli/main.ts');
