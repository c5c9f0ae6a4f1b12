import type { Browser } from 'playwright-core';
import { Factories } from '../support/factories';
import { ODataClient } from '../support/odata-client';
import { startTestApp, TestApp } from '../support/test-app';
import { launchBrowser, openPage } from './browser';

jest.setTimeout(60_000);

/** The board keeps the consistency token of its writes and sends it with what it reads next. */
describe('the board and X-Consistency-Token', () => {
  let app: TestApp;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    app = await startTestApp();
    const root = new ODataClient(app.baseUrl);
    const make = new Factories(root);
    const ed = await make.contact({ DisplayName: 'Ed Editor' });
    token = (await root.post(`Contact(${ed.ContactId})/CreateApiToken`, { name: 'board' })).body.Token;
    const project = await make.project({ Name: 'Tokens' });
    await make.create('ProjectMember', {
      ProjectId: project.ProjectId,
      ContactId: ed.ContactId,
      Role: 'Editor',
    });
    await make.status(project.ProjectId, { Name: 'To do', OrdinalPosition: 1 });
    const other = await make.project({ Name: 'Other' });
    await make.create('ProjectMember', {
      ProjectId: other.ProjectId,
      ContactId: ed.ContactId,
      Role: 'Editor',
    });
    await make.status(other.ProjectId, { Name: 'Elsewhere', OrdinalPosition: 1 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('after creating a card, later requests carry the token the write answered with', async () => {
    const { page, errors } = await openPage(browser);
    const sent: Array<{ method: string; token?: string }> = [];
    const answered: string[] = [];
    page.on('request', (r) => {
      // The change stream is not a read of data (it is fed from the primary): it needs no token.
      if (r.url().includes('/odata/') && !r.url().includes('/odata/$events'))
        sent.push({ method: r.method(), token: r.headers()['x-consistency-token'] });
    });
    page.on('response', (r) => {
      const t = r.headers()['x-consistency-token'];
      if (t) answered.push(t);
    });
    await page.goto(app.baseUrl + '/');
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Project').selectOption({ label: 'Tokens' });
    const todo = page.getByRole('region', { name: 'Column To do' });
    await todo.waitFor();
    expect(sent.filter((s) => s.token)).toEqual([]); // nothing written yet: no token
    await todo.getByRole('button', { name: '+ Add a card' }).click();
    await page.getByLabel('New card in To do').fill('Tokened');
    await page.getByLabel('New card in To do').press('Enter');
    await page.locator('li.card', { hasText: 'Tokened' }).waitFor();
    expect(answered.length).toBeGreaterThan(0);
    // Another project and back: the board's reads carry the write's token.
    const before = sent.length;
    await page.getByLabel('Project').selectOption({ label: 'Other' });
    await page.getByRole('region', { name: 'Column Elsewhere' }).waitFor();
    await page.getByLabel('Project').selectOption({ label: 'Tokens' });
    await page.locator('li.card', { hasText: 'Tokened' }).waitFor();
    const later = sent.slice(before).filter((s) => s.method === 'GET');
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((s) => s.token === answered[answered.length - 1])).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
