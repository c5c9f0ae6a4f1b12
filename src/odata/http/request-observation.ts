/** What one request did, for metrics and logs. */
export interface RequestObservation {
  /** The entity set (or $metadata, $batch, service) the request addressed. */
  resource: string;
  method: string;
  status: number;
  seconds: number;
  rows?: number;
  batchSize?: number;
}

/** `/Task(…)/Notes?…` -> `Task`; `/$batch` -> `$batch`; `` -> `service`. */
export function resourceOf(path: string): string {
  const first = path.split('/').filter(Boolean)[0];
  if (!first) return 'service';
  const name = first.replace(/\(.*$/, '');
  return /^[A-Za-z_$][A-Za-z0-9_.]*$/.test(name) ? name : 'other';
}
