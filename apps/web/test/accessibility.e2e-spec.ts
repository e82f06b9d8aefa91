import { createLabel, createUser, waitFor, type TestUser } from '@app/testing';
import type { Browser, Page } from 'playwright-core';
import { postScans, scanEvent, scannerKey, startFlow, type Flow } from '../../gateway/test/flows/flow-helpers';
import { launchChromium } from './support/browser';

/*
 * Accessibility beyond axe (issue 20), WCAG 2.2 AA, in Debian's Chromium against the real stack:
 * - a keyboard-only walk (sign-up with the emailed code, a label purchase, tracking, a pickup) that
 *   checks the focus at every key press: 2.1.1 Keyboard, 2.1.2 No Keyboard Trap, 2.4.1 Bypass Blocks
 *   (skip link), 2.4.3 Focus Order (the heading takes focus on a new page, nothing is lost to <body>),
 *   2.4.7 Focus Visible, 2.4.11 Focus Not Obscured (Minimum), 1.4.11 Non-text Contrast (the ring);
 * - form problems announced and tied to their fields, read from Chromium's accessibility tree: 3.3.1
 *   Error Identification, 3.3.3 Error Suggestion, 4.1.2 Name, Role, Value, 4.1.3 Status Messages;
 * - the tracking timeline and the pickup calendar through the accessibility tree: 1.3.1 Info and
 *   Relationships, 4.1.2, 1.4.1 Use of Color (the latest event and the days without pickups);
 * - target sizes, 320 px width and 200 % zoom: 2.5.8 Target Size (Minimum), 1.4.10 Reflow, 1.4.4
 *   Resize Text, 1.4.1 Use of Color (status badges carry text).
 */

jest.setTimeout(300_000);

const HOME = { line1: '1600 Pennsylvania Ave NW', city: 'Washington', state: 'DC', zip: '20500' };
const RECIPIENT = { name: 'Ada Recipient', line1: '350 Fifth Avenue', city: 'New York', state: 'NY', zip: '10118' };
const DATE_NAME =
  /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}$/;

/** What the page shows of its focused element. */
interface Focus {
  tag: string;
  name: string;
  /** the element that shows the focus: the element, or the label of an input drawn by its label (calendar days) */
  shownBy: string;
  inViewport: boolean;
  /** what is drawn at the centre of the shown element when it is not the element (2.4.11) */
  obscuredBy: string | null;
  /** how focused differs from unfocused: outline, box-shadow, border or background; empty when not at all */
  indicator: string[];
  /** contrast of the outline with what is behind it, when the indicator is an outline */
  ringContrast: number | null;
}

/**
 * Runs in the page. The unfocused look comes from a clone beside the element (matches no :focus rule);
 * the clone has no id or name, so it joins no radio group and duplicates no id, and is removed at once.
 */
