/**
 * Group commit: calls made while the previous command is in flight (or within the same turn of
 * the event loop) go to the store together, as one command. On FerretDB every command costs far
 * more than a document in it, so many callers' writes in one command are most of the saving; each
 * caller still waits for the command that carries its own item, so nothing resolves before its
 * write is acknowledged. `run` answers one result per item, in order; when it throws, every item of
 * that command is rejected with the error (callers retry as they would a failed write of their own).
 */
export class GroupCommit<I, O> {
  private pending: { item: I; resolve(out: O): void; reject(error: unknown): void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly limits: { maxBatch: number; maxInFlight: number },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once nothing is pending or in flight (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.pending.length > 0 || this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.limits.maxInFlight) return;
    this.scheduled = true;
    // The other callers of this turn (a Kafka batch's events, the worker's slots) hand theirs over first.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.pending.length > 0 && this.inFlight < this.limits.maxInFlight) {
      const batch = this.pending.splice(0, this.limits.maxBatch);
      this.inFlight += 1;
      this.run(batch.map((p) => p.item))
        .then(
          (outs) => batch.forEach((p, i) => p.resolve(outs[i])),
          (error: unknown) => batch.forEach((p) => p.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          if (this.pending.length > 0) this.schedule();
        });
    }
  }
}
