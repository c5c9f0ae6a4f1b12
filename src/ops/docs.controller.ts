import { Controller, Get, Header, Inject, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import { csdl2openapi } from 'odata-openapi';
import { toCsdlJson } from '../odata/model/csdl-json';
import type { EdmModel } from '../odata/model/edm-model';
import { EDM_MODEL } from '../odata/model/tokens';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

/** An OpenAPI description converted from the CSDL by the OASIS converter, and a page to explore it. */
@Controller()
export class DocsController {
  private openapi?: { host: string; doc: unknown };

  constructor(@Inject(EDM_MODEL) private readonly model: EdmModel) {}

  @Get('openapi.json')
  describe(@Req() req: FastifyRequest): unknown {
    const host = req.host;
    if (this.openapi?.host !== host) {
      const doc = csdl2openapi(toCsdlJson(this.model), { scheme: req.protocol, host, basePath: '/odata', openapiVersion: '3.0.2', diagram: false });
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
    reply.header('Content-Type', type).header('Cache-Control', 'public, max-age=86400').send(createReadStream(join(getAbsoluteFSPath(), file)));
  }

  @Get('docs/init.js')
  @Header('Content-Type', 'application/javascript; charset=utf-8')
  init(): string {
    // A separate script, so the page works under a strict Content-Security-Policy.
    return `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', persistAuthorization: true });`;
  }
}
