/**
 * Exclusive use of one shared thing (the page's GPU engine): a run and a sweep must not interleave
 * their work on one device. Taking the lease revokes whoever held it, at once and synchronously,
 * so the previous holder stops before the new one starts; a revoked holder keeps its ticket (a
 * paused run may want the engine back) and renews it to take the lease again. DOM- and GPU-free.
 */

/** What a holder is told. */
export interface LeaseHandlers {
  /** Someone else took the lease: stop using the shared thing until `renew()`. */
  onRevoked(): void;
}

/** One holder's claim; `holds` while nobody has taken the lease since. */
export interface LeaseTicket<H extends LeaseHandlers> {
  readonly handlers: H;
  /** True while this ticket has the lease. */
  readonly holds: boolean;
  /** Takes the lease back (revoking the current holder); false once released. */
  renew(): boolean;
  /** Gives the lease up for good (idempotent). */
  release(): void;
}

/** A lease over one shared thing. */
export class ExclusiveLease<H extends LeaseHandlers> {
  private holder: LeaseTicket<H> | null = null;
  private readonly tickets = new Set<LeaseTicket<H>>();

  /** Tickets not yet released (held or revoked), e.g. to tell them all the device was lost. */
  get live(): readonly LeaseTicket<H>[] {
    return [...this.tickets];
  }

  /** The ticket that holds the lease now, or null. */
  get current(): LeaseTicket<H> | null {
    return this.holder;
  }

  /** Takes the lease for `handlers`, revoking the current holder first. */
  take(handlers: H): LeaseTicket<H> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the ticket's methods act on its lease
    const lease = this;
    let released = false;
    const ticket: LeaseTicket<H> = {
      handlers,
      get holds() {
        return lease.holder === ticket;
      },
      renew() {
        if (released) return false;
        lease.grant(ticket);
        return true;
      },
      release() {
        if (released) return;
        released = true;
        lease.tickets.delete(ticket);
        if (lease.holder === ticket) lease.holder = null;
      },
    };
    this.tickets.add(ticket);
    this.grant(ticket);
    return ticket;
  }

  private grant(ticket: LeaseTicket<H>): void {
    const previous = this.holder;
    if (previous === ticket) return;
    this.holder = ticket;
    previous?.handlers.onRevoked();
  }
}
