import { toCsdlJson } from '../model/csdl-json';
import { toCsdlXml } from '../model/csdl-xml';
import type { EdmModel } from '../model/edm-model';
import { JSON_CONTENT_TYPE } from '../serialize/json-format';
import type { Negotiated } from './negotiation';
import type { ODataCore } from './odata-core';
import type { ODataRequest, ODataResponse } from './odata-request';

/**
 * GET / (the service document) and GET /$metadata (CSDL XML, or CSDL JSON when asked for by
 * name). $metadata is rendered once and kept until the declared dynamic properties change.
 */
export class ServiceDocuments {
  private stamp?: string;
  private model: EdmModel;
  private xml?: string;
  private json?: string;

  constructor(private readonly core: ODataCore) {
    this.model = core.model;
  }

  serviceDocument(req: ODataRequest, n: Negotiated): ODataResponse {
    const body = {
      '@odata.context': `${req.serviceRoot}/$metadata`,
      value: this.core.model.entityTypes.map((t) => ({ name: t.setName, kind: 'EntitySet', url: t.setName })),
    };
    return { status: 200, headers: { 'Content-Type': JSON_CONTENT_TYPE(n) }, body: JSON.stringify(body) };
  }

  async metadata(req: ODataRequest, n: Negotiated): Promise<ODataResponse> {
    await this.refresh(req);
    // Excel, Power BI and OData 4.0 clients read only CSDL XML: JSON when asked for by name.
    if (n.csdlJson) {
      this.json ??= JSON.stringify(toCsdlJson(this.model));
      return { status: 200, headers: { 'Content-Type': 'application/json;charset=utf-8' }, body: this.json };
    }
    this.xml ??= toCsdlXml(this.model);
    return { status: 200, headers: { 'Content-Type': 'application/xml;charset=utf-8' }, body: this.xml };
  }

  /** Declared dynamic properties (CF_<FieldName>) change with the data: re-render when they do. */
  private async refresh(req: ODataRequest): Promise<void> {
    const { extensions, model, dataSource } = this.core;
    if (!extensions.hasDynamicProperties) return;
    const manager = req.transaction ?? dataSource.manager;
    const stamp = await extensions.dynamicStamp(manager);
    if (stamp === this.stamp) return;
    const types = await Promise.all(model.entityTypes.map((t) => extensions.withDynamic(t, manager)));
    this.model = {
      ...model,
      entityTypes: types,
      types: new Map(types.map((t) => [t.name, t])),
      sets: new Map(types.map((t) => [t.setName, t])),
    };
    this.xml = undefined;
    this.json = undefined;
    this.stamp = stamp;
  }
}
