import { SetMetadata } from '@nestjs/common';

export const ODATA_WRITE_VALIDATOR = 'odata:write-validator';

export type WriteMode = 'create' | 'update' | 'replace';

/**
 * A check a feature adds to every write of one entity set (values by column), e.g. webhook
 * URLs; it throws an ODataError to refuse the write. Providers carrying @ODataWriteValidator
 * are found at boot (odata-extensions.ts).
 */
export interface WriteValidator {
  validate(values: Record<string, unknown>, mode: WriteMode): Promise<void>;
}

/** Marks a provider (implementing WriteValidator) as a check on writes to `entitySet`. */
export const ODataWriteValidator = (entitySet: string) => SetMetadata(ODATA_WRITE_VALIDATOR, entitySet);
