import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Factories } from '../support/factories';
import { ODataClient } from '../support/odata-client';
import { startTestApp, TestApp } from '../support/test-app';
import { drag, eventually, launchBrowser, openPage } from './browser';

/**
 * The board at `/`, in a real Chromium, against the running service: every Kanban use of the
 * API end to end. Each test checks the page and, through the API, what the service now holds.
 */
jest.setTimeout(60_000);

const SCREENSHOTS = join(__dirname, '..', '..', 'test-results');

let app: TestApp;
let browser: Browser;
let api: ODataClient; // as the editor who uses the board
let token: string;
let project: any;
let columns: Record<'todo' | 'doing' | 'done', any>;
let ada: any;
const cards: Record<string, any> = {};

beforeAll(async () => {
  app = await startTestApp();
  const root = new ODataClient(app.baseUrl);
  const make = new Factories(root);
  ada = await make.contact({ DisplayName: 'Ada Lovelace' });
  const ed = await make.contact({ DisplayName: 'Ed Editor' });
  token = (await root.post(`Contact(${ed.ContactId})/CreateApiToken`, { name: 'board' })).body.Token;
  api = new ODataClient(app.baseUrl, { Authorization: `Bearer ${token}` });
  project = await make.project({ Name: 'Launch' });
  for (const person of [ed, ada])
    await make.create('ProjectMember', {
      ProjectId: project.ProjectId,
      ContactId: person.ContactId,
      Role: 'Editor',
    });
  columns = {
    todo: await make.status(project.ProjectId, { Name: 'To do', OrdinalPosition: 1 }),
    doing: await make.status(project.ProjectId, {
      Name: 'Doing',
      OrdinalPosition: 2,
      WipLimit: 2,
      IsWipLimitHard: true,
    }),
    done: await make.status(project.ProjectId, { Name: 'Done', OrdinalPosition: 3 }),
  };
  const specs: Array<[string, keyof typeof columns, Record<string, unknown>]> = [
    [
      'Write the spec',
      'todo',
      { ContactId: ada.ContactId, Tags: ['docs'], EndDateTime: '2030-03-01T17:00:00Z' },
    ],
    ['Fix login bug', 'todo', { Tags: ['bug'] }],
    ['Plan the sprint', 'todo', {}],
    ['Review budget', 'doing', {}],
    ['Call supplier', 'doing', {}],
  ];
  let position = 0;
  for (const [name, column, extra] of specs) {
    cards[name] = await make.task({
      Name: name,
      ProjectId: project.ProjectId,
      TaskItemStatusId: columns[column].TaskItemStatusId,
      CardPositionNumber: ++position,
      ...extra,
    });
  }
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(app.baseUrl + '/');
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Project').selectOption({ label: 'Launch' });
  await page.getByRole('region', { name: 'Column To do' }).waitFor();
}

const column = (page: Page, name: string) => page.getByRole('region', { name: `Column ${name}` });
const card = (page: Page, name: string) => page.locator('li.card', { hasText: name });
const cardNames = (page: Page, columnName: string) =>
  column(page, columnName).locator('li.card .card__name').allTextContents();
const task = async (id: string) => (await api.get(`Task(${id})`)).body;

describe('the Kanban board', () => {
  it('signs in with a token and shows the columns in order, with counts, limits and card details', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(app.baseUrl + '/');
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    errors.length = 0; // the browser logs the refused request; that one was meant
    await signIn(page);

    expect(await page.locator('.column__name').allTextContents()).toEqual(['To do', 'Doing', 'Done']);
    expect(await cardNames(page, 'To do')).toEqual(['Write the spec', 'Fix login bug', 'Plan the sprint']);
    await expectText(column(page, 'Doing').locator('.column__count'), '2 / 2');
    await column(page, 'Doing').getByText('full').waitFor();
    const spec = card(page, 'Write the spec');
    expect(await spec.locator('.card__assignee').textContent()).toContain('Ada Lovelace');
    expect(await spec.locator('.card__due').textContent()).toContain('Mar 1');
    expect(await spec.locator('.tag').allTextContents()).toEqual(['docs']);
    await page.screenshot({ path: join(SCREENSHOTS, 'board.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('moves a card to another column by dragging, and the service holds the new place', async () => {
    const { page, errors } = await openPage(browser);
    await signIn(page);
    await drag(page, card(page, 'Fix login bug'), column(page, 'Done').locator('ol'));
    await card(page, 'Fix login bug').and(column(page, 'Done').locator('li.card')).waitFor();
    const moved = await eventually(
      () => task(cards['Fix login bug'].TaskItemId),
      (t) => t.TaskItemStatusId === columns.done.TaskItemStatusId,
    );
    expect(moved.CardPositionNumber).toBe(1);
    expect(await cardNames(page, 'To do')).toEqual(['Write the spec', 'Plan the sprint']);

    // Within a column: the last card to the top.
    await drag(page, card(page, 'Plan the sprint'), card(page, 'Write the spec'), -10);
    await eventually(
      () => cardNames(page, 'To do'),
      (names) => names[0] === 'Plan the sprint',
    );
    const order = await eventually(
      async () =>
        (
          await api.get(
            `Task?$filter=TaskItemStatusId eq ${columns.todo.TaskItemStatusId}&$orderby=CardPositionNumber&$select=Name`,
          )
        ).body.value.map((t: any) => t.Name),
      (names) => names[0] === 'Plan the sprint',
    );
    expect(order).toEqual(['Plan the sprint', 'Write the spec']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('refuses a move into a column at its hard limit: the message is shown and the card goes back', async () => {
    const { page } = await openPage(browser);
    await signIn(page);
    await drag(page, card(page, 'Write the spec'), column(page, 'Doing').locator('ol'));
    await page.locator('.toast--error').filter({ hasText: /limit/i }).waitFor();
    await card(page, 'Write the spec').and(column(page, 'To do').locator('li.card')).waitFor();
    expect((await task(cards['Write the spec'].TaskItemId)).TaskItemStatusId).toBe(
      columns.todo.TaskItemStatusId,
    );
    await page.context().close();
  });

  it('moves a card with the keyboard alone (space, arrows, space)', async () => {
    const { page, errors } = await openPage(browser);
    await signIn(page);
    await card(page, 'Write the spec').focus();
    await page.keyboard.press('Space');
    await lifted(page, 'To do');
    await page.keyboard.press('ArrowRight');
    await lifted(page, 'Doing');
    await page.keyboard.press('ArrowRight');
    await lifted(page, 'Done');
    await page.keyboard.press('Space');
    await card(page, 'Write the spec').and(column(page, 'Done').locator('li.card')).waitFor();
    await eventually(
      () => task(cards['Write the spec'].TaskItemId),
      (t) => t.TaskItemStatusId === columns.done.TaskItemStatusId,
    );
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('creates a task at the end of a column and completes it', async () => {
    const { page, errors } = await openPage(browser);
    await signIn(page);
    await column(page, 'Done').getByRole('button', { name: '+ Add a card' }).click();
    await page.getByLabel('New card in Done').fill('Ship it');
    await page.getByLabel('New card in Done').press('Enter');
    await card(page, 'Ship it').waitFor();
    const names = await cardNames(page, 'Done');
    expect(names[names.length - 1]).toBe('Ship it');
    const created = (await api.get(`Task?$filter=Name eq 'Ship it'`)).body.value[0];
    expect(created.TaskItemStatusId).toBe(columns.done.TaskItemStatusId);
    expect(created.CardPositionNumber).toBe(names.length);

    await card(page, 'Ship it').getByRole('checkbox').click();
    const done = await eventually(
      () => task(created.TaskItemId),
      (t) => t.IsDone === true,
    );
    expect(done.DoneDate).not.toBeNull();
    await page.locator('li.card.card--done', { hasText: 'Ship it' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('opens a card: adds a note and a checklist item, runs the stopwatch, adds a contributor', async () => {
    const { page, errors } = await openPage(browser);
    await signIn(page);
    const id = cards['Review budget'].TaskItemId;
    await card(page, 'Review budget').getByRole('button', { name: 'Review budget' }).click();
    const dialog = page.getByRole('dialog', { name: 'Task' });
    await dialog.getByLabel('New note').fill('Numbers checked with finance');
    await dialog.getByRole('button', { name: 'Add note' }).click();
    await dialog.getByText('Numbers checked with finance').waitFor();
    expect((await api.get(`Task(${id})/Notes`)).body.value.map((n: any) => n.Note)).toEqual([
      'Numbers checked with finance',
    ]);

    await dialog.getByLabel('New checklist item').fill('Ask for receipts');
    await dialog.getByRole('button', { name: 'Add item' }).click();
    await dialog.getByText('Ask for receipts').waitFor();
    // The card's checklist progress comes back through the change stream.
    await expectText(card(page, 'Review budget').locator('.card__checklist'), '0/1');

    await dialog.getByRole('button', { name: 'Start' }).click();
    await dialog.locator('.stopwatch__state', { hasText: 'Running' }).waitFor();
    expect((await api.get(`Task(${id})/GetStopwatch()`)).body.State).toBe('Running');
    await dialog.getByRole('button', { name: 'Pause' }).click();
    await dialog.locator('.stopwatch__state', { hasText: 'Paused' }).waitFor();
    expect((await api.get(`Task(${id})/GetStopwatch()`)).body.State).toBe('Paused');
    await dialog.getByRole('button', { name: 'Resume' }).click();
    await dialog.locator('.stopwatch__state', { hasText: 'Running' }).waitFor();
    await dialog.getByRole('button', { name: 'Stop' }).click();
    await dialog.locator('.stopwatch__state', { hasText: 'Stopped' }).waitFor();
    await dialog.getByText(/Logged a time entry/).waitFor();
    expect((await api.get(`TimeEntry?$filter=TaskItemId eq ${id}`)).body.value).toHaveLength(1);

    await dialog.getByLabel('Contributor', { exact: true }).selectOption({ label: 'Ada Lovelace' });
    await dialog.getByRole('button', { name: 'Add contributor' }).click();
    await dialog.getByRole('button', { name: 'Remove Ada Lovelace' }).waitFor();
    expect((await api.get(`Task(${id})/GetContributors()`)).body.value.map((c: any) => c.ContactId)).toEqual([
      ada.ContactId,
    ]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('filters by text, assignee, tag and due date, in the service', async () => {
    const { page, errors } = await openPage(browser);
    await signIn(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(decodeURIComponent(r.url())));
    await page.getByLabel('Search cards').fill('login');
    await eventually(
      () => page.locator('li.card .card__name').allTextContents(),
      (names) => names.length === 1 && names[0] === 'Fix login bug',
    );
    expect(requests.some((u) => u.includes('$search='))).toBe(true);
    await page.getByLabel('Search cards').fill('');
    await page.getByLabel('Filter by assignee').selectOption({ label: 'Ada Lovelace' });
    await eventually(
      () => page.locator('li.card .card__name').allTextContents(),
      (names) => names.join() === 'Write the spec',
    );
    await page.getByLabel('Filter by assignee').selectOption({ label: 'Anyone' });
    await page.getByLabel('Filter by tag').fill('bug');
    await eventually(
      () => page.locator('li.card .card__name').allTextContents(),
      (names) => names.join() === 'Fix login bug',
    );
    expect(requests.some((u) => u.includes("Tags/any(t: t eq 'bug')"))).toBe(true);
    await page.getByLabel('Filter by tag').fill('');
    await page.getByLabel('Due by').fill('2030-12-31');
    await eventually(
      () => page.locator('li.card .card__name').allTextContents(),
      (names) => names.join() === 'Write the spec',
    );
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows moves made elsewhere live, on two pages of the same board', async () => {
    const a = await openPage(browser);
    const b = await openPage(browser);
    await signIn(a.page);
    await signIn(b.page);
    await a.page.locator('.live-dot--on').waitFor();
    await b.page.locator('.live-dot--on').waitFor();
    // Drag in page A; page B follows through the change stream, without a reload.
    const before = await cardNames(b.page, 'Done');
    await drag(a.page, card(a.page, 'Plan the sprint'), column(a.page, 'Done').locator('ol'));
    await card(b.page, 'Plan the sprint')
      .and(column(b.page, 'Done').locator('li.card'))
      .waitFor({ timeout: 5000 });
    expect((await cardNames(b.page, 'Done')).length).toBe(before.length + 1);
    // And a change made through the API by someone else.
    await api.patch(`Task(${cards['Call supplier'].TaskItemId})`, { Name: 'Call the supplier' });
    await card(a.page, 'Call the supplier').waitFor({ timeout: 5000 });
    await card(b.page, 'Call the supplier').waitFor({ timeout: 5000 });
    expect([...a.errors, ...b.errors]).toEqual([]);
    await a.page.context().close();
    await b.page.context().close();
    // Closed pages leave the change stream: the service keeps no subscriber (nor its heartbeat).
    await eventually(
      () => subscribers(),
      (n) => n === 0,
    );
  });

  it('catches up after a lost change stream through delta links, without reloading the board', async () => {
    const { page } = await openPage(browser);
    // The change stream cannot connect: what changes now reaches the page only through a delta link.
    await page.route('**/odata/$events*', (route) => route.abort());
    await signIn(page);
    await api.post('Task', {
      Name: 'Made while offline',
      ProjectId: project.ProjectId,
      TaskItemStatusId: columns.todo.TaskItemStatusId,
    });
    const fullReads: string[] = [];
    page.on('request', (request) => {
      const url = decodeURIComponent(request.url());
      if (/\/odata\/Task\?\$select=.*\$orderby=/.test(url) && !/TaskItemId in \(/.test(url))
        fullReads.push(url);
    });
    await page.unroute('**/odata/$events*');
    await page.locator('.live-dot--on').waitFor({ timeout: 15_000 });
    await card(page, 'Made while offline').waitFor({ timeout: 5000 });
    expect(fullReads).toEqual([]);
    await page.context().close();
  });

  it('edits a task; a conflicting edit (412) is shown instead of overwriting it', async () => {
    const { page } = await openPage(browser);
    await signIn(page);
    const id = cards['Review budget'].TaskItemId;
    await card(page, 'Review budget').getByRole('button', { name: 'Review budget' }).click();
    const dialog = page.getByRole('dialog', { name: 'Task' });
    await dialog.getByLabel('Name').waitFor();
    // Someone else renames it meanwhile.
    await api.patch(`Task(${id})`, { Name: 'Review the budget' });
    await dialog.getByLabel('Name').fill('My rename');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'changed by someone else' }).waitFor();
    expect(await dialog.getByLabel('Name').inputValue()).toBe('Review the budget');
    expect((await task(id)).Name).toBe('Review the budget');
    // Made again on the version now shown, the edit goes through, and the card follows.
    await dialog.getByLabel('Name').fill('Review the budget with finance');
    await dialog.getByLabel('Tags').fill('finance, q3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const saved = await eventually(
      () => task(id),
      (t) => t.Name === 'Review the budget with finance',
    );
    expect(saved.Tags).toEqual(['finance', 'q3']);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await card(page, 'Review the budget with finance').locator('.tag', { hasText: 'q3' }).waitFor();
    await page.context().close();
  });

  it('adds, renames, reorders and deletes columns', async () => {
    const { page, errors } = await openPage(browser);
    page.on('dialog', (d) => void d.accept());
    await signIn(page);
    await page.getByLabel('New column name').fill('Blocked');
    await page.getByRole('button', { name: 'Add column' }).click();
    await column(page, 'Blocked').waitFor();
    await page.getByRole('button', { name: 'Column settings for Blocked' }).click();
    const settings = page.getByRole('form', { name: 'Settings of Blocked' });
    await settings.getByLabel('Name').fill('Waiting');
    await settings.getByRole('button', { name: 'Save' }).click();
    await column(page, 'Waiting').waitFor();
    await page.getByRole('button', { name: 'Column settings for Waiting' }).click();
    await page.getByRole('button', { name: 'Move column left' }).click();
    await eventually(
      () => page.locator('.column__name').allTextContents(),
      (names) => names.join() === 'To do,Doing,Waiting,Done',
    );
    const stored = (
      await api.get(`TaskStatus?$filter=ProjectId eq ${project.ProjectId}&$orderby=OrdinalPosition`)
    ).body.value.map((s: any) => s.Name);
    expect(stored).toEqual(['To do', 'Doing', 'Waiting', 'Done']);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await eventually(
      () => page.locator('.column__name').allTextContents(),
      (names) => names.join() === 'To do,Doing,Done',
    );
    expect((await api.get(`TaskStatus?$filter=ProjectId eq ${project.ProjectId}`)).body.value).toHaveLength(
      3,
    );
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('deletes a project after confirming it, and other open boards follow live', async () => {
    const scratch = (await api.post('Project', { Name: 'Scratch' })).body; // its creator is its Admin
    const lane = (
      await api.post('TaskStatus', { Name: 'Ideas', ProjectId: scratch.ProjectId, OrdinalPosition: 1 })
    ).body;
    for (const name of ['One idea', 'Another idea']) {
      await api.post('Task', {
        Name: name,
        ProjectId: scratch.ProjectId,
        TaskItemStatusId: lane.TaskItemStatusId,
      });
    }
    const [a, b] = [await openPage(browser), await openPage(browser)];
    for (const { page } of [a, b]) {
      await signIn(page);
      await page.getByLabel('Project').selectOption({ label: 'Scratch' });
      await column(page, 'Ideas').waitFor();
      await page.locator('.live-dot--on').waitFor();
    }
    const asked: string[] = [];
    a.page.on('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await a.page.getByRole('button', { name: 'Delete project' }).click();
    for (const { page } of [a, b]) {
      await eventually(
        () => page.getByLabel('Project').locator('option').allTextContents(),
        (names) => !names.includes('Scratch'),
      );
      await page.getByRole('status').filter({ hasText: 'Project "Scratch" was deleted' }).waitFor();
    }
    expect(asked).toEqual([expect.stringContaining('Delete the project "Scratch"')]);
    expect((await api.get(`Project(${scratch.ProjectId})`)).status).toBe(404);
    expect((await api.get(`Task?$filter=ProjectId eq ${scratch.ProjectId}`)).body.value).toEqual([]);
    expect([...a.errors, ...b.errors]).toEqual([]);
    await a.page.context().close();
    await b.page.context().close();
  });

  it('stays usable with 500 cards in a column and on a phone-width screen', async () => {
    const big = await api.post('Project', { Name: 'Big backlog' });
    const backlog = (
      await api.post('TaskStatus', { Name: 'Backlog', ProjectId: big.body.ProjectId, OrdinalPosition: 1 })
    ).body;
    await api.post('TaskStatus', { Name: 'Next', ProjectId: big.body.ProjectId, OrdinalPosition: 2 });
    const items = Array.from({ length: 500 }, (_, i) => ({
      Name: `Backlog item ${i + 1}`,
      ProjectId: big.body.ProjectId,
      TaskItemStatusId: backlog.TaskItemStatusId,
      CardPositionNumber: i + 1,
    }));
    expect((await api.post('Task/BatchInsert', { items })).status).toBe(200);

    const { page, errors } = await openPage(browser, { width: 390, height: 844 });
    await signIn(page);
    await page.getByLabel('Project').selectOption({ label: 'Big backlog' });
    await expectText(column(page, 'Backlog').locator('.column__count'), '500');
    expect(await column(page, 'Backlog').locator('li.card').count()).toBe(500);
    await page.screenshot({ path: join(SCREENSHOTS, 'board-phone.png') });
    // The last card, far below the fold, still moves.
    await column(page, 'Backlog').locator('li.card').last().scrollIntoViewIfNeeded();
    await column(page, 'Backlog').locator('li.card').last().focus();
    await page.keyboard.press('Space');
    await lifted(page, 'Backlog');
    await page.keyboard.press('ArrowRight');
    await lifted(page, 'Next');
    await page.keyboard.press('Space');
    await card(page, 'Backlog item 500').and(column(page, 'Next').locator('li.card')).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

/**
 * The lifted card's place holder is in this column. A keyboard step animates for about 250 ms
 * and the next arrow is measured from where the card has settled, as at a person's pace.
 */
async function lifted(page: Page, columnName: string): Promise<void> {
  await column(page, columnName).locator('li.card--placeholder').waitFor();
  await page.waitForTimeout(350);
}

/** Clients connected to the change stream, from the service's metrics. */
async function subscribers(): Promise<number> {
  const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
  return Number(/^odata_event_subscribers (\d+)/m.exec(text)?.[1]);
}

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await eventually(
    async () => ((await locator.textContent()) ?? '').trim(),
    (t) => t.includes(text),
  );
}
