// Typings for the internal modules of odata-v4-parser that our extension layer builds on.
declare module 'odata-v4-parser/lib/expressions' {
  const Expressions: Record<string, (value: Uint16Array, index: number) => any>;
  export default Expressions;
}
declare module 'odata-v4-parser/lib/lexer' {
  const Lexer: {
    tokenize(value: Uint16Array, index: number, next: number, tokenValue: unknown, tokenType: string): any;
    RWS(value: Uint16Array, index: number): number;
    BWS(value: Uint16Array, index: number): number;
    OPEN(value: Uint16Array, index: number): number;
    CLOSE(value: Uint16Array, index: number): number;
    COMMA(value: Uint16Array, index: number): number;
    COLON(value: Uint16Array, index: number): number;
  };
  export default Lexer;
}
declare module 'odata-v4-parser/lib/query' {
  const Query: Record<string, (value: Uint16Array, index: number) => any>;
  export default Query;
}
declare module 'odata-v4-parser/lib/parser' {
  export const parserFactory: (fn: (value: Uint16Array, index: number) => any) => (source: string) => any;
}
declare module 'odata-v4-parser/lib/utils' {
  const Utils: { stringify(value: Uint16Array, index: number, next: number): string };
  export default Utils;
}
