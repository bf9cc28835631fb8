#!/usr/bin/env node
// The `settledesk` command: runs cli/main.ts (TypeScript, through tsx's loader) with the same core/ code as the desk.
import { register } from 'tsx/esm/api';

// A reader that closes the pipe early (`settledesk ... | head`) is not an error of ours.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
