import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

/** Where a periodic task reports a failed run (Nest's Logger fits). */
export interface TaskLogger {
  warn(message: string): void;
}

/**
 * Runs `task` every `intervalMs`, never two runs at once (a tick that finds one still running is
 * skipped), without keeping the process alive; a failed run is logged and the next tick tries again.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly name: string,
    private readonly task: () => Promise<unknown>,
    private readonly logger: TaskLogger,
  ) {}

  /** Starts the timer; an interval of 0 leaves the task off. */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.task();
    } catch (error) {
      this.logger.warn(`${this.name}: ${String(error)}`);
    } finally {
      this.running = false;
    }
  }
}

/**
 * A job whose `sweep` runs every `intervalMs` (0: never) from the app's bootstrap to its shutdown, as a
 * {@link PeriodicTask}; a subclass passes its name and interval from its config and writes `sweep`.
 */
export abstract class PeriodicJob implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly task: PeriodicTask;

  protected constructor(
    name: string,
    private readonly intervalMs: number,
  ) {
    this.task = new PeriodicTask(name, () => this.sweep(), this.logger);
  }

  /** One run (tests call it directly); what it resolves to is the subclass's to say. */
  abstract sweep(): Promise<unknown>;

  onApplicationBootstrap(): void {
    this.task.start(this.intervalMs);
  }

  onModuleDestroy(): void {
    this.task.stop();
  }
}
