import { SelectQueryBuilder } from 'typeorm';
import { decodeCursor, ListQueryDto, Page, toPage } from './pagination';

interface Sortable {
  id: string;
}

/**
 * One page of `qb` in keyset order (`sortKey`, then id), newest first unless `ascending`.
 * `sortKey` must name a Date property; the query builder's main alias is used.
 */
export async function findPage<E extends Sortable, Out>(
  qb: SelectQueryBuilder<E>,
  sortKey: keyof E & string,
  query: ListQueryDto,
  present: (row: E) => Out,
  ascending = false,
): Promise<Page<Out>> {
  const alias = qb.alias;
  const direction = ascending ? 'ASC' : 'DESC';
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor);
    qb.andWhere(`(${alias}.${sortKey}, ${alias}.id) ${ascending ? '>' : '<'} (:cursorAt, :cursorId)`, {
      cursorAt: at,
      cursorId: id,
    });
  }
  const rows = await qb
    .orderBy(`${alias}.${sortKey}`, direction)
    .addOrderBy(`${alias}.id`, direction)
    .limit(query.limit + 1)
    .getMany();
  return toPage(rows, query.limit, (row) => [(row[sortKey] as Date).toISOString(), row.id], present);
}
