/**
 * Counts a worker's http-step requests in flight per target host, so that one slow target (hanging until its
 * timeout) can take at most `perHost` of the worker's slots and never starve runs that call other hosts.
 */
export class HostSlots {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly perHost: number) {}

  /** Takes a slot for `host`; false when the host already has its share. */
  take(host: string): boolean {
    const taken = this.inFlight.get(host) ?? 0;
    if (taken >= this.perHost) return false;
    this.inFlight.set(host, taken + 1);
    return true;
  }

  give(host: string): void {
    const taken = (this.inFlight.get(host) ?? 1) - 1;
    if (taken > 0) this.inFlight.set(host, taken);
    else this.inFlight.delete(host);
  }
}
