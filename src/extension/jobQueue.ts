/**
 * The order model jobs run in. Pure (no vscode import), unit-tested. Every job goes to the one
 * engine process, which runs requests one after another in the order they were sent: the oldest
 * unfinished job is running, every later one waits for it (the sidebar and a queued job's progress
 * say "waiting for Analyze hello.prompt", not "loading model…").
 */
export interface QueuedJob {
  id: number;
  title: string;
  state: 'running' | 'waiting';
  /** The running job's title, for a waiting one. */
  waitingFor?: string;
}

export class JobQueue {
  private readonly jobs: { id: number; title: string }[] = [];
  private next = 1;

  add(title: string): number {
    const id = this.next++;
    this.jobs.push({ id, title });
    return id;
  }

  remove(id: number): void {
    const i = this.jobs.findIndex((j) => j.id === id);
    if (i >= 0) this.jobs.splice(i, 1);
  }

  list(): QueuedJob[] {
    const head = this.jobs[0];
    return this.jobs.map((j, i) => (i === 0 ? { ...j, state: 'running' } : { ...j, state: 'waiting', waitingFor: head!.title }));
  }

  /** The title of the job `id` waits for, or undefined when it runs (or is gone). */
  waitingFor(id: number): string | undefined {
    return this.list().find((j) => j.id === id)?.waitingFor;
  }

  get running(): string | undefined {
    return this.jobs[0]?.title;
  }
}
