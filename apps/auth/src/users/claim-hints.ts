/**
 * Which user a normalised username or email (a claim id) named when last looked up, kept in this
 * process, least recently used first out. Only a hint: the user document it leads to is checked to
 * still hold that username or email, and the claim document in the store stays the authority.
 */
export class ClaimHints {
  private readonly hints = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  get(claimId: string): string | undefined {
    const userId = this.hints.get(claimId);
    if (userId !== undefined) {
      // a Map iterates in insertion order: re-inserting marks it the most recently used
      this.hints.delete(claimId);
      this.hints.set(claimId, userId);
    }
    return userId;
  }

  /** The hint without marking it used. */
  peek(claimId: string): string | undefined {
    return this.hints.get(claimId);
  }

  set(claimId: string, userId: string): void {
    this.hints.delete(claimId);
    this.hints.set(claimId, userId);
    if (this.hints.size > this.capacity) this.hints.delete(this.hints.keys().next().value!);
  }

  delete(claimId: string): void {
    this.hints.delete(claimId);
  }

  get size(): number {
    return this.hints.size;
  }
}
