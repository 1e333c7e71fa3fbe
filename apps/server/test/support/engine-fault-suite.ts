import { afterEach, beforeEach, describe, it } from 'vitest';
import { expectUnharmed, runFault } from './fault-scenario';
import { type EngineName, type FaultWorld, startFaultWorld } from './fault-world';
import { blackholeFault, ENGINE_LABEL, killFault, resetFault } from './faults';

/** A fault test runs for about half a minute; the limit leaves room to record a row when it goes wrong. */
const FAULT_TEST_MS = 150_000;

/**
 * The three faults of one engine (killed, its link reset, its link black-holed), each in a deployment of
 * its own. One file per engine, so the engines' suites run side by side.
 */
export function describeEngineFaults(engine: EngineName): void {
  describe(`${ENGINE_LABEL[engine]} faults during a burst of prices and ledger writes`, () => {
    let world: FaultWorld | undefined;
    beforeEach(async () => {
      world = await startFaultWorld();
    });
    afterEach(async () => {
      await world?.stop();
      world = undefined;
    });

    for (const fault of [killFault(engine), resetFault(engine), blackholeFault(engine)]) {
      it(
        `${fault.description}: nothing lost, doubled or wrong, no gap, no hang; recovers by itself`,
        async () => expectUnharmed(await runFault(world!, fault)),
        FAULT_TEST_MS,
      );
    }
  });
}
