/**
 * The engine process's environment: the host's, plus glibc's huge-page switch for malloc.
 *
 * Mapped mode keeps widened blocks in arrays of their own (model/weights.ts), up to 14 GiB on a 7B
 * model, and touching new memory for the first time is what a cold process pays for: 10-19 ns a
 * value with 4 KiB pages on this project's VMs, 0.3-9 ns with 2 MiB ones (docs/performance.md).
 * Those arrays come from malloc, and `glibc.malloc.hugetlb=1` makes malloc ask the kernel for
 * transparent huge pages on what it maps (madvise; the kernel's default THP mode, "madvise", honours
 * it). Tunables are read when a process starts, so the host sets it for the process it forks. A
 * value the user set is kept: one that already names the tunable wins, others are extended. Other C
 * libraries and systems ignore the variable.
 */
const TUNABLE = 'glibc.malloc.hugetlb';

export function engineProcessEnv(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): NodeJS.ProcessEnv {
  if (platform !== 'linux') return env;
  const current = env.GLIBC_TUNABLES;
  if (current?.split(':').some((t) => t.split('=')[0] === TUNABLE)) return env;
  return { ...env, GLIBC_TUNABLES: current ? `${current}:${TUNABLE}=1` : `${TUNABLE}=1` };
}
