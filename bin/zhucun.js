#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx, so `npx zhucun …` works right after `npm ci`
// with no build step.
import { register } from 'tsx/esm/api';

register();
// `zhucun audit | head`: a reader that stops early closes the pipe; that ends the output, it is no failure.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
