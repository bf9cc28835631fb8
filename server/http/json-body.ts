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

/**
 * A prototype key as JSON writes a key: a quote right before and after. Inside a string value the
 * quotes would be escaped (\"), so a value that merely mentions the word does not match. A text
 * scan instead of a JSON.parse reviver: the reviver made a 2 MB import batch parse 4x slower.
 */
const PROTOTYPE_KEY = /"(?:__proto__|constructor|prototype)"\s*:/;

export function parseJsonBody(text: string): unknown {
  if (jsonDepth(text, JSON_DEPTH_MAX) > JSON_DEPTH_MAX) throw new HttpError(400, 'body_too_deep', `JSON nested deeper than ${JSON_DEPTH_MAX} levels`);
  const forbidden = PROTOTYPE_KEY.exec(text);
  if (forbidden !== null) throw new HttpError(400, 'body_not_json', `body is not JSON we accept: forbidden key ${forbidden[0].slice(0, -1)}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'body_not_json', `body is not JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  return value;
}
