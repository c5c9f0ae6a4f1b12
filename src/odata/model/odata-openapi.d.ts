declare module 'odata-openapi' {
  export function csdl2openapi(csdl: unknown, options?: Record<string, unknown>): any;
}
declare module 'swagger-ui-dist' {
  export function getAbsoluteFSPath(): string;
}
