/** One request of a $batch, in the JSON batch shape; multipart batches are converted to it. */
export interface BatchPart {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  /** Requests sharing an atomicityGroup (a multipart change set) commit or roll back together. */
  atomicityGroup?: string;
  dependsOn?: string[];
}

export interface BatchPartResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  atomicityGroup?: string;
}
