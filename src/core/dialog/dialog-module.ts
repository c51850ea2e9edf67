import type { FlowHandler } from './flow';
import type { IntentRoute, IntentTable, TurnGate } from './handler';

/**
 * One part of the dialog (a flow with the intents that start it, or a set of intents): the registry in
 * src/app/dialog-wiring.ts lists one per line.
 */
export interface DialogModule {
  intents?: IntentTable;
  flows?: FlowHandler[];
  /** Consulted, in registry order, on every turn of free text that no flow step took. */
  route?: IntentRoute;
  /** Consulted, in registry order, on every turn before anything else (see TurnGate). */
  gate?: TurnGate;
}
