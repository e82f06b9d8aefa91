import { PeriodicJob, PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs on each tick, skips a tick while a run is still going, and stops', async () => {
    let runs = 0;
    let finish: () => void = () => undefined;
    const task = new PeriodicTask(
      'sweep',
      () => {
        runs++;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      { warn: jest.fn() },
    );
    task.start(1000);
    await jest.advanceTimersByTimeAsync(1000);
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(1);
    finish();
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(2);
    finish();
    task.stop();
    await jest.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(2);
  });

  it('logs a failed run with its name and runs again at the next tick', async () => {
    const warn = jest.fn();
    let runs = 0;
    const task = new PeriodicTask(
      'hold reminders',
      () => {
        runs++;
        return runs === 1 ? Promise.reject(new Error('store away')) : Promise.resolve();
      },
      { warn },
    );
    task.start(500);
    await jest.advanceTimersByTimeAsync(1000);
    expect(warn).toHaveBeenCalledWith('hold reminders: Error: store away');
    expect(runs).toBe(2);
    task.stop();
  });

  it('stays off with an interval of 0', async () => {
    const run = jest.fn(() => Promise.resolve());
    new PeriodicTask('off', run, { warn: jest.fn() }).start(0);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(run).not.toHaveBeenCalled();
  });
});

describe('PeriodicJob', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  class CountingJob extends PeriodicJob {
    runs = 0;
    constructor(intervalMs: number) {
      super('counting', intervalMs);
    }
    sweep(): Promise<number> {
      return Promise.resolve(++this.runs);
    }
  }

  it('sweeps every interval from the app bootstrap until the module is destroyed', async () => {
    const job = new CountingJob(1000);
    await jest.advanceTimersByTimeAsync(3000);
    expect(job.runs).toBe(0);
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3000);
    expect(job.runs).toBe(3);
    job.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(3000);
    expect(job.runs).toBe(3);
  });

  it('never sweeps by itself with an interval of 0', async () => {
    const job = new CountingJob(0);
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(job.runs).toBe(0);
  });
});
