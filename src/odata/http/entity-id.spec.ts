import type { EdmEntityType, EdmPrimitive, EdmProperty } from '../model/edm-model';
import { parseResourcePath } from '../uri/parse-resource-path';
import { entityId } from './entity-id';
import { parseKey } from './resolve-target';

const key = (name: string, type: EdmPrimitive): EdmProperty =>
  ({ name, column: `col_${name}`, type, isKey: true, collection: false, nullable: false }) as EdmProperty;

const typeWith = (setName: string, keys: EdmProperty[]): EdmEntityType =>
  ({ setName, keys, properties: keys, property: new Map(keys.map((k) => [k.name, k])) }) as EdmEntityType;

/** The id's path parsed as a request path would be: the key resolve-target.ts finds in it. */
function parsedBack(type: EdmEntityType, id: string): Record<string, unknown> {
  const [segment] = parseResourcePath(id.slice('http://x/odata'.length));
  expect(segment.name).toBe(type.setName);
  return parseKey(type, segment);
}

describe('entityId', () => {
  const guid = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';
  const other = 'f9e8d7c6-b5a4-4392-8170-6f5e4d3c2b1a';

  it('a single Guid key: bare, and it parses back', () => {
    const type = typeWith('Task', [key('TaskItemId', 'Edm.Guid')]);
    const id = entityId('http://x/odata', type, { col_TaskItemId: guid });
    expect(id).toBe(`http://x/odata/Task(${guid})`);
    expect(parsedBack(type, id)).toEqual({ col_TaskItemId: guid });
  });

  it('a compound key: named values, and it parses back', () => {
    const type = typeWith('ProjectMember', [key('ProjectId', 'Edm.Guid'), key('ContactId', 'Edm.Guid')]);
    const id = entityId('http://x/odata', type, { col_ProjectId: guid, col_ContactId: other });
    expect(id).toBe(`http://x/odata/ProjectMember(ProjectId=${guid},ContactId=${other})`);
    expect(parsedBack(type, id)).toEqual({ col_ProjectId: guid, col_ContactId: other });
  });

  it('string and number keys: quoted (quotes doubled, URL-encoded) and bare, and they parse back', () => {
    const type = typeWith('Thing', [key('Code', 'Edm.String'), key('No', 'Edm.Int32')]);
    const id = entityId('http://x/odata', type, { col_Code: "O'Neil & co/1", col_No: 7 });
    expect(id).toBe("http://x/odata/Thing(Code='O''Neil%20%26%20co%2F1',No=7)");
    expect(parsedBack(type, id)).toEqual({ col_Code: "O'Neil & co/1", col_No: 7 });
  });
});
