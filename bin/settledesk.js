#!/usr/bin/env node
// The `settledesk` command: runs cli/main.ts (TypeScript, through tsx's loader) with the same core/ code as the desk.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
