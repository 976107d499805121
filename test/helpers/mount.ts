/**
 * Tests that need a full or read-only file system mount a tiny tmpfs in a private mount namespace
 * (`unshare --user --map-root-user --mount`): no root and nothing visible outside the test.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

/** The `skip` reason where unprivileged mount namespaces are off; undefined where they work. */
export function unshareSkip(): string | undefined {
  const r = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=4k tmpfs "$d" && umount "$d" && rmdir "$d"'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `needs unprivileged mount namespaces (unshare --user --mount): ${(r.stderr || r.error?.message || '').trim()}`;
}

/** Runs the sh `script` in a private user + mount namespace with `env` added to the environment. */
export function inMountNamespace(script: string, env: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', script], { encoding: 'utf8', env: { ...process.env, ...env } });
}
