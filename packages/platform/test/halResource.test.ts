import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Fields } from '@12street/contracts';
import { testLogger } from '@12street/testkit';
import { createHttpApp, halResource, IDENTITY_HEADERS, type Paging } from '../src/index.ts';

type Note = { id: number; owner: string; text: string };

const NOTES: Note[] = [
  { id: 1, owner: 'u1', text: 'b' },
  { id: 2, owner: 'u2', text: 'a' },
  { id: 3, owner: 'u1', text: 'c' },
];

const sorted = (notes: Note[], paging: Paging) =>
  [...notes].sort((a, b) => (paging.direction === 'desc' ? -1 : 1) * (a.id - b.id));

function notesApp(options: { owned: boolean }) {
  const app = createHttpApp({ logger: testLogger() });
  const ofOwner = async (owner: string) => NOTES.filter((n) => n.owner === owner);
  const notes = halResource(app, {
    path: '/notes',
    collectionRel: 'notes',
    itemRel: 'note',
    toBody: (n: Note) => ({ id: n.id, owner: n.owner, text: n.text }),
    sortable: ['id', 'text'],
    list: async (paging) => {
      const start = paging.page * paging.size;
      return { items: sorted(NOTES, paging).slice(start, start + paging.size), totalElements: NOTES.length };
    },
    idParam: 'noteId',
    byId: async (id) => NOTES.find((n) => n.id === id),
    notFound: (id) => `note ${id} does not exist`,
    search: { name: 'findByOwner', param: 'owner', schema: Fields.userId, find: ofOwner },
    ...(options.owned ? { ownedBy: { ownerOf: (n: Note) => n.owner, itemsOf: ofOwner } } : {}),
  });
  app.post('/notes/first', async (request) => notes.represent(request, NOTES[0] as Note));
  return app;
}

const customer = (userId: string) => ({ [IDENTITY_HEADERS.userId]: userId, [IDENTITY_HEADERS.roles]: 'customer' });
const base = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.example' };
const ids = (body: { _embedded: { notes: { id: number }[] } }) => body._embedded.notes.map((n) => n.id);

test('the collection is a HAL page with links at the public address, sorted and cut as asked', async () => {
  const app = notesApp({ owned: false });
  const page = (await app.inject({ url: '/notes?page=1&size=2&sort=id,desc', headers: base })).json();
  assert.deepEqual(ids(page), [1]);
  assert.deepEqual(page.page, { size: 2, totalElements: 3, totalPages: 2, number: 1 });
  assert.deepEqual(page._links, {
    self: { href: 'https://shop.example/notes?page=1&size=2' },
    profile: { href: 'https://shop.example/profile/notes' },
    search: { href: 'https://shop.example/notes/search' },
  });
  assert.deepEqual(page._embedded.notes[0]._links, {
    self: { href: 'https://shop.example/notes/1' },
    note: { href: 'https://shop.example/notes/1' },
  });
  const unsortable = await app.inject({ url: '/notes?sort=owner' });
  assert.equal(unsortable.statusCode, 400);
  assert.match(unsortable.json().detail, /cannot sort by "owner"; sortable: id, text/);
});

test('an item is found by its named parameter; a missing one is a 404 problem in its own words', async () => {
  const app = notesApp({ owned: false });
  assert.equal((await app.inject({ url: '/notes/2' })).json().text, 'a');
  const missing = await app.inject({ url: '/notes/9' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().detail, 'note 9 does not exist');
  assert.equal((await app.inject({ url: '/notes/x' })).json().detail, 'params /noteId must be integer');
});

test('the search index links its finder, and the finder answers with the value it was asked', async () => {
  const app = notesApp({ owned: false });
  assert.deepEqual((await app.inject({ url: '/notes/search', headers: base })).json()._links, {
    findByOwner: { href: 'https://shop.example/notes/search/findByOwner{?owner}', templated: true },
    self: { href: 'https://shop.example/notes/search' },
  });
  const found = (await app.inject({ url: '/notes/search/findByOwner?owner=u1', headers: base })).json();
  assert.deepEqual(ids(found), [1, 3]);
  assert.equal(found._links.self.href, 'https://shop.example/notes/search/findByOwner?owner=u1');
  const odd = (await app.inject({ url: '/notes/search/findByOwner?owner=a%20b%2Fc' })).json();
  assert.match(odd._links.self.href, /findByOwner\?owner=a%20b%2Fc$/);
  assert.equal((await app.inject({ url: '/notes/search/findByOwner' })).statusCode, 400);
});

test("a customer sees only their own items of an owned resource; another's is not found", async () => {
  const app = notesApp({ owned: true });
  const own = (await app.inject({ url: '/notes?sort=text,desc', headers: customer('u1') })).json();
  assert.deepEqual(ids(own), [3, 1]);
  assert.equal(own.page.totalElements, 2);
  assert.equal((await app.inject({ url: '/notes/2', headers: customer('u1') })).statusCode, 404);
  const others = (await app.inject({ url: '/notes/search/findByOwner?owner=u2', headers: customer('u1') })).json();
  assert.deepEqual(ids(others), []);
  const ops = { [IDENTITY_HEADERS.userId]: 'boss', [IDENTITY_HEADERS.roles]: 'ops' };
  assert.deepEqual(ids((await app.inject({ url: '/notes', headers: ops })).json()), [1, 2, 3]);
  assert.equal((await app.inject({ url: '/notes/2' })).statusCode, 200);
});

test("a resource's own routes answer with items represented as its read routes do", async () => {
  const app = notesApp({ owned: false });
  const first = (await app.inject({ method: 'POST', url: '/notes/first', headers: base })).json();
  assert.deepEqual(first, (await app.inject({ url: '/notes/1', headers: base })).json());
});
