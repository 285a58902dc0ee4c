import { DomainError } from './domain-error';
import { decodeCursor, encodeCursor, toPage } from './pagination';

describe('cursors', () => {
  it('round-trip', () => {
    const values: [string, string] = ['2026-11-23T09:00:00.123Z', '7c9e6679-7425-40de-944b-e07fc1f90ae7'];
    expect(decodeCursor(encodeCursor(values))).toEqual(values);
  });

  it.each([
    'garbage',
    encodeCursor(['a', 'b']).slice(0, 5),
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('{}').toString('base64url'),
  ])('refuses %s with INVALID_CURSOR', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(DomainError);
    expect(() => decodeCursor(cursor)).toThrow('cursor is not one this API handed out');
  });

  it('pages rows fetched with limit + 1', () => {
    const rows = [1, 2, 3].map((n) => ({ n }));
    const page = toPage(
      rows,
      2,
      (r) => [String(r.n), 'id'],
      (r) => r.n,
    );
    expect(page.data).toEqual([1, 2]);
    expect(decodeCursor(page.next_cursor!)).toEqual(['2', 'id']);
    expect(
      toPage(
        rows,
        3,
        (r) => [String(r.n), 'id'],
        (r) => r.n,
      ).next_cursor,
    ).toBeNull();
  });
});