const FOCUS_PROBE = `(() => {
  const el = document.activeElement;
  const describe = (e) => e ? e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') : 'none';
  const nameOf = (e) => {
    const label = e.getAttribute('aria-label') || (e.labels && e.labels[0] ? e.labels[0].textContent : '') || e.textContent || e.value || '';
    return label.replace(/\\s+/g, ' ').trim();
  };
  if (!el || el === document.body || el === document.documentElement) {
    return { tag: 'body', name: '', shownBy: 'none', inViewport: false, obscuredBy: null, indicator: [], ringContrast: null };
  }
  let shown = el;
  const own = el.getBoundingClientRect();
  if ((Number(getComputedStyle(el).opacity) === 0 || own.width < 4 || own.height < 4) && el.labels && el.labels[0]) shown = el.labels[0];
  const rect = shown.getBoundingClientRect();
  // Wholly on screen; a region taller or wider than the screen (main, after the skip link) at least on it.
  const fits = (lo, hi, size) => (hi - lo <= size ? lo >= -0.5 && hi <= size + 0.5 : lo < size && hi > 0);
  const inViewport = rect.width > 0 && rect.height > 0 && fits(rect.top, rect.bottom, innerHeight) && fits(rect.left, rect.right, innerWidth);
  const cx = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
  const cy = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(cx, cy);
  const related = (a, b) => a && b && (a === b || a.contains(b) || b.contains(a));
  const obscuredBy = hit && (related(shown, hit) || related(el, hit)) ? null : describe(hit);
  const look = (e) => {
    const s = getComputedStyle(e);
    return {
      outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1 ? s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor : 'none',
      outlineWidth: parseFloat(s.outlineWidth),
      outlineColor: s.outlineColor,
      shadow: s.boxShadow,
      border: s.borderTopColor + ' ' + s.borderTopWidth + ' ' + s.borderTopStyle,
      background: s.backgroundColor,
    };
  };
  const focused = look(shown);
  const clone = shown.cloneNode(true);
  for (const e of [clone, ...clone.querySelectorAll('*')]) { e.removeAttribute('id'); e.removeAttribute('name'); }
  shown.parentNode.insertBefore(clone, shown.nextSibling);
  const unfocused = look(clone);
  clone.remove();
  const indicator = [];
  if (focused.outline !== unfocused.outline && focused.outline !== 'none' && focused.outlineWidth >= 2) indicator.push('outline ' + focused.outline);
  if (focused.shadow !== unfocused.shadow && focused.shadow !== 'none') indicator.push('box-shadow');
  if (focused.border !== unfocused.border) indicator.push('border');
  if (focused.background !== unfocused.background) indicator.push('background');
  // The ring is drawn outside the element: compare it with what is painted just left of it.
  const rgb = (c) => { const m = /rgba?\\(([^)]+)\\)/.exec(c); if (!m) return null; const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const luminance = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const behind = (x, y) => {
    for (const e of document.elementsFromPoint(Math.max(0, x), y)) {
      if (related(shown, e) && e !== shown.parentElement && shown.contains(e)) continue;
      if (e === shown) continue;
      for (let a = e; a; a = a.parentElement) { const c = rgb(getComputedStyle(a).backgroundColor); if (c && c.a > 0.5) return c; }
    }
    const root = rgb(getComputedStyle(document.documentElement).backgroundColor);
    return root && root.a > 0.5 ? root : { r: 255, g: 255, b: 255, a: 1 };
  };
  let ringContrast = null;
  if (focused.outline !== 'none') {
    const ring = rgb(focused.outlineColor);
    const back = behind(rect.left - 6, cy);
    const [l1, l2] = [luminance(ring), luminance(back)].sort((a, b) => b - a);
    ringContrast = Math.round(((l1 + 0.05) / (l2 + 0.05)) * 100) / 100;
  }
  return { tag: el.tagName.toLowerCase(), name: nameOf(el), shownBy: describe(shown), inViewport, obscuredBy, indicator, ringContrast };
})()`;

interface AxValue {
  value?: string | number | boolean;
}

interface AxNode {
  nodeId: string;
  ignored: boolean;
  role?: AxValue;
  name?: AxValue;
  description?: AxValue;
  properties?: { name: string; value: AxValue }[];
  childIds?: string[];
  parentId?: string;
}

/** Chromium's own accessibility tree (what a screen reader is given), through the DevTools protocol. */
class AxTree {
  private readonly byId: Map<string, AxNode>;

  constructor(readonly nodes: AxNode[]) {
    this.byId = new Map(nodes.map((n) => [n.nodeId, n]));
  }

  static async of(page: Page): Promise<AxTree> {
    const cdp = await page.context().newCDPSession(page);
    try {
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as unknown as { nodes: AxNode[] };
      return new AxTree(nodes);
    } finally {
      await cdp.detach();
    }
  }

  static role(n: AxNode): string {
    return String(n.role?.value ?? '');
  }

  static nameOf(n: AxNode): string {
    return String(n.name?.value ?? '');
  }

  static prop(n: AxNode, name: string): unknown {
    return n.properties?.find((p) => p.name === name)?.value.value;
  }

  find(role: string, name?: string | RegExp, within?: AxNode): AxNode[] {
    const pool = within ? this.descendants(within) : this.nodes;
    return pool.filter(
      (n) =>
        !n.ignored &&
        AxTree.role(n) === role &&
        (name === undefined || (typeof name === 'string' ? AxTree.nameOf(n) === name : name.test(AxTree.nameOf(n)))),
    );
  }

  one(role: string, name: string | RegExp, within?: AxNode): AxNode {
    const found = this.find(role, name, within);
    if (found.length !== 1) {
      const names = this.find(role, undefined, within).map(AxTree.nameOf);
      throw new Error(
        `expected one ${role} named ${String(name)}, found ${found.length} among ${JSON.stringify(names)}`,
      );
    }
    return found[0];
  }

