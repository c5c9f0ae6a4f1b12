import { Controller, Get, Header, Inject, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where swagger-ui-dist's files are, without loading the package: its main module evaluates the
 * whole UI bundle, about 40 MB of resident memory in every instance for two static files.
 */
const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
import { csdl2openapi } from 'odata-openapi';
import { toCsdlJson } from '../odata/model/csdl-json';
import type { EdmModel } from '../odata/model/edm-model';
import { EDM_MODEL } from '../odata/model/tokens';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

/** An OpenAPI description converted from the CSDL by the OASIS converter, and a page to explore it. */
@Controller()
export class DocsController {
  private openapi?: { host: string; doc: unknown };

  constructor(
    @Inject(EDM_MODEL) private readonly model: EdmModel,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('openapi.json')
  describe(@Req() req: FastifyRequest): unknown {
    const host = req.host;
    if (this.openapi?.host !== host) {
      const csdl = withAuthorizations(toCsdlJson(this.model), this.model, this.config.auth.apiKeyInQuery);
      const options = {
        scheme: req.protocol,
        host,
        basePath: '/odata',
        openapiVersion: '3.0.2',
        diagram: false,
      };
      const doc = csdl2openapi(csdl, options);
      (doc as { info?: { title?: string } }).info!.title = 'Tasks OData service';
      this.openapi = { host, doc };
    }
    return this.openapi.doc;
  }

  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tasks OData API</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;
  }

  /** The explorer's two assets, from the swagger-ui-dist package. */
  @Get('docs/assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const type = ASSETS[file];
    if (!type) {
      reply.code(404).send();
      return;
    }
    reply
      .header('Content-Type', type)
      .header('Cache-Control', 'public, max-age=86400')
      .send(createReadStream(join(SWAGGER_UI_DIR, file)));
  }

  @Get('docs/init.js')
  @Header('Content-Type', 'application/javascript; charset=utf-8')
  init(): string {
    // A separate script, so the page works under a strict Content-Security-Policy.
    return `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', persistAuthorization: true });`;
  }
}

const AUTHORIZATION_VOCABULARY =
  'https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Authorization.V1.xml';

/**
 * The ways to send the API token (features/access/authenticator.ts), as Authorization
 * vocabulary annotations on the container: the converter turns them into the OpenAPI
 * securitySchemes and security, so /docs can send a token and generated clients know how.
 */
function withAuthorizations(
  csdl: Record<string, any>,
  model: EdmModel,
  apiKeyInQuery: boolean,
): Record<string, any> {
  const type = (name: string) => `Org.OData.Authorization.V1.${name}`;
  const schemes: Array<Record<string, string>> = [
    {
      '@type': type('Http'),
      Name: 'bearer',
      Scheme: 'bearer',
      Description: 'Authorization: Bearer <API token>',
    },
    {
      '@type': type('Http'),
      Name: 'basic',
      Scheme: 'basic',
      Description: 'Any user name, the API token as password',
    },
  ];
  if (apiKeyInQuery) {
    const Description = 'The API token in the URL (API_KEY_IN_QUERY)';
    schemes.push({
      '@type': type('ApiKey'),
      Name: 'api_key',
      KeyName: 'api_key',
      Location: 'QueryOption',
      Description,
    });
  }
  const include = { $Namespace: 'Org.OData.Authorization.V1', $Alias: 'Auth' };
  csdl.$Reference[AUTHORIZATION_VOCABULARY] = { $Include: [include] };
  const annotations = csdl[model.namespace].$Annotations;
  const container = `${model.namespace}.${model.containerName}`;
  annotations[container] = {
    ...annotations[container],
    '@Auth.Authorizations': schemes,
    '@Auth.SecuritySchemes': schemes.map((s) => ({ Authorization: s.Name })),
  };
  return csdl;
}
