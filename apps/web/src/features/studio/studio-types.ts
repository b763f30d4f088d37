import type { FieldDef } from '@flatrender/engine';
import type { CheckIssue, FileView } from '@/lib/api/types';

/** What the checks said about one field (or one scene). */
export interface FieldIssues {
  errors: CheckIssue[];
  warnings: CheckIssue[];
}

export type UploadFn = (
  file: Blob,
  name: string,
  onProgress: (fraction: number) => void,
) => Promise<FileView>;

export interface FieldEditorProps {
  /** Field path: `brand`, `intro.title`, or inside a list `bars[2].value` (display only). */
  path: string;
  def: FieldDef;
  /** The value in force: the project's, else the default. */
  value: unknown;
  /** The project keeps no value of its own for this field. */
  isDefault: boolean;
  onChange: (value: unknown) => void;
  /** Back to the template's default (the stored value is cleared). */
  onReset?: () => void;
  issues?: FieldIssues;
}