  descendants(node: AxNode): AxNode[] {
    const out: AxNode[] = [];
    const stack = [...(node.childIds ?? [])];
    while (stack.length > 0) {
      const child = this.byId.get(stack.shift()!);
      if (!child) continue;
      out.push(child);
      stack.unshift(...(child.childIds ?? []));
    }
    return out;
  }

  /** The text a node's subtree shows (its static texts, in order). */
  text(node: AxNode): string {
    return this.descendants(node)
      .filter((n) => AxTree.role(n) === 'StaticText')
      .map(AxTree.nameOf)
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
  }
}

/** A keyboard user: presses keys only, and checks where the focus is after every one. */
class Keyboard {
  readonly steps: Focus[] = [];

  constructor(private readonly page: Page) {}

  /** The focus after the last key: on a visible, unobscured element with a visible ring of enough contrast. */
  async check(): Promise<Focus> {
    const focus = await this.page.evaluate<Focus>(FOCUS_PROBE);
    this.steps.push(focus);
    const step = `${this.steps.length}: ${focus.tag} "${focus.name}" (${focus.shownBy})`;
    expect({
      step,
      inViewport: focus.inViewport,
      obscuredBy: focus.obscuredBy,
      indicated: focus.indicator.length > 0,
      ringContrastAtLeast3: focus.ringContrast === null || focus.ringContrast >= 3,
    }).toEqual({ step, inViewport: true, obscuredBy: null, indicated: true, ringContrastAtLeast3: true });
    return focus;
  }

  async press(key: 'Tab' | 'Shift+Tab' | 'Enter' | 'Space' | 'ArrowRight' | 'ArrowLeft' | 'ArrowDown' | 'ArrowUp') {
    await this.page.keyboard.press(key === 'Space' ? ' ' : key);
  }

  /** Tabs (forwards or back) until the focused element's name matches; every stop on the way is checked. */
  async tabTo(name: string | RegExp, { back = false, max = 80 } = {}): Promise<Focus> {
    const passed: string[] = [];
    for (let i = 0; i < max; i++) {
      await this.press(back ? 'Shift+Tab' : 'Tab');
      const focus = await this.check();
      if (typeof name === 'string' ? focus.name === name : name.test(focus.name)) return focus;
      passed.push(focus.name);
    }
    throw new Error(`Tab never reached ${String(name)}; passed ${JSON.stringify(passed)}`);
  }

  /** One Tab that must land on `name`, then the text typed into it. */
  async next(name: string | RegExp, text?: string): Promise<void> {
    await this.press('Tab');
    const focus = await this.check();
    expect(focus.name).toMatch(typeof name === 'string' ? new RegExp(`^${escapeRegExp(name)}`) : name);
    if (text !== undefined) await this.page.keyboard.type(text);
  }

