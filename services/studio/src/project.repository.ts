import type { AspectRatio } from '@flatrender/contracts';
import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import type { ProjectValues } from './domain/project-values';
import { containsPattern, foldForSearch } from './domain/search-text';
import type { ProjectTable, StudioDb, StudioTx } from './studio.db';

export type ProjectRow = Omit<Selectable<ProjectTable>, 'name_search'> & {
  template_slug: string;
  template_title: { fa: string; en: string };
  /** Newest version of the template not withdrawn (an upgrade is offered when it is newer). */
  latest_version: number | null;
};

export interface NewProject {
  id: string;
  tenant_id: string;
  created_by: string;
  name: string;
  template_id: string;
  template_version: number;
  aspect: AspectRatio;
  locale: 'fa' | 'en';
  values: ProjectValues;
}

export interface ProjectChanges {
  name?: string;
  aspect?: AspectRatio;
  locale?: 'fa' | 'en';
  template_version?: number;
  values?: ProjectValues;
}

export interface ProjectListQuery {
  limit: number;
  /** The `touched` value of the last row of the previous page. */
  after?: string;
  search?: string;
}

const latestVersion = (eb: ExpressionBuilder<StudioDb, 'project'>) =>
  eb
    .selectFrom('template_version as tv')
    .select((e) => e.fn.max('tv.version').as('v'))
    .whereRef('tv.template_id', '=', 'project.template_id')
    .where('tv.withdrawn_at', 'is', null)
    .as('latest_version');

const COLUMNS = [
  'project.id',
  'project.tenant_id',
  'project.created_by',
  'project.name',
  'project.template_id',
  'project.template_version',
  'project.aspect',
  'project.locale',
  'project.fields',
  'project.durations',
  'project.scenes',
  'project.revision',
  'project.created_at',
  'project.updated_at',
  'pin.slug as template_slug',
  'pin.title as template_title',
] as const;

/** Projects with the version they pin (always recorded: a foreign key keeps it). */
const withPin = (tx: StudioTx) =>
  tx
    .selectFrom('project')
    .innerJoin('template_version as pin', (join) =>
      join
        .onRef('pin.template_id', '=', 'project.template_id')
        .onRef('pin.version', '=', 'project.template_version'),
    );

const valueColumns = (values: ProjectValues) => ({
  fields: JSON.stringify(values.fields),
  durations: JSON.stringify(values.durations),
  scenes: values.scenes ? JSON.stringify(values.scenes) : null,
});

/** Projects of the transaction's tenant (row-level security keeps other tenants' rows out of sight). */
export class ProjectRepository {
  async insert(tx: StudioTx, p: NewProject): Promise<ProjectRow> {
    const { values, ...rest } = p;
    await tx
      .insertInto('project')
      .values({ ...rest, name_search: foldForSearch(p.name), revision: 1, ...valueColumns(values) })
      .execute();
    return (await this.find(tx, p.id)) as ProjectRow;
  }

  /** With `forUpdate`, the row stays locked until the transaction ends (revision checks). */
  async find(
    tx: StudioTx,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<ProjectRow | undefined> {
    let query = withPin(tx)
      .select(COLUMNS)
      .select((eb) => [sql<string>`${eb.ref('project.touched')}::text`.as('touched'), latestVersion(eb)])
      .where('project.id', '=', id);
    if (options.forUpdate) query = query.forUpdate('project');
    return query.executeTakeFirst() as Promise<ProjectRow | undefined>;
  }

  /** Newest change first; `search` matches the folded name anywhere. */
  list(tx: StudioTx, q: ProjectListQuery): Promise<ProjectRow[]> {
    let query = withPin(tx)
      .select(COLUMNS)
      .select((eb) => [sql<string>`${eb.ref('project.touched')}::text`.as('touched'), latestVersion(eb)])
      .orderBy('project.touched', 'desc')
      .limit(q.limit);
    if (q.after !== undefined) query = query.where(sql<boolean>`project.touched < ${q.after}::bigint`);
    const folded = q.search === undefined ? '' : foldForSearch(q.search);
    if (folded) query = query.where(sql<boolean>`project.name_search like ${containsPattern(folded)}`);
    return query.execute() as Promise<ProjectRow[]>;
  }

  /** Saves a change as the next revision. The caller has checked the revision under `forUpdate`. */
  async update(tx: StudioTx, id: string, changes: ProjectChanges): Promise<ProjectRow> {
    const { values, name, ...rest } = changes;
    await tx
      .updateTable('project')
      .set({
        ...rest,
        ...(name !== undefined ? { name, name_search: foldForSearch(name) } : {}),
        ...(values ? valueColumns(values) : {}),
        revision: sql<number>`revision + 1`,
        touched: sql<string>`nextval('project_touch_seq')`,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .execute();
    return (await this.find(tx, id)) as ProjectRow;
  }

  async delete(tx: StudioTx, id: string): Promise<boolean> {
    const result = await tx.deleteFrom('project').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

export function valuesOf(row: Pick<ProjectRow, 'fields' | 'durations' | 'scenes'>): ProjectValues {
  return { fields: row.fields, durations: row.durations, scenes: row.scenes };
}
