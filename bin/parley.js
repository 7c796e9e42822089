#!/usr/bin/env node
// The `parley` command. The TypeScript sources are compiled to dist/ by
// `npm install` (the prepare script) or `npm run build:node`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/parley.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('Parley is not built yet: run `npm run build:node` (npm install does this for you).');
  process.exit(1);
}
await import(entry.href);
