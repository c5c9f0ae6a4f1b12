import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { ErrorCode, ODataError } from '../../odata/errors/odata-error';
import { ContactCaller, SYSTEM_CONTACT_ID, contactCaller } from '../shared/caller';
import { hashToken } from './tokens';

export const WWW_AUTHENTICATE = 'Bearer realm="odata", Basic realm="odata", charset="UTF-8"';

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Finds the caller from an API token: `Authorization: Bearer <token>`, Basic with the token as
 * password (any user name: what Excel and Power BI offer), or `?api_key=<token>` when
 * API_KEY_IN_QUERY is on (Power BI's "Web API" key). ADMIN_TOKEN is an administrator token.
 */
@Injectable()
export class Authenticator {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  tokenOf(headers: Record<string, string | string[] | undefined>, search: string): string | undefined {
    const auth = typeof headers.authorization === 'string' ? headers.authorization.trim() : '';
    const bearer = auth.match(/^Bearer\s+(\S+)$/i);
    if (bearer) return bearer[1];
    const basic = auth.match(/^Basic\s+(\S+)$/i);
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon >= 0 ? decoded.slice(colon + 1) : decoded;
    }
    if (this.config.auth.apiKeyInQuery) {
      const m = search.match(/(?:^|&)api_key=([^&]*)/);
      if (m) return decodeApiKey(m[1]);
    }
    return undefined;
  }

  /** The caller, or undefined when the request carries no token. A bad token is a 401. */
  async authenticate(
    headers: Record<string, string | string[] | undefined>,
    search: string,
  ): Promise<ContactCaller | undefined> {
    return (await this.identify(headers, search))?.caller;
  }

  /**
   * The caller and the stored token it used (none for ADMIN_TOKEN), so that a long-lived
   * response (the change stream) can end when that token is revoked.
   */
  async identify(headers: Headers, search: string): Promise<Identity | undefined> {
    const token = this.tokenOf(headers, search);
    if (!token) return undefined;
    if (this.config.auth.adminToken && equal(token, this.config.auth.adminToken)) {
      return { caller: contactCaller(SYSTEM_CONTACT_ID, true) };
    }
    // A read on every request; LastUsedDateTime is written at most once a minute per token, so
    // authentication adds no write to the hot path.
    const [row] = await this.dataSource.query(
      `SELECT t."ApiTokenId", t."ContactId", c."IsAdmin", t."LastUsedDateTime" IS NULL OR t."LastUsedDateTime" < now() - interval '1 minute' AS stale
       FROM api_token t JOIN contact c ON c."ContactId" = t."ContactId"
       WHERE t."TokenHash" = $1 AND t."RevokedDateTime" IS NULL`,
      [hashToken(token)],
    );
    if (row?.stale) {
      void this.dataSource
        .query(`UPDATE api_token SET "LastUsedDateTime" = now() WHERE "ApiTokenId" = $1`, [row.ApiTokenId])
        .catch(() => undefined);
    }
    if (!row) throw unauthorized('The token is not valid (unknown or revoked)');
    return { caller: contactCaller(row.ContactId, row.IsAdmin), apiTokenId: row.ApiTokenId };
  }
}

type Headers = Record<string, string | string[] | undefined>;

export interface Identity {
  caller: ContactCaller;
  /** The api_token row; undefined for ADMIN_TOKEN, which only configuration revokes. */
  apiTokenId?: string;
}

/** A malformed percent-encoding is a bad credential (401), not a failure of the service. */
function decodeApiKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw unauthorized('The api_key is not valid');
  }
}

export function unauthorized(message: string): ODataError {
  return new ODataError(401, ErrorCode.Unauthorized, message, undefined, undefined, {
    'WWW-Authenticate': WWW_AUTHENTICATE,
  });
}
