/**
 * One long job on a screen (an import, an export, a backup, a restore, moving the book): its
 * progress, a bar that shows only when the job lasts, and its stop button. The backend links
 * the job to the call's own progress channel, so two jobs never mix their progress and "stop"
 * stops exactly the job shown.
 */

/** How a long job's caller hears its progress and stops it. */
export interface JobLink<P> {
  /** Each progress report, in order. */
  report(progress: P): void;
  /** Called once the job has been sent, with the way to stop it. */
  started(stop: () => Promise<void>): void;
}

/** Jobs quicker than this never flash a progress bar. */
export const PROGRESS_DELAY_MS = 250;

export class Job<P> {
  /** The latest progress report, null until the first. */
  progress: P | null = $state(null);
  running = $state(false);
  /** Whether to show the bar: the job has run longer than the delay. */
  showBar = $state(false);
  /** The dealer asked to stop it. */
  cancelling = $state(false);
  #stop: (() => Promise<void>) | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #delayMs: number;

  constructor(delayMs: number = PROGRESS_DELAY_MS) {
    this.#delayMs = delayMs;
  }

  /** Runs `call` (a backend method given this job's link); resolves or rejects as it does. */
  async run<T>(call: (link: JobLink<P>) => Promise<T>): Promise<T> {
    this.progress = null;
    this.running = true;
    this.cancelling = false;
    this.showBar = false;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => (this.showBar = true), this.#delayMs);
    try {
      return await call({
        report: (progress) => (this.progress = progress),
        started: (stop) => (this.#stop = stop),
      });
    } finally {
      clearTimeout(this.#timer);
      this.#stop = null;
      this.running = false;
      this.showBar = false;
    }
  }

  /** Asks the running job to stop where it can; the job then rejects with "cancelled". */
  async cancel(): Promise<void> {
    this.cancelling = true;
    try {
      await this.#stop?.();
    } catch {
      // The job ends by itself; nothing else to do.
    }
  }
}
