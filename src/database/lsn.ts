/** PostgreSQL WAL positions ('16/B374D848'), as sent in consistency tokens and compared here. */
const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

export function isLsn(value: string): boolean {
  return LSN.test(value);
}

function toBig(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareLsn(a: string, b: string): number {
  const d = toBig(a) - toBig(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
