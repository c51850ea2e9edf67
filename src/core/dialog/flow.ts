import type { z } from 'zod';
import type { ChoiceOption, FlowState } from './chat-session';
import type { Understanding } from './handler';
import type { Turn } from './turn';

export interface FlowInput {
  text: string;
  /** Set when the person chose a flow option (button or typed number). */
  value?: string;
  understanding: Understanding;
}

/** Each step's data, as a zod object: what the flow keeps between the question and the answer. */
export type StepSchemas = Record<string, z.ZodType<Record<string, unknown>>>;

/** The typed state of a flow: one of its steps with that step's data. */
export type FlowStep<S extends StepSchemas> = {
  [K in keyof S & string]: { step: K; data: z.infer<S[K]> };
}[keyof S & string];

/** Whether the current flow of a session, on reading, can go on as stored. */
export type FlowCheck = { ok: true } | { ok: false; reason: 'version' | 'data'; issue: string };

// biome-ignore lint/suspicious/noConfusingVoidType: a flow that answered simply returns nothing
type FlowOutcome = void | 'pass';

/** A multi-step conversation (sign-up, cancellation, deletion…), as the engine runs it. */
export interface FlowHandler {
  name: string;
  version: number;
  /** Brings a stored state up to this version and checks its data; false means "restart politely". */
  check(state: FlowState): FlowCheck;
  /** Returns 'pass' when the message is not an answer to the flow's question (the engine then leaves the
   * flow and treats the message as a fresh request). */
  handle(turn: Turn, input: FlowInput): Promise<FlowOutcome>;
  /** Called when the person gives up the flow ("取消"); may say something flow-specific. */
  onCancel?(turn: Turn): void;
}

export interface FlowSpec<S extends StepSchemas> {
  name: string;
  /** Raise it when a step or its data changes; stored states of another version are migrated or restarted. */
  version: number;
  steps: S;
  /** Brings a state written by an older version up to this one; without it such a state restarts politely. */
  migrate?(old: FlowState): FlowStep<S> | undefined;
}

export interface FlowImplementation<S extends StepSchemas> {
  /** `state` is this flow's current step and data, or undefined when a choice of it is pressed outside it. */
  handle(turn: Turn, state: FlowStep<S> | undefined, input: FlowInput): Promise<FlowOutcome>;
  onCancel?(turn: Turn): void;
}

export interface FlowDefinition<S extends StepSchemas> extends FlowSpec<S> {
  /** Enters (or moves to) a step with its data. */
  start<K extends keyof S & string>(turn: Turn, step: K, data: z.infer<S[K]>): void;
  /** A choice that answers this flow's question with `value`. */
  choice(label: string, value: string): ChoiceOption;
  /** The session's state of this flow, typed; undefined when the person is not in this flow. */
  read(state: FlowState | undefined): FlowStep<S> | undefined;
  /** The flow, as the engine runs it, with what it does at each step. */
  handler(implementation: FlowImplementation<S>): FlowHandler;
}

/**
 * A flow's name, version and the data of each step. The step data is checked when a stored session is read
 * (see the engine), so a flow's handler works with typed data and never coerces it.
 */
export function defineFlow<S extends StepSchemas>(spec: FlowSpec<S>): FlowDefinition<S> {
  const parse = (state: FlowState): FlowStep<S> | undefined => {
    const schema = spec.steps[state.step];
    const data = schema?.safeParse(state.data);
    return data?.success ? ({ step: state.step, data: data.data } as FlowStep<S>) : undefined;
  };
  const definition: FlowDefinition<S> = {
    ...spec,
    start(turn, step, data) {
      turn.setFlow({ name: spec.name, version: spec.version, step, data });
    },
    choice: (label, value) => ({ label, action: { type: 'flow', flow: spec.name, value } }),
    read(state) {
      if (!state || state.name !== spec.name || state.version !== spec.version) return undefined;
      return parse(state);
    },
    handler(implementation) {
      return {
        name: spec.name,
        version: spec.version,
        check(state) {
          if (state.version !== spec.version) {
            const migrated = spec.migrate?.(state);
            if (!migrated) return { ok: false, reason: 'version', issue: `version ${state.version}` };
            Object.assign(state, { version: spec.version, step: migrated.step, data: migrated.data });
          }
          const schema = spec.steps[state.step];
          if (!schema) return { ok: false, reason: 'data', issue: `no step ${state.step}` };
          const data = schema.safeParse(state.data);
          if (!data.success) return { ok: false, reason: 'data', issue: data.error.issues[0]?.message ?? '' };
          return { ok: true };
        },
        handle: (turn, input) => implementation.handle(turn, definition.read(turn.session.flow), input),
        onCancel: implementation.onCancel,
      };
    },
  };
  return definition;
}
