// Installs the npm dependencies when they are missing or older than package-lock.json, so `npm run dev` and
// `npm test` work straight after a clone or a pull. Node built-ins only.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { rootDir } from './provision.mjs';
import { since } from './timing.mjs';

const lockFile = path.join(rootDir, 'package-lock.json');
// npm rewrites this copy of the lock file after every successful install.
const installedLock = path.join(rootDir, 'node_modules', '.package-lock.json');

function installReason() {
  if (!existsSync(installedLock)) return 'node_modules is missing';
  if (statSync(lockFile).mtimeMs > statSync(installedLock).mtimeMs) return 'package-lock.json changed';
  return undefined;
}

/** Runs `npm ci` (CI, or nothing installed yet) or `npm install` (lock changed) when needed. */
export function ensureDependencies() {
  const reason = installReason();
  if (!reason) return;
  const command = process.env.CI === 'true' || !existsSync(installedLock) ? 'ci' : 'install';
  console.log(`npm ${command}: ${reason}`);
  const started = performance.now();
  const result = spawnSync('npm', [command, '--no-audit', '--no-fund'], { cwd: rootDir, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`error: npm ${command} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
  // Mark the install as newer than the lock, even when npm left the lock file's time later than its copy.
  const now = new Date();
  utimesSync(installedLock, now, now);
  console.log(`npm ${command}: done in ${since(started)}`);
}