  /** After a new page: the focus is on its main heading (2.4.3), which is on screen. */
  async onHeading(text: string): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: text }).waitFor({ timeout: 20_000 });
    await waitFor(async () => (await this.page.evaluate<string>('document.activeElement.tagName')) === 'H1', {
      timeoutMs: 5_000,
      description: `focus on the heading "${text}"`,
    });
    const focus = await this.page.evaluate<Focus>(FOCUS_PROBE);
    expect({ tag: focus.tag, name: focus.name, inViewport: focus.inViewport }).toEqual({
      tag: 'h1',
      name: text,
      inViewport: true,
    });
  }

  async active(): Promise<{ name: string; checked: boolean; type: string }> {
    const focus = await this.page.evaluate<Focus>(FOCUS_PROBE);
    const state = await this.page.evaluate<{ checked: boolean; type: string }>(
      `({ checked: !!document.activeElement.checked, type: document.activeElement.type || '' })`,
    );
    return { name: focus.name, ...state };
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every visible control of the page that is not an inline link inside a sentence, with its size (2.5.8). */
const TARGETS = `(() => {
  const out = [];
  const controls = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])');
  for (const el of controls) {
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') continue;
    let r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    // Off-screen until focused (the skip link) is not a target one can miss.
    if (r.bottom + scrollY <= 0) continue;
    // The inline exception of 2.5.8: a link in a sentence (text of its own beside it).
    if (el.tagName === 'A' && s.display === 'inline' && el.parentElement &&
        [...el.parentElement.childNodes].some((n) => n !== el && n.nodeType === 3 && n.textContent.trim() !== '')) continue;
    const text = (el.getAttribute('aria-label') || (el.labels && el.labels[0] ? el.labels[0].textContent : '') || el.textContent || '').replace(/\\s+/g, ' ').trim();
    out.push({ what: el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : '') + ' "' + text.slice(0, 40) + '"',
      width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10,
      left: Math.round(r.left), right: Math.round(r.right), inMain: !!el.closest('main') });
  }
  return out;
})()`;

interface Target {
  what: string;
  width: number;
  height: number;
  left: number;
  right: number;
  inMain: boolean;
}

describe('accessibility beyond axe (WCAG 2.2 AA; keyboard, screen reader, targets, reflow)', () => {
  let flow: Flow;
  let browser: Browser;
  let scanner: string;

  beforeAll(async () => {
    // The machine may be shared: give the apps time to come up.
    flow = await startFlow({}, { readyTimeoutMs: 150_000 });
    scanner = await scannerKey(flow.api);
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await flow?.portal.stop();
  });

  async function newPage(width = 1280, height = 900, deviceScaleFactor = 1): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  async function logIn(page: Page, user: TestUser): Promise<void> {
    await page.goto(`${flow.portal.gatewayUrl}/login`);
    await page.getByLabel('Username or email').fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Your dashboard' }).waitFor();
  }

  it('walks sign-up, a label purchase, tracking and a pickup with the keyboard alone, the focus visible at every key', async () => {
    const page = await newPage();
    const keys = new Keyboard(page);
    const base = flow.portal.gatewayUrl;
    const username = `kb${Date.now().toString(36)}`;
    const email = `${username}@example.com`;
    const password = 'Violet-Tundra-88-Parsnip-Kettle';

    // The first Tab shows the skip link, which moves the keyboard past the header (2.4.1).
    await page.goto(`${base}/`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await keys.press('Tab');
    expect((await keys.check()).name).toBe('Skip to content');
    await keys.press('Enter');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');
    await keys.check();

    // Sign up: back into the header for its link.
    await keys.tabTo('Sign up', { back: true });
    await keys.press('Enter');
    await keys.onHeading('Create your account');
    // The account type is a radio group: the arrows choose (Business shows the company field).
    await keys.next('Personal');
    await keys.press('ArrowRight');
    expect(await keys.active()).toMatchObject({ name: 'Business', checked: true });
    await keys.check();
    await page.getByLabel('Company name').waitFor();
    await keys.press('ArrowLeft');
    expect(await keys.active()).toMatchObject({ name: 'Personal', checked: true });
    await keys.next('First name', 'Grace');
    await keys.next('Last name', 'Tester');
    await keys.next('Username', username);
    await keys.next('Email', email);
    await keys.next('Mobile phone');
    await keys.next('Password', password);
    await page.getByText(/^(Strong|Very strong)\./).waitFor();
    await keys.next('Show');
    await keys.next('Street address', HOME.line1);
    await keys.next('Apartment, suite, unit');
    await keys.next('City', HOME.city);
    await keys.next('State', HOME.state);
    await keys.next('ZIP code', HOME.zip);
    await keys.next('Create account');
    await keys.press('Enter');

    // The code from the email (Mailpit), typed into the verification page.
    await keys.onHeading('Verify your email');
    const mail = await flow.mailpit.waitForMessage({ to: email, subject: 'verification code', timeoutMs: 30_000 });
    const code = /verification code is (\d{6,10})/.exec(await flow.mailpit.messageText(mail.ID))?.[1];
    expect(code).toBeDefined();
    await keys.next('Username');
    await keys.next('Verification code', code);
    await keys.next('Verify');
    await keys.press('Space');

    await keys.onHeading('Log in');
    await keys.tabTo('Password');
    await page.keyboard.type(password);
    await keys.press('Enter');
    await keys.onHeading('Your dashboard');

    // A label: the addresses, the prices, a service chosen with the arrows, then Buy.
    await keys.tabTo('Labels', { back: true });
    await keys.press('Enter');
    await keys.onHeading('Shipping labels');
    await keys.next('Name', 'Grace Tester');
    await keys.next('Street address', HOME.line1);
    await keys.next('Apartment, suite, unit');
    await keys.next('City', HOME.city);
    await keys.next('State', HOME.state);
    await keys.next('ZIP code', HOME.zip);
    await keys.next('Name', RECIPIENT.name);
    await keys.next('Street address', RECIPIENT.line1);
    await keys.next('Apartment, suite, unit');
    await keys.next('City', RECIPIENT.city);
    await keys.next('State', RECIPIENT.state);
    await keys.next('ZIP code', RECIPIENT.zip);
    await keys.next('Weight (ounces)');
    await keys.next('Get prices');
    await keys.press('Enter');
    await page.getByRole('group', { name: 'Service' }).waitFor();
    const firstService = await keys.tabTo(/./);
    expect((await keys.active()).type).toBe('radio');
    await keys.press('ArrowDown');
    const second = await keys.active();
    expect(second.checked).toBe(true);
    expect(second.name).not.toBe(firstService.name);
    await keys.check();
    await keys.press('ArrowUp');
    await keys.check();
    await keys.next('Pay with');
    await keys.next('Buy label');
    await keys.press('Enter');
    const bought = page.getByRole('status').filter({ hasText: 'Label bought' });
    await bought.waitFor();
    // The Buy button is gone with its form: the keyboard is on the result, not lost to <body>.
    expect((await keys.check()).name).toMatch(/^Label bought/);
    const trackingNumber = ((await bought.locator('strong.mono').textContent()) ?? '').trim();
    expect(trackingNumber).toMatch(/^\d{20,34}$/);

    // Tracking: the number typed into the search box, Track pressed; the new page starts at its heading.
    await keys.tabTo('Track', { back: true });
    await keys.press('Enter');
    await keys.onHeading('Tracking');
    await keys.next('Tracking numbers', trackingNumber);
    await keys.next('Track');
    await keys.press('Enter');
    await page.getByRole('article', { name: trackingNumber }).waitFor();
    await keys.onHeading('Tracking');
    await keys.tabTo('Add to watchlist');
    await keys.press('Space');
    await page.getByRole('button', { name: 'On your watchlist' }).waitFor();

    // A pickup: the address, then a day in the calendar moved to with the arrows.
    await keys.tabTo('Pickups', { back: true });
    await keys.press('Enter');
    await keys.onHeading('Carrier pickups');
    await keys.next('Name', 'Grace Tester');
    await keys.next('Street address', HOME.line1);
    await keys.next('Apartment, suite, unit');
    await keys.next('City', HOME.city);
    await keys.next('State', HOME.state);
    await keys.next('ZIP code', HOME.zip);
    await keys.next(DATE_NAME);
    const firstDay = await keys.active();
    expect(firstDay).toMatchObject({ type: 'radio', checked: true });
    await keys.press('ArrowRight');
    const nextDay = await keys.active();
    await keys.check();
    expect(nextDay.checked).toBe(true);
    expect(nextDay.name).not.toBe(firstDay.name);
    // The arrows step over the days without pickups: never onto a Sunday.
    expect(nextDay.name).not.toMatch(/^Sunday/);
    await keys.press('ArrowLeft');
    expect(await keys.active()).toMatchObject({ name: firstDay.name, checked: true });
    await keys.press('ArrowRight');
    await keys.tabTo('Schedule pickup');
    await keys.press('Enter');
    const scheduled = page.getByRole('status').filter({ hasText: 'Pickup scheduled for' });
    await scheduled.waitFor();
    const [weekday] = nextDay.name.split(',');
    expect(await scheduled.textContent()).toContain(weekday.slice(0, 3));

    // Nothing on the way was out of sight or without a focus ring (checked at each step above).
    expect(keys.steps.length).toBeGreaterThan(60);
    await page.context().close();
  });

  it('announces form problems and ties each to its field (accessibility tree): sign-up and the label form', async () => {
    const page = await newPage();
    const keys = new Keyboard(page);
    await page.goto(`${flow.portal.gatewayUrl}/signup`);
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
    await keys.tabTo('Personal');
    await keys.next('First name');
    await keys.tabTo('Password');
    await page.keyboard.type('short');
    await keys.tabTo('Create account');
    await keys.press('Enter');

    const summary = page.getByRole('alert').filter({ hasText: /Correct \d+ fields to continue/ });
    await summary.waitFor();
    let tree = await AxTree.of(page);
    // The summary is an alert (announced when it appears) and has the focus.
    const alert = tree.find('alert').find((n) => /Correct \d+ fields to continue/.test(tree.text(n)));
    expect(alert).toBeDefined();
    expect(AxTree.prop(alert!, 'focused')).toBe(true);
    expect(tree.text(alert!)).toContain('First name: Fill in this field.');
    expect(tree.text(alert!)).toContain('Password: Too short');
    for (const [field, problem] of [
      ['First name', 'Fill in this field.'],
      ['Last name', 'Fill in this field.'],
      ['Username', 'Fill in this field.'],
      ['Email', 'Fill in this field.'],
      ['Street address', 'Fill in this field.'],
      ['ZIP code', 'Fill in this field.'],
    ]) {
      const box = tree.one('textbox', field);
      expect({
        field,
        invalid: AxTree.prop(box, 'invalid'),
        description: String(box.description?.value ?? ''),
      }).toEqual({
        field,
        invalid: 'true',
        description: expect.stringContaining(problem),
      });
    }
    // The password keeps its strength advice and gets the problem too; the optional phone is not in error.
    const passwordBox = tree.one('textbox', 'Password');
    expect(AxTree.prop(passwordBox, 'invalid')).toBe('true');
    expect(String(passwordBox.description?.value)).toMatch(/Too short.*Too short/);
    expect(AxTree.prop(tree.one('textbox', /^Mobile phone/), 'invalid') ?? 'false').toBe('false');

    // The summary's links lead to the field; a corrected field is no longer in error.
    await keys.press('Tab');
    expect((await keys.check()).name).toBe('First name: Fill in this field.');
    await keys.press('Enter');
    expect((await keys.active()).name).toBe('First name');
    await page.keyboard.type('Grace');
    tree = await AxTree.of(page);
    expect(AxTree.prop(tree.one('textbox', 'First name'), 'invalid') ?? 'false').toBe('false');
    expect(tree.one('textbox', 'First name').description?.value ?? '').toBe('');
    // A wrong format says what is expected (3.3.3).
    await page.getByLabel('Email').fill('not-an-address');
    await page.getByLabel('State').fill('N1');
    await page.getByRole('button', { name: 'Create account' }).press('Enter');
    await page.getByText('Email: Enter an email address').waitFor();
    tree = await AxTree.of(page);
    expect(String(tree.one('textbox', 'Email').description?.value)).toContain(
      'Enter an email address such as name@example.com.',
    );
    expect(String(tree.one('textbox', 'State').description?.value)).toContain(
      'Enter the 2-letter state code, such as NY.',
    );

    // The label form: empty addresses, a bad ZIP code and too heavy a parcel.
    const user = await createUser(flow.api, flow.mailpit);
    await logIn(page, user);
    await page.goto(`${flow.portal.gatewayUrl}/labels`);
    await page.getByRole('heading', { level: 1, name: 'Shipping labels' }).waitFor();
    const from = page.getByRole('group', { name: 'From' });
    await from.getByLabel('ZIP code').fill('123');
    await page.getByLabel('Weight (ounces)').fill('5000');
    await page.getByRole('button', { name: 'Get prices' }).press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: /Correct \d+ fields/ })
      .waitFor();
    tree = await AxTree.of(page);
    const fromGroup = tree.one('group', 'From');
    const toGroup = tree.one('group', 'To');
    const fromZip = tree.one('textbox', 'ZIP code', fromGroup);
    expect(AxTree.prop(fromZip, 'invalid')).toBe('true');
    expect(String(fromZip.description?.value)).toContain('Enter a 5-digit ZIP code, or ZIP+4 such as 10118-0110.');
    expect(String(tree.one('textbox', 'Name', toGroup).description?.value)).toContain('Fill in this field.');
    const weight = tree.one('spinbutton', 'Weight (ounces)');
    expect(AxTree.prop(weight, 'invalid')).toBe('true');
    expect(String(weight.description?.value)).toContain('Enter 1120 or less.');
    const labelAlert = tree.find('alert').find((n) => /Correct \d+ fields/.test(tree.text(n)));
    expect(tree.text(labelAlert!)).toContain('Weight (ounces): Enter 1120 or less.');
    await page.context().close();
  });

  it('gives the tracking timeline and the pickup calendar roles and names a screen reader can use', async () => {
    const user = await createUser(flow.api, flow.mailpit);
    const { trackingNumber } = await createLabel(flow.api, user.accessToken);
    // The scans come after the label's own "created" event, and are not in the future.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const now = Date.now();
    const scans = [
      scanEvent(trackingNumber, 'accepted', new Date(now - 1_000)),
      scanEvent(trackingNumber, 'in_transit', new Date(now - 500)),
      scanEvent(trackingNumber, 'available_for_pickup', new Date(now - 100)),
    ];
    expect((await postScans(flow.api, scanner, scans)).body.accepted).toBe(3);
    await waitFor(
      async () => {
        const res = await flow.api.get<{ events: { code: string }[] }>(`/tracking/${trackingNumber}`);
        return res.status === 200 && res.body.events.filter((e) => scans.some((x) => x.code === e.code)).length === 3;
      },
      { timeoutMs: 60_000, description: 'three scans in the tracking view' },
    );

    const page = await newPage();
    await logIn(page, user);
    await page.goto(`${flow.portal.gatewayUrl}/track/${trackingNumber}`);
    await page
      .getByRole('article', { name: trackingNumber })
      .getByText(/available for pickup/i)
      .first()
      .waitFor();
    let tree = await AxTree.of(page);
    const list = tree.one('list', 'Tracking history, newest first');
    const items = tree.find('listitem', undefined, list);
    expect(items.length).toBeGreaterThanOrEqual(3);
    const names = items.map(AxTree.nameOf);
    // Each event's status, place and time in its name, newest first; the newest is the current step.
    const time = String.raw`[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M`;
    const place = 'DENVER MAIN POST OFFICE, DENVER, CO 80202';
    expect(names[0]).toMatch(new RegExp(`^Arrived at the post office, available for pickup ${place} ${time}$`));
    expect(names[1]).toMatch(new RegExp(`^In transit to the next facility ${place} ${time}$`));
    expect(names[2]).toMatch(new RegExp(`^Accepted at the post office ${place} ${time}$`));
    for (const name of names) expect(name).toMatch(new RegExp(`${time}$`));
    // (aria-current is not among the protocol's properties: read from the page.)
    const current = await page
      .locator('ol.timeline > li')
      .evaluateAll((lis) =>
        lis.map((li) => (li as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-current')),
      );
    expect(current[0]).toBe('step');
    expect(current.slice(1).every((c) => c === null)).toBe(true);
    // Not by colour alone (1.4.1): the newest event says so in words, and every status badge has text.
    expect(tree.text(items[0])).toContain('Latest');
    const badges = await page.locator('.badge').allTextContents();
    expect(badges.length).toBeGreaterThan(0);
    for (const badge of badges) expect(badge.trim()).not.toBe('');

    await page.goto(`${flow.portal.gatewayUrl}/pickups`);
    await page.getByRole('heading', { level: 1, name: 'Carrier pickups' }).waitFor();
    tree = await AxTree.of(page);
    const calendar = tree.one('group', 'Pickup date');
    const days = tree.find('radio', undefined, calendar);
    // Fifteen days from today: each named in full, the bookable ones enabled, the others disabled with why.
    expect(days.length).toBe(15);
    for (const day of days) expect(AxTree.nameOf(day)).toMatch(DATE_NAME);
    const disabled = days.filter((d) => AxTree.prop(d, 'disabled') === true);
    const sundays = days.filter((d) => AxTree.nameOf(d).startsWith('Sunday'));
    expect(sundays.length).toBeGreaterThanOrEqual(2);
    for (const sunday of sundays) {
      expect({
        day: AxTree.nameOf(sunday),
        disabled: AxTree.prop(sunday, 'disabled'),
        why: sunday.description?.value,
      }).toEqual({
        day: AxTree.nameOf(sunday),
        disabled: true,
        why: 'No pickups on Sundays.',
      });
    }
    for (const day of disabled)
      expect(String(day.description?.value)).toMatch(/^(No pickups|Federal holiday|Too late)/);
    for (const day of days.filter((d) => AxTree.prop(d, 'disabled') !== true)) {
      expect(String(day.description?.value ?? '')).toBe('');
    }
    expect(days.filter((d) => AxTree.prop(d, 'checked') === 'true')).toHaveLength(1);
    // Not by colour alone: a day without pickups is struck through and dashed, the chosen one underlined and thicker.
    const looks = await page.evaluate<{ disabled: string[]; checked: string[] }>(`(() => {
      const look = (l) => { const s = getComputedStyle(l); return s.textDecorationLine + ' ' + s.borderTopStyle + ' ' + s.borderTopWidth; };
      const days = [...document.querySelectorAll('.calendar-day')];
      return { disabled: days.filter((d) => d.querySelector('input:disabled')).map(look),
               checked: days.filter((d) => d.querySelector('input:checked')).map(look) };
    })()`);
    for (const look of looks.disabled) expect(look).toMatch(/^line-through dashed/);
    expect(looks.checked).toEqual(['underline solid 3px']);
    await page.context().close();
  });

  it('keeps every control at least 24 × 24 px, and loses nothing at 320 px width or at 200 % zoom', async () => {
    const user = await createUser(flow.api, flow.mailpit);
    const { trackingNumber } = await createLabel(flow.api, user.accessToken);
    const base = flow.portal.gatewayUrl;
    const pages: { path: string; heading: string; signedIn: boolean; then?: (page: Page) => Promise<void> }[] = [
      { path: '/', heading: 'Track a parcel', signedIn: false },
      { path: '/signup', heading: 'Create your account', signedIn: false },
      { path: '/login', heading: 'Log in', signedIn: false },
      {
        path: '/labels/quote',
        heading: 'Compare shipping prices',
        signedIn: false,
        then: async (page) => {
          await page.getByLabel('From ZIP code').fill('10001');
          await page.getByLabel('To ZIP code').fill('94105');
          await page.getByRole('button', { name: 'Get prices' }).click();
          await page.getByRole('group', { name: 'Service' }).waitFor();
        },
      },
      {
        path: `/track/${trackingNumber}`,
        heading: 'Tracking',
        signedIn: true,
        then: async (page) => {
          await page.getByRole('article', { name: trackingNumber }).waitFor();
        },
      },
      {
        path: '/labels',
        heading: 'Shipping labels',
        signedIn: true,
        then: async (page) => {
          await page.getByRole('button', { name: `Download PDF of label ${trackingNumber}` }).waitFor();
        },
      },
      { path: '/pickups', heading: 'Carrier pickups', signedIn: true },
      { path: '/dashboard', heading: 'Your dashboard', signedIn: true },
    ];
    const layouts = [
      { name: 'desktop', width: 1280, height: 900, scale: 1 },
      // 200 % zoom of a 1280 px window: 640 CSS px at two device pixels each.
      { name: '200% zoom', width: 640, height: 450, scale: 2 },
      { name: '320 px', width: 320, height: 640, scale: 1 },
    ];
    const problems: string[] = [];
    for (const layout of layouts) {
      const page = await newPage(layout.width, layout.height, layout.scale);
      let signedIn = false;
      for (const visit of pages) {
        if (visit.signedIn && !signedIn) {
          await logIn(page, user);
          signedIn = true;
        }
        await page.goto(`${base}${visit.path}`);
        await page.getByRole('heading', { level: 1, name: visit.heading }).waitFor();
        await visit.then?.(page);
        await page.waitForLoadState('networkidle');
        const where = `${visit.path} at ${layout.name}`;
        const targets = await page.evaluate<Target[]>(TARGETS);
        expect(targets.length).toBeGreaterThan(3);
        // 2.5.8: every target at least 24 × 24 CSS px.
        for (const t of targets.filter((t) => t.width < 24 || t.height < 24))
          problems.push(`${where}: small ${JSON.stringify(t)}`);
        if (layout.width < 1280) {
          // 1.4.10: no sideways scrolling, and every control of the page inside the width.
          const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
          if (overflow > 0) problems.push(`${where}: scrolls sideways by ${overflow} px`);
          for (const t of targets.filter((t) => t.left < 0 || t.right > layout.width))
            problems.push(`${where}: cut ${JSON.stringify(t)}`);
        }
      }
      // The navigation is all there too: behind the Menu button on a narrow screen.
      const menu = page.getByRole('button', { name: 'Menu' });
      if (await menu.isVisible()) {
        await menu.focus();
        await page.keyboard.press('Enter');
      }
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const name of ['Track', 'Labels', 'Pickups', 'Dashboard']) {
        const link = nav.getByRole('link', { name, exact: true });
        await link.scrollIntoViewIfNeeded();
        const box = await link.boundingBox();
        expect({ layout: layout.name, name, visible: await link.isVisible() }).toEqual({
          layout: layout.name,
          name,
          visible: true,
        });
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(layout.width);
        expect(Math.min(box!.width, box!.height)).toBeGreaterThanOrEqual(24);
      }
      await page.context().close();
    }
    expect(problems).toEqual([]);
  });
});
