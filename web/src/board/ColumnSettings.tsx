import { useState } from 'react';
import type { Column } from '../api/types';

interface ColumnSettingsProps {
  column: Column;
  canMoveLeft: boolean;
  canMoveRight: boolean;
  onSave(changes: Partial<Column>): Promise<void>;
  onMove(direction: -1 | 1): Promise<void>;
  onDelete(): Promise<void>;
  onClose(): void;
}

/** Rename a column, set its work-in-progress limit, move it left or right, delete it. */
export function ColumnSettings({
  column,
  canMoveLeft,
  canMoveRight,
  onSave,
  onMove,
  onDelete,
  onClose,
}: ColumnSettingsProps) {
  const [name, setName] = useState(column.Name);
  const [limit, setLimit] = useState(column.WipLimit === null ? '' : String(column.WipLimit));
  const [hard, setHard] = useState(column.IsWipLimitHard);
  return (
    <form
      className="column-settings"
      aria-label={`Settings of ${column.Name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void onSave({
          Name: name.trim(),
          WipLimit: limit === '' ? null : Math.max(0, Number(limit)),
          IsWipLimitHard: hard,
        });
      }}
    >
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        WIP limit
        <input
          type="number"
          min={0}
          value={limit}
          onChange={(e) => setLimit(e.target.value)}
          placeholder="none"
        />
      </label>
      <label className="inline">
        <input type="checkbox" checked={hard} onChange={(e) => setHard(e.target.checked)} /> Hard limit
        (refuse moves past it)
      </label>
      <div className="row">
        <button type="submit">Save</button>
        <button
          type="button"
          disabled={!canMoveLeft}
          onClick={() => void onMove(-1)}
          aria-label="Move column left"
        >
          ◀
        </button>
        <button
          type="button"
          disabled={!canMoveRight}
          onClick={() => void onMove(1)}
          aria-label="Move column right"
        >
          ▶
        </button>
        <button type="button" className="danger" onClick={() => void onDelete()}>
          Delete
        </button>
        <button type="button" className="link-button" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
