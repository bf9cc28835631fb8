import { HttpError } from './errors.ts';

/**
 * JSON bodies are read by our own parser so depth is bounded before JSON.parse runs: a body of
 * 100k nested brackets would otherwise exhaust the stack or the heap of every handler that
 * walks it. Prototype keys are refused as Fastify's default parser does.
 */
export const JSON_DEPTH_MAX = 32;

/** The deepest bracket nesting outside strings, stopping as soon as it passes `limit`. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++;
      else if (char === 0x22) inString = false;
      continue;
    }
    if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return deepest;
}

export function parseJsonBody(text: string): unknown {
  if (jsonDepth(text, JSON_DEPTH_MAX) > JSON_DEPTH_MAX) throw new HttpError(400, 'body_too_deep', `JSON nested deeper than ${JSON_DEPTH_MAX} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text, (key, item: unknown) => {
      if (key === '__proto__' || key === 'constructor') throw new SyntaxError(`forbidden key ${key}`);
      return item;
    });
  } catch (error) {
    throw new HttpError(400, 'body_not_json', `body is not JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  return value;
}
