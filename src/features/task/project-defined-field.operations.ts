import { Injectable } from '@nestjs/common';
import { ErrorCode, ODataError } from '../../odata/errors/odata-error';
import { ODataAction } from '../../odata/operations/operation.decorator';
import type { OperationContext, OperationResult } from '../../odata/operations/operation-context';
import { rows } from '../shared/sql';

/** A client's text value -> the JSON value stored for a field of this type, or an error message. */
export function typedFieldValue(
  type: string,
  value: string,
): { ok: true; value: string | number | boolean } | { ok: false; message: string } {
  switch (type) {
    case 'String':
      return { ok: true, value };
    case 'Number': {
      const n = Number(value);
      return value.trim() !== '' && Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, message: `'${value}' is not a number` };
    }
    case 'Date': {
      const ok =
        /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) &&
        !Number.isNaN(Date.parse(value));
      return ok
        ? { ok: true, value }
        : { ok: false, message: `'${value}' is not a date (YYYY-MM-DD or a DateTimeOffset)` };
    }
    case 'Boolean':
      return value === 'true' || value === 'false'
        ? { ok: true, value: value === 'true' }
        : { ok: false, message: `'${value}' is not true or false` };
    default:
      return { ok: false, message: `unknown field type ${type}` };
  }
}

@Injectable()
export class ProjectDefinedFieldOperations {
  @ODataAction({
    name: 'UpdateProjectDefinedField',
    bindTo: { entitySet: 'Task' },
    parameters: { fieldName: 'Edm.String', value: 'Edm.String?' },
    returns: 'Task',
  })
  async update(ctx: OperationContext): Promise<OperationResult> {
    const taskId = ctx.key!.TaskItemId;
    const fieldName: string = ctx.params.fieldName;
    const [field] = await rows(
      ctx.manager,
      `SELECT f."Type" FROM project_defined_field f JOIN task t ON t."ProjectId" = f."ProjectId" WHERE t."TaskItemId" = $1 AND f."FieldName" = $2`,
      [taskId, fieldName],
    );
    if (!field)
      throw ODataError.badRequest(
        `The task's project has no field '${fieldName}'`,
        'fieldName',
        ErrorCode.UnknownProperty,
      );
    if (ctx.params.value === null) {
      await ctx.manager.query(
        `UPDATE task SET "ProjectDefinedFields" = "ProjectDefinedFields" - $2 WHERE "TaskItemId" = $1`,
        [taskId, fieldName],
      );
    } else {
      const typed = typedFieldValue(field.Type, ctx.params.value);
      if (!typed.ok)
        throw ODataError.badRequest(`${fieldName}: ${typed.message}`, 'value', ErrorCode.BadType);
      await ctx.manager.query(
        `UPDATE task SET "ProjectDefinedFields" = jsonb_set("ProjectDefinedFields", ARRAY[$2::text], $3::jsonb) WHERE "TaskItemId" = $1`,
        [taskId, fieldName, JSON.stringify(typed.value)],
      );
    }
    return { kind: 'entity', entitySet: 'Task', key: { TaskItemId: taskId } };
  }
}
