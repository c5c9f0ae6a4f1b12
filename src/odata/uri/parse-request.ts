import type { ODataQuery } from '../query/odata-query';
import { InputLimits, checkUrlLength } from './input-limits';
import { RawOptions, queryOf, splitQueryString } from './parse-query-options';
import { PathSegment, parseResourcePath } from './parse-resource-path';

/**
 * A request's URL, parsed once and shared by everything that needs it: admission reads the
 * resource path and $top to choose a lane before the request runs, the handler the same path
 * and the full query options. Each part is parsed on first use (within the input limits) and
 * kept, errors included, so that a bad URL fails the same way wherever it is first read.
 *
 *   parseRequest('/Task(1)/Notes', '$top=5&@p=1')
 *     .segments()  -> [{ name: 'Task', keys: [...], call: true }, { name: 'Notes' }]
 *     .options()   -> { system: Map { top -> '5' }, aliases: Map { p -> '1' }, custom: Map {} }
 *     .query()     -> { top: 5, orderby: [], expand: [], count: false, ... }
 */
export interface ParsedRequest {
  /** The resource path without trailing slashes: '' for the service document. */
  readonly path: string;
  /** Throws when the URL is longer than the limits allow. */
  checkLength(): void;
  segments(): PathSegment[];
  options(): RawOptions;
  query(): ODataQuery;
}

export function parseRequest(path: string, search: string, limits?: InputLimits): ParsedRequest {
  const trimmed = path.replace(/\/+$/, '');
  const checkLength = once(() => checkUrlLength(path, search, limits));
  const options = once(() => {
    checkLength();
    return splitQueryString(search, limits);
  });
  return {
    path: trimmed,
    checkLength,
    segments: once(() => {
      checkLength();
      return parseResourcePath(trimmed, limits);
    }),
    options,
    query: once(() => queryOf(options())),
  };
}

/** `fn`'s first result (or error), every time. */
function once<T>(fn: () => T): () => T {
  let done: { value: T } | { error: unknown } | undefined;
  return () => {
    done ??= (() => {
      try {
        return { value: fn() };
      } catch (error) {
        return { error };
      }
    })();
    if ('error' in done) throw done.error;
    return done.value;
  };
}
