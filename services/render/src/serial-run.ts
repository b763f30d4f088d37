/**
 * A round of work run when kicked (an event, a timer, a completed item), never two rounds at once in
 * a process. Kicks that arrive during a round fold into one more round after it, so no kick is missed
 * and kicks never pile up. A round that stopped at its batch limit resolves to true to run again at once.
 * A failed round is reported and the runner stays usable: the next kick runs a fresh round.
 */
export class SerialRun {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly round: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when no round is running or folded in (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        if ((await this.round()) === true) this.again = true;
      } catch (error) {
        this.onError(error);
      }
    } while (this.again);
  }
}
