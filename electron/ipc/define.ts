import type { z } from 'zod';

/**
 * One IPC handler: the zod schema its input must pass and the service call it makes. Handlers are
 * grouped into one typed map per domain (host-handlers.ts, file-handlers.ts, secret-handlers.ts),
 * combined into one Handlers type (handlers.ts) that the preload's calls are checked against.
 */
export interface IpcHandler<Input extends z.ZodType, Output> {
  readonly input: Input;
  // Method syntax on purpose: a map of specific handlers must be assignable to HandlerMap.
  run(input: z.output<Input>): Promise<Output>;
}

export type HandlerMap = { readonly [channel: string]: IpcHandler<z.ZodType, unknown> };

export type InputOf<H> = H extends IpcHandler<infer Input, unknown> ? z.input<Input> : never;
export type OutputOf<H> = H extends IpcHandler<z.ZodType, infer Output> ? Output : never;

export function defineHandler<Input extends z.ZodType, Output>(input: Input, run: (input: z.output<Input>) => Promise<Output>): IpcHandler<Input, Output> {
  return { input, run };
}
